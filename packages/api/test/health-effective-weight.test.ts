/**
 * A health component's weight as configured, and the weight it actually had (`effectiveWeight`):
 * a component without data drops out and its weight is shared among the others (domain §6), so
 * value × weight ÷ 100 is not its contribution then; value × effectiveWeight ÷ 100 is.
 */
import {
  closeQuarter,
  designateKeyAccount,
  importFinancials,
  recordAssessment,
  systemActor,
} from '@kam/domain';
import { makeAccount, makeBusinessUnit } from '@kam/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

const actor = systemActor('health test');
let api: ApiHarness;
let executive: string;
let accountId: string;

interface Component {
  key: string;
  value: number | null;
  weight: number;
  effectiveWeight: number;
  contribution: number;
}

beforeAll(async () => {
  api = await startApi();
  const em = api.db.em();
  // A key account assessed (relationship strength has a value), with no contacts (coverage 0), no
  // plan (freshness 0), no value (0), no surveys and revenue in 2026-Q3 only (satisfaction and, with
  // no year before, margin trend have no data and drop out).
  const account = await makeAccount(em, { externalRef: 'HW-1' });
  const unit = await makeBusinessUnit(em);
  await importFinancials(
    em,
    [
      {
        accountRef: 'HW-1',
        quarter: '2026-Q3',
        businessUnitCode: unit.code,
        revenue: '1000',
        grossProfit: '300',
        costToServe: '100',
      },
    ],
    { mode: 'ATOMIC' },
    actor,
  );
  await designateKeyAccount(em, { accountId: account.id, designatedOn: '2025-01-01' }, actor);
  await recordAssessment(
    em,
    {
      accountId: account.id,
      assessedOn: '2026-06-01',
      marketLeadership: 4,
      innovationLeadership: 4,
      growthFit: 4,
      otherUnitsPotential: 3,
      loyalty: 5,
      informationSharing: 4,
      engagementDesire: 5,
      buyingBasis: 3,
      sustainableRevenue: true,
      defectionInfluencesOthers: false,
    },
    actor,
  );
  await closeQuarter(em, '2026-Q3', actor);
  executive = (await api.token('EXECUTIVE')).secret;
  accountId = Buffer.from(`Account:${account.id}`).toString('base64');
});
afterAll(() => api.close());

const FIELDS = 'components { key value weight effectiveWeight contribution }';

function expectEffectiveWeights(components: Component[]) {
  // Weights with data: 20 + 20 + 15 + 15 = 70; each × 100 ÷ 70 = 28.571, 28.571, 21.429, 21.429,
  // rounded down 28.5 + 28.5 + 21.4 + 21.4 = 99.8; the two tenths left go to the largest
  // remainders (.71 against .29), the earlier first: 28.6, 28.6, 21.4, 21.4 = 100.0.
  expect(components.map(c => [c.key, c.weight, c.effectiveWeight])).toEqual([
    ['relationshipStrength', 20, 28.6],
    ['stakeholderCoverage', 20, 28.6],
    ['planFreshness', 15, 21.4],
    ['provenValue', 15, 21.4],
    ['satisfaction', 15, 0],
    ['marginTrend', 15, 0],
  ]);
  const relationship = components[0]!;
  expect(relationship.value).toBeGreaterThan(0);
  // The contribution is value × effective weight ÷ 100 (1 decimal), not value × weight ÷ 100.
  expect(relationship.contribution).toBeCloseTo((relationship.value! * 28.6) / 100, 1);
  expect(relationship.contribution).not.toBeCloseTo((relationship.value! * 20) / 100, 1);
}

describe('HealthComponent.effectiveWeight', () => {
  it('gives the weight each component had in the account’s health, adding up to 100.0', async () => {
    const res = await api.gql<{ node: { health: { quarter: string; components: Component[] } } }>(
      `query ($id: ID!) { node(id: $id) { ... on Account { health { quarter ${FIELDS} } } } }`,
      { id: accountId },
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const health = res.body.data!.node.health;
    expect(health.quarter).toBe('2026-Q3');
    expectEffectiveWeights(health.components);
  });

  it('gives the same in the closed quarter’s account document', async () => {
    const res = await api.gql<{
      snapshot: { accounts: { edges: { node: { health: { components: Component[] } } }[] } };
    }>(
      `query ($quarter: Quarter!) { snapshot(quarter: $quarter) { accounts(first: 10, keyAccountsOnly: true) {
          edges { node { health { ${FIELDS} } } } } } }`,
      { quarter: '2026-Q3' },
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const edges = res.body.data!.snapshot.accounts.edges;
    expect(edges).toHaveLength(1);
    expectEffectiveWeights(edges[0]!.node.health.components);
  });

  it('describes both weights in the schema', async () => {
    const res = await api.gql<{
      __type: { fields: { name: string; description: string | null }[] };
    }>(`{ __type(name: "HealthComponent") { fields { name description } } }`, {}, executive);
    const described = Object.fromEntries(res.body.data!.__type.fields.map(f => [f.name, f.description]));
    expect(described.weight).toMatch(/configured weight/i);
    expect(described.effectiveWeight).toMatch(/weight actually used/i);
  });
});
