import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from '../harness.ts';
import { machine } from './processes.ts';

// Bounds: clients per round, rounds, attempts per client per round.
const CLIENTS = 50;
const ROUNDS = 5;
const ATTEMPTS = 3;

// The record: one account plan, edited with updatePlan (a section text) as its authors would.
const READ = `query($id: ID!) { node(id: $id) { ... on AccountPlan { version sections { key text } } } }`;
const WRITE = `mutation($input: UpdatePlanInput!) {
  updatePlan(input: $input) {
    __typename
    ... on UpdatePlanSuccess { data { version sections { key text } } }
    ... on ConflictError { code message currentVersion }
    ... on Error { code message }
  }
}`;
const SECTION = 'currentRelationship';
type PlanData = { version: number; sections: { key: string; text: string }[] };
const sectionText = (plan: PlanData | undefined) => plan?.sections.find(s => s.key === SECTION)?.text;

interface Outcome {
  round: number;
  client: number;
  attempt: number;
  status: number;
  expectedVersion: number;
  typename: string;
  code?: string;
  message?: string;
  currentVersion?: number | null;
  version?: number;
  name: string;
  stored?: string;
  topLevelErrors: number;
}

let api: ApiHarness;
let tokens: string[];
let planId: string;
let planDbId: number;

beforeAll(async () => {
  api = await startApi();
  // One token (and person) per client, so the audit trail says which client won each version.
  tokens = [];
  for (let i = 0; i < CLIENTS; i++) tokens.push((await api.token('ADMIN')).secret);
  const account = await api.gql(
    'mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename } }',
    { rows: [{ externalRef: 'CONCURRENT-1', name: 'Concurrent account' }] },
    tokens[0],
  );
  expect(account.body.data).toEqual({ upsertAccounts: { __typename: 'UpsertAccountsSuccess' } });
  const accountId = (
    await api.gql<{ accountByRef: { id: string } }>(
      'query { accountByRef(externalRef: "CONCURRENT-1") { id } }',
      undefined,
      tokens[0],
    )
  ).body.data?.accountByRef.id;
  // A plan is drawn up for a key account.
  const designated = await api.gql<{ designateKeyAccount: { __typename: string } }>(
    'mutation($input: DesignateKeyAccountInput!) { designateKeyAccount(input: $input) { __typename } }',
    { input: { accountId, designatedOn: '2026-01-01' } },
    tokens[0],
  );
  expect(designated.body.data?.designateKeyAccount.__typename, JSON.stringify(designated.body)).toBe(
    'DesignateKeyAccountSuccess',
  );
  const plan = await api.gql<{ createPlan: { __typename: string; data?: { id: string } } }>(
    'mutation($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on CreatePlanSuccess { data { id } } ... on Error { code message } } }',
    { input: { accountId, year: 2026, sections: { [SECTION]: 'Concurrent start' } } },
    tokens[0],
  );
  expect(plan.body.data?.createPlan.__typename, JSON.stringify(plan.body)).toBe('CreatePlanSuccess');
  planId = plan.body.data?.createPlan.data?.id as string;
  planDbId = Number(
    (
      await api.db
        .em()
        .getConnection()
        .execute<{ id: number }[]>('select id from account_plan order by id desc limit 1')
    )[0]?.id,
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
});

async function readVersion(token: string): Promise<number> {
  const res = await api.gql<{ node: PlanData }>(READ, { id: planId }, token);
  expect(res.status).toBe(200);
  return res.body.data?.node.version as number;
}

describe('concurrency: 50 clients editing the same account plan with expectedVersion', () => {
  it('lets exactly one write per version win, answers the others with a typed conflict, loses no update', async () => {
    const outcomes: Outcome[] = [];
    const startVersion = await readVersion(tokens[0] as string);
    const began = performance.now();
    for (let round = 1; round <= ROUNDS; round++) {
      // Every client reads first; the writes start together once all have read.
      let release!: () => void;
      const barrier = new Promise<void>(resolve => {
        release = resolve;
      });
      let read = 0;
      const clients = tokens.map(async (token, client) => {
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
          const expectedVersion = await readVersion(token);
          if (attempt === 1) {
            read += 1;
            if (read === CLIENTS) release();
            await barrier;
          }
          const name = `round ${round} client ${client} attempt ${attempt}`;
          const res = await api.gql<{
            updatePlan: {
              __typename: string;
              code?: string;
              message?: string;
              currentVersion?: number | null;
              data?: PlanData;
            };
          }>(WRITE, { input: { id: planId, expectedVersion, sections: { [SECTION]: name } } }, token);
          const answer = res.body.data?.updatePlan;
          outcomes.push({
            round,
            client,
            attempt,
            status: res.status,
            expectedVersion,
            typename: answer?.__typename ?? 'none',
            code: answer?.code,
            message: answer?.message,
            currentVersion: answer?.currentVersion,
            version: answer?.data?.version,
            stored: sectionText(answer?.data),
            name,
            topLevelErrors: res.body.errors?.length ?? 0,
          });
          if (answer?.__typename !== 'ConflictError') return;
        }
      });
      await Promise.all(clients);
    }
    const elapsedMs = Math.round(performance.now() - began);

    const wins = outcomes.filter(o => o.typename === 'UpdatePlanSuccess');
    const conflicts = outcomes.filter(o => o.typename === 'ConflictError');
    const summary = [
      `reliability/concurrency (${api.db.dialect}) ${new Date().toISOString()} — ${machine()}`,
      `  ${CLIENTS} clients × ${ROUNDS} rounds (≤ ${ATTEMPTS} attempts each) editing one account plan with updatePlan: ${outcomes.length} writes in ${elapsedMs} ms`,
      `  wins: ${wins.length}; typed conflicts: ${conflicts.length}; other: ${outcomes.length - wins.length - conflicts.length}`,
      // A conflict found by the database's versioned UPDATE (two writes past the check at once) is
      // answered as one found by the version check: the same message, with currentVersion.
      `  conflicts with the current version: ${conflicts.filter(c => /you sent version/.test(c.message ?? '')).length}`,
      `  HTTP statuses: ${JSON.stringify(countBy(outcomes.map(o => String(o.status))))}`,
      `  version ${startVersion} → ${startVersion + wins.length}`,
    ].join('\n');
    console.log(summary);

    // No 5xx, no top-level error: every answer is a success or a typed VERSION_CONFLICT.
    expect(outcomes.filter(o => o.status !== 200)).toEqual([]);
    expect(outcomes.filter(o => o.topLevelErrors > 0)).toEqual([]);
    expect(outcomes.length - wins.length - conflicts.length).toBe(0);
    for (const c of conflicts) {
      expect(c.code).toBe('VERSION_CONFLICT');
      expect(c.message).toMatch(/changed by someone else: you sent version \d+, the current version is \d+/);
      expect(c.currentVersion).toBeGreaterThan(c.expectedVersion);
    }
    // Exactly one winner per version, the versions consecutive from the start.
    const byVersion = [...wins].sort((a, b) => a.expectedVersion - b.expectedVersion);
    expect(byVersion.map(w => w.expectedVersion)).toEqual(
      Array.from({ length: wins.length }, (_, i) => startVersion + i),
    );
    for (const w of byVersion) {
      expect(w.version).toBe(w.expectedVersion + 1);
      expect(w.stored).toBe(w.name);
    }
    // Every round saw conflicts (the clients really raced) and at least one win.
    for (let round = 1; round <= ROUNDS; round++) {
      expect(wins.filter(w => w.round === round).length).toBeGreaterThan(0);
      expect(conflicts.filter(c => c.round === round).length).toBeGreaterThan(0);
    }

    // No lost update: the stored record is the last winner's write, its version counts every win,
    // and the audit trail holds the winners' writes in version order.
    const final = (await api.gql<{ node: PlanData }>(READ, { id: planId }, tokens[0])).body.data?.node;
    expect(final?.version).toBe(startVersion + wins.length);
    expect(sectionText(final)).toBe(byVersion.at(-1)?.name);
    expect(startVersion).toBe(1);
    const audit = await api.db
      .em()
      .getConnection()
      .execute<{ changes: unknown }[]>(
        `select changes from audit_entry where entity_type = 'AccountPlan' and entity_id = '${planDbId}' and action = 'UPDATE' order by id`,
      );
    // Each winner's text is the new value of exactly one audited change, in version order.
    const afterValues = audit.map((a: { changes: unknown }) => {
      const changes = (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes) as Record<
        string,
        { after: unknown }
      >;
      return Object.values(changes)
        .map(change => JSON.stringify(change.after))
        .join(' ');
    });
    const winnersInTrail = afterValues.flatMap((after: string) =>
      byVersion.filter(w => after.includes(`"${w.name}"`)).map(w => w.name),
    );
    expect(winnersInTrail).toEqual(byVersion.map(w => w.name));
  }, 120_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
