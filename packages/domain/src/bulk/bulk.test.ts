import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { DomainError } from '../common/domain-error.ts';
import { today } from '../common/lookup.ts';
import { Opportunity } from '../opportunities/opportunity.entity.ts';
import {
  createTestDatabase,
  makeBusinessUnit,
  makePerson,
  type TestDatabase,
  tableCounts,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { upsertAccounts } from './accounts.bulk.ts';
import { applyChanges, classify, loadStored, type TableSpec } from './bulk-engine.ts';
import { upsertContacts } from './contacts.bulk.ts';
import { importFinancials } from './financials.bulk.ts';
import { runIdempotent } from './idempotency.ts';
import { upsertOpportunities } from './opportunities.bulk.ts';
import { recordSignals, recordSurveyResponses } from './signals.bulk.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await makeBusinessUnit(db.em(), { code: 'EMEA' });
  await makeBusinessUnit(db.em(), { code: 'SERVICES' });
  await makePerson(db.em(), { email: 'kam@example.test' });
  await upsertAccounts(
    db.em(),
    [
      { externalRef: 'B-1', name: 'Beta One' },
      { externalRef: 'B-2', name: 'Beta Two' },
    ],
    { mode: 'ATOMIC' },
    testActor,
  );
});
afterAll(async () => {
  await db.close();
});

const line = (accountRef: string, quarter: string, revenue: string, businessUnitCode?: string) => ({
  accountRef,
  quarter,
  businessUnitCode,
  revenue,
  // At most the smallest revenue below (0.10): a gross profit above the revenue is refused.
  grossProfit: '0.10',
  costToServe: '1.50',
});

describe('importFinancials', () => {
  it('PARTIAL writes the good rows and reports each bad one by index, path and code', async () => {
    const result = await importFinancials(
      db.em(),
      [
        line('B-1', '2026-Q1', '100.10', 'EMEA'),
        line('NOPE', '2026-Q1', '5'),
        line('B-1', '2026-Q1', '200.20', 'SERVICES'),
        { ...line('B-2', '2026-13', '1'), revenue: 'lots' },
        line('B-1', '2026-Q1', '100.10', 'EMEA'),
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({
      received: 5,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: 3,
      written: true,
    });
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [1, 'accountRef', 'NOT_FOUND'],
      [3, 'quarter', 'INVALID_QUARTER'],
      [3, 'revenue', 'INVALID_MONEY'],
      [4, 'accountRef', 'DUPLICATE_ROW'],
    ]);
    const stored = await db
      .em()
      .find(QuarterlyFinancial, { quarter: '2026-Q1' }, { orderBy: { revenue: 'asc' } });
    expect(stored.map(s => s.revenue)).toEqual(['100.10', '200.20']);
  });

  it('counts unchanged and updated rows, bumps versions and audits before/after', async () => {
    const result = await importFinancials(
      db.em(),
      [line('B-1', '2026-Q1', '100.10', 'EMEA'), line('B-1', '2026-Q1', '250.00', 'SERVICES')],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const services = await db
      .em()
      .findOneOrFail(QuarterlyFinancial, { quarter: '2026-Q1', revenue: '250.00' });
    expect(services.version).toBe(2);
    const audit = await db
      .em()
      .find(
        AuditEntry,
        { entityType: 'QuarterlyFinancial', entityId: String(services.id) },
        { orderBy: { id: 'asc' } },
      );
    expect(audit.map(a => a.action)).toEqual(['CREATE', 'UPDATE']);
    expect(audit[1]?.changes).toEqual({ revenue: { before: '200.20', after: '250.00' } });
    expect(audit[1]?.actorLabel).toBe('test');
  });

  it('ATOMIC writes nothing when a single row is bad', async () => {
    const before = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    const result = await importFinancials(
      db.em(),
      [line('B-2', '2026-Q2', '1.00', 'EMEA'), line('B-2', '2026-Q2', '1.001', 'SERVICES')],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, rejected: 1, written: false });
    expect(result.rejections[0]).toMatchObject({ index: 1, path: ['revenue'], code: 'INVALID_MONEY' });
    expect(await tableCounts(db.em(), ['quarterly_financial', 'audit_entry'])).toEqual(before);
  });

  it('refuses mixing account-level and per-unit lines for one quarter', async () => {
    const result = await importFinancials(
      db.em(),
      [line('B-1', '2026-Q1', '9.00')],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.rejections[0]).toMatchObject({ index: 0, code: 'FINANCIALS_MIXED_SCOPE' });
    expect(result.created).toBe(0);
  });

  it('refuses an oversized call as a whole', async () => {
    await expect(
      importFinancials(
        db.em(),
        [line('B-1', '2026-Q3', '1'), line('B-1', '2026-Q4', '1')],
        { mode: 'PARTIAL', maxRows: 1 },
        testActor,
      ),
    ).rejects.toMatchObject({
      code: 'BATCH_TOO_LARGE',
      // At the argument that is too long, as every validation error names its field.
      issues: [{ path: ['rows'], code: 'BATCH_TOO_LARGE', message: 'at most 1 row per call; 2 sent' }],
    });
  });

  it('fails with VERSION_CONFLICT when a row changed after it was read, and writes nothing', async () => {
    const em = db.em();
    const account = await em.findOneOrFail(Account, { externalRef: 'B-2' });
    const spec: TableSpec = {
      table: 'account',
      entityType: 'Account',
      keyColumns: ['external_ref'],
      columns: [
        { property: 'externalRef', column: 'external_ref', kind: 'text' },
        { property: 'name', column: 'name', kind: 'text' },
      ],
      keyOf: v => String(v.externalRef),
      versioned: true,
    };
    const stored = await loadStored(em, spec, ['B-2']);
    const changes = classify(
      spec,
      [{ index: 0, key: 'B-2', values: { externalRef: 'B-2', name: 'Renamed by batch' } }],
      stored,
    );
    await upsertAccounts(
      db.em(),
      [{ externalRef: 'B-2', name: 'Renamed meanwhile' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    await expect(em.transactional(tx => applyChanges(tx, spec, changes, testActor))).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    const reloaded = await db.em().findOneOrFail(Account, account.id);
    expect(reloaded.name).toBe('Renamed meanwhile');
  });

  it('names an unknown business unit code and says codes are matched exactly', async () => {
    const result = await importFinancials(
      db.em(),
      [line('B-1', '2023-Q2', '5.00', 'emea')],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.rejections).toEqual([
      {
        index: 0,
        path: ['businessUnitCode'],
        code: 'NOT_FOUND',
        message:
          'No business unit has code emea; codes are matched exactly, capitals included (the businessUnits query lists them).',
      },
    ]);
  });

  it('takes an empty businessUnitCode for an account-level line, and a second such line as a duplicate', async () => {
    // The two rows are the same account-level line: one left the code out, one sent it empty.
    // The second was not seen as a repeat and both went into one INSERT: the unique index refused
    // it and the whole call failed with a database error, even in PARTIAL mode.
    const result = await importFinancials(
      db.em(),
      [
        line('B-2', '2023-Q1', '5.00'),
        line('B-2', '2023-Q1', '6.00', ''),
        line('B-2', '2023-Q2', '7.00', ' '),
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({ received: 3, created: 2, rejected: 1 });
    expect(result.rejections).toEqual([
      {
        index: 1,
        path: ['accountRef'],
        code: 'DUPLICATE_ROW',
        message:
          'financial line B-2/2023-Q1/(account) appears twice in this call (first at row 0); send each financial line once.',
        duplicate: { what: 'financial line', key: 'B-2/2023-Q1/(account)', firstIndex: 0 },
      },
    ]);
    const stored = await db
      .em()
      .find(
        QuarterlyFinancial,
        { quarter: { $in: ['2023-Q1', '2023-Q2'] } },
        { orderBy: { quarter: 'asc' } },
      );
    expect(stored.map(s => [s.quarter, s.businessUnit, s.revenue])).toEqual([
      ['2023-Q1', null, '5.00'],
      ['2023-Q2', null, '7.00'],
    ]);
  });

  it('keeps money exact through a bulk round trip', async () => {
    await importFinancials(
      db.em(),
      [line('B-2', '2025-Q4', '0.10', 'EMEA'), line('B-2', '2025-Q3', '0.20', 'EMEA')],
      { mode: 'ATOMIC' },
      testActor,
    );
    const [row] = await db
      .em()
      .getConnection()
      .execute<{ total: unknown }[]>(
        "select sum(revenue) as total from quarterly_financial where quarter in ('2025-Q3', '2025-Q4')",
      );
    expect(String(row?.total).replace(/\.0+$/, '')).toBe('30');
  });
});

describe('upsertAccounts', () => {
  it('accepts a child before its parent in the same call and links them', async () => {
    const result = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'G-LOCAL', name: 'Group local', parentRef: 'G-REGION' },
        { externalRef: 'G-REGION', name: 'Group region', parentRef: 'G-ROOT' },
        { externalRef: 'G-ROOT', name: 'Group root', country: 'DE' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(result).toMatchObject({ created: 3, rejected: 0 });
    const local = await db
      .em()
      .findOneOrFail(Account, { externalRef: 'G-LOCAL' }, { populate: ['parent.parent'] });
    expect(local.parent?.externalRef).toBe('G-REGION');
    expect(local.parent?.parent?.externalRef).toBe('G-ROOT');
    const audit = await db.em().find(AuditEntry, { entityType: 'Account', entityId: String(local.id) });
    expect(audit[0]?.changes.parent).toEqual({ before: null, after: local.parent?.id });
  });

  // SQLite runs one write transaction at a time: only PostgreSQL can overlap two calls.
  it.runIf(testDialect() === 'postgresql')(
    'answers a call that creates the same new ref as a concurrent call with a conflict, not a database error',
    async () => {
      // The first call has written N-RACE but not committed; the second plans a create too (it
      // cannot see the row), waits on the unique key and fails once the first commits.
      const rows = [{ externalRef: 'N-RACE', name: 'Raced account' }];
      let wrote!: () => void;
      const firstWrote = new Promise<void>(resolve => {
        wrote = resolve;
      });
      const first = db.em().transactional(async tx => {
        await upsertAccounts(tx, rows, { mode: 'ATOMIC' }, testActor);
        wrote();
        await new Promise(resolve => setTimeout(resolve, 300));
      });
      await firstWrote;
      const second = await upsertAccounts(db.em(), rows, { mode: 'ATOMIC' }, testActor).catch(e => e);
      await first;
      expect(second).toBeInstanceOf(DomainError);
      expect(second.code).toBe('DUPLICATE_ROW');
      expect(second.message).toMatch(/at the same time/);
      expect(await db.em().count(Account, { externalRef: 'N-RACE' })).toBe(1);
      // Sent again, it finds the account and leaves it as it is.
      expect(await upsertAccounts(db.em(), rows, { mode: 'ATOMIC' }, testActor)).toMatchObject({
        created: 0,
        unchanged: 1,
      });
    },
  );

  it('rejects rows that would make an account its own ancestor', async () => {
    const result = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'G-ROOT', name: 'Group root', parentRef: 'G-LOCAL' },
        { externalRef: 'C-1', name: 'Cycle one', parentRef: 'C-2' },
        { externalRef: 'C-2', name: 'Cycle two', parentRef: 'C-1' },
        { externalRef: 'OK-1', name: 'Fine', parentRef: 'G-ROOT' },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.rejections.map(r => [r.index, r.code])).toEqual([
      [0, 'ACCOUNT_HIERARCHY_CYCLE'],
      [1, 'ACCOUNT_HIERARCHY_CYCLE'],
      [2, 'ACCOUNT_HIERARCHY_CYCLE'],
    ]);
    expect(result.created).toBe(1);
    const root = await db.em().findOneOrFail(Account, { externalRef: 'G-ROOT' });
    expect(root.parent).toBeNull();
  });

  it('updates changed accounts, leaves identical ones alone and rejects unknown segments', async () => {
    const result = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'G-ROOT', name: 'Group root', country: 'DE' },
        { externalRef: 'G-REGION', name: 'Group region EMEA', parentRef: 'G-ROOT' },
        { externalRef: 'S-1', name: 'Segmented', segmentCode: 'NO-SUCH' },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 1 });
    expect(result.rejections[0]).toMatchObject({ index: 2, path: ['segmentCode'], code: 'NOT_FOUND' });
  });

  it('rejects a row whose parent row of the same call is rejected, and leaves its stored parent alone', async () => {
    await upsertAccounts(
      db.em(),
      [
        { externalRef: 'PR-OLD', name: 'Old parent' },
        { externalRef: 'PR-KID', name: 'Existing child', parentRef: 'PR-OLD' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    const rows = [
      { externalRef: 'NEW-P', name: 'P', segmentCode: 'NOPE' },
      { externalRef: 'NEW-C', name: 'C', parentRef: 'NEW-P' },
      { externalRef: 'NEW-GC', name: 'Grandchild', parentRef: 'NEW-C' },
      { externalRef: 'PR-KID', name: 'Existing child', parentRef: 'NEW-P' },
      { externalRef: 'NEW-Q', name: 42 },
      { externalRef: 'NEW-D', name: 'D', parentRef: 'NEW-Q' },
      { externalRef: 'NEW-OK', name: 'Fine', parentRef: 'PR-OLD' },
    ];
    // ATOMIC refuses the call and lists the rows at fault (and the row under an invalid one).
    const atomic = await upsertAccounts(db.em(), rows, { mode: 'ATOMIC' }, testActor);
    expect(atomic).toMatchObject({ created: 0, updated: 0, rejected: 3, written: false });
    expect(atomic.rejections.map(r => [r.index, r.code])).toEqual([
      [0, 'NOT_FOUND'],
      [4, 'INVALID_TYPE'],
      [5, 'ACCOUNT_PARENT_ROW_REJECTED'],
    ]);
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);

    const result = await upsertAccounts(db.em(), rows, { mode: 'PARTIAL' }, testActor);
    expect(result).toMatchObject({ created: 1, updated: 0, unchanged: 0, rejected: 6, written: true });
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [0, 'segmentCode', 'NOT_FOUND'],
      [1, 'parentRef', 'ACCOUNT_PARENT_ROW_REJECTED'],
      [2, 'parentRef', 'ACCOUNT_PARENT_ROW_REJECTED'],
      [3, 'parentRef', 'ACCOUNT_PARENT_ROW_REJECTED'],
      [4, 'name', 'INVALID_TYPE'],
      [5, 'parentRef', 'ACCOUNT_PARENT_ROW_REJECTED'],
    ]);
    expect(result.rejections[1]?.message).toBe(
      'The row of parent NEW-P (row 0) was rejected, so NEW-C cannot be placed under it; fix row 0 and send both rows again.',
    );
    // Only the good row went in; the stored child keeps its parent.
    expect(await db.em().count(Account, { externalRef: { $in: rows.map(r => r.externalRef) } })).toBe(2);
    const fine = await db.em().findOneOrFail(Account, { externalRef: 'NEW-OK' }, { populate: ['parent'] });
    expect(fine.parent?.externalRef).toBe('PR-OLD');
    const kid = await db.em().findOneOrFail(Account, { externalRef: 'PR-KID' }, { populate: ['parent'] });
    expect(kid.parent?.externalRef).toBe('PR-OLD');
  });

  it('rejects a row that closes a loop through the stored parent of a rejected row, in both modes', async () => {
    // Stored: RJ-0 ← RJ-1 ← RJ-2. The RJ-1 row is rejected, so RJ-1 keeps its parent RJ-0, and
    // RJ-0 under RJ-2 would close RJ-0 → RJ-2 → RJ-1 → RJ-0 (this call used to loop forever).
    await upsertAccounts(
      db.em(),
      [
        { externalRef: 'RJ-1', name: 'Rj one', parentRef: 'RJ-0' },
        { externalRef: 'RJ-2', name: 'Rj two', parentRef: 'RJ-1' },
        { externalRef: 'RJ-0', name: 'Rj zero' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    const under = { externalRef: 'RJ-0', name: 'Rj zero', parentRef: 'RJ-2' };
    const calls = [
      { mode: 'ATOMIC', first: { parentRef: 'NO-SUCH-PARENT' }, path: 'parentRef' },
      { mode: 'PARTIAL', first: { parentRef: null, segmentCode: 'NO_SUCH_SEGMENT' }, path: 'segmentCode' },
    ] as const;
    for (const { mode, first, path } of calls) {
      const result = await upsertAccounts(
        db.em(),
        [{ externalRef: 'RJ-1', name: 'Rj one', ...first }, under],
        { mode },
        testActor,
      );
      expect(result).toMatchObject({ created: 0, updated: 0, rejected: 2, written: false });
      expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
        [0, path, 'NOT_FOUND'],
        [1, 'parentRef', 'ACCOUNT_HIERARCHY_CYCLE'],
      ]);
      expect(result.rejections[1]?.message).toBe(
        'Putting RJ-0 under RJ-2 would make it its own ancestor; choose a parent outside its own group.',
      );
    }
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
    const zero = await db.em().findOneOrFail(Account, { externalRef: 'RJ-0' }, { populate: ['parent'] });
    expect(zero.parent).toBeNull();
  });

  it('rejects a row that closes a loop through a stored account whose row was rejected under a rejected parent row', async () => {
    // Stored: RC-X ← RC-K. PARTIAL rejects the RC-K row (its parent row RC-NEW is rejected), so
    // RC-K stays under RC-X, and RC-X under RC-K would make a loop that was written as it stood.
    await upsertAccounts(
      db.em(),
      [
        { externalRef: 'RC-X', name: 'Rc x' },
        { externalRef: 'RC-K', name: 'Rc k', parentRef: 'RC-X' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    const result = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'RC-NEW', name: 'Rc new', segmentCode: 'NOPE' },
        { externalRef: 'RC-K', name: 'Rc k', parentRef: 'RC-NEW' },
        { externalRef: 'RC-X', name: 'Rc x', parentRef: 'RC-K' },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.rejections.map(r => [r.index, r.code])).toEqual([
      [0, 'NOT_FOUND'],
      [1, 'ACCOUNT_PARENT_ROW_REJECTED'],
      [2, 'ACCOUNT_HIERARCHY_CYCLE'],
    ]);
    const x = await db.em().findOneOrFail(Account, { externalRef: 'RC-X' }, { populate: ['parent'] });
    expect(x.parent).toBeNull();
  });
});

describe('other bulk operations', () => {
  it('upsertContacts validates influence 1–5 and resolves counterparts by e-mail', async () => {
    const result = await upsertContacts(
      db.em(),
      [
        {
          externalRef: 'CT-1',
          accountRef: 'B-1',
          name: 'Ana Buyer',
          function: 'PROCUREMENT',
          influence: 4,
          stance: 'NEUTRAL',
          counterpartEmail: 'KAM@example.test',
        },
        {
          externalRef: 'CT-2',
          accountRef: 'B-1',
          name: 'Ben Boss',
          function: 'EXECUTIVE',
          influence: 6,
          stance: 'CHAMPION',
        },
        {
          externalRef: 'CT-3',
          accountRef: 'B-1',
          name: 'Cy',
          function: 'FINANCE',
          influence: 2,
          stance: 'UNKNOWN',
          counterpartEmail: 'nobody@example.test',
        },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.created).toBe(1);
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [1, 'influence', 'SCORE_OUT_OF_RANGE'],
      [2, 'counterpartEmail', 'NOT_FOUND'],
    ]);
  });

  it('upsertOpportunities refuses to change a decided bid', async () => {
    const won = {
      externalRef: 'OP-1',
      accountRef: 'B-1',
      businessUnitCode: 'EMEA',
      name: 'Line 4 retrofit',
      value: '50000',
      qualified: true,
      qualifiedOn: '2026-01-20',
      outcome: 'WON' as const,
      decidedOn: '2026-02-10',
    };
    expect(await upsertOpportunities(db.em(), [won], { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 1,
    });
    const again = await upsertOpportunities(
      db.em(),
      [{ ...won, outcome: 'LOST', decidedOn: '2026-03-01' }],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(again.rejections[0]).toMatchObject({ code: 'OPPORTUNITY_ALREADY_DECIDED' });
    const stored = await db.em().findOneOrFail(Opportunity, { externalRef: 'OP-1' });
    expect(stored.outcome).toBe('WON');
    expect(stored.value).toBe('50000.00');
  });

  it('stores a defaulted field sent as null at its default, like a field left out', async () => {
    // GraphQL scripts send null for an empty field; every other optional field of a row takes
    // null as empty, and createContact takes a null stance as UNKNOWN. The bulk rows refused it.
    const contacts = await upsertContacts(
      db.em(),
      [
        {
          externalRef: 'CT-NULL',
          accountRef: 'B-2',
          name: 'Nell',
          function: 'OTHER',
          influence: 1,
          stance: null,
        },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(contacts).toMatchObject({ created: 1, rejected: 0, rejections: [] });
    const opportunity = {
      externalRef: 'OP-NULL',
      accountRef: 'B-2',
      businessUnitCode: 'EMEA',
      name: 'Spare parts',
      value: '10.00',
    };
    const opportunities = await upsertOpportunities(
      db.em(),
      [{ ...opportunity, qualified: null, outcome: null }],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(opportunities).toMatchObject({ created: 1, rejected: 0, rejections: [] });
    const stored = await db.em().findOneOrFail(Opportunity, { externalRef: 'OP-NULL' });
    expect([stored.qualified, stored.outcome]).toEqual([false, 'OPEN']);
    // null and a field left out are the same row: nothing changes.
    expect(await upsertOpportunities(db.em(), [opportunity], { mode: 'PARTIAL' }, testActor)).toMatchObject({
      unchanged: 1,
      updated: 0,
    });
    expect(
      await upsertContacts(
        db.em(),
        [{ externalRef: 'CT-NULL', accountRef: 'B-2', name: 'Nell', function: 'OTHER', influence: 1 }],
        { mode: 'PARTIAL' },
        testActor,
      ),
    ).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('recordSignals and recordSurveyResponses derive the quarter and check their rules', async () => {
    const signals = await recordSignals(
      db.em(),
      [
        {
          externalRef: 'SG-1',
          accountRef: 'B-1',
          kind: 'FEEDBACK',
          occurredOn: '2026-05-04',
          sentiment: 'POSITIVE',
        },
        { externalRef: 'SG-2', accountRef: 'B-1', kind: 'FEEDBACK', occurredOn: '2026-05-04' },
        {
          externalRef: 'SG-3',
          accountRef: 'B-1',
          kind: 'REFERRAL',
          occurredOn: '2026-06-30',
          value: '1200.00',
        },
        {
          externalRef: 'SG-4',
          accountRef: 'NO-SUCH',
          kind: 'FEEDBACK',
          occurredOn: '2026-05-04',
          sentiment: 'POSITIVE',
        },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(signals.created).toBe(2);
    expect(signals.rejections[0]).toMatchObject({
      index: 1,
      path: ['sentiment'],
      code: 'SIGNAL_SENTIMENT_REQUIRED',
    });
    // Every bulk path names an unknown account the same way, with what to do about it.
    expect(signals.rejections[1]).toEqual({
      index: 3,
      path: ['accountRef'],
      code: 'NOT_FOUND',
      message: 'No account has external ref NO-SUCH; create it first (upsertAccounts).',
    });
    const [q] = await db
      .em()
      .getConnection()
      .execute<{ quarter: string }[]>("select quarter from customer_signal where external_ref = 'SG-3'");
    expect(q?.quarter).toBe('2026-Q2');
    const surveys = await recordSurveyResponses(
      db.em(),
      [
        { externalRef: 'SV-1', accountRef: 'B-1', contactRef: 'CT-1', respondedOn: '2026-07-01', score: 4 },
        { externalRef: 'SV-2', accountRef: 'B-2', contactRef: 'CT-1', respondedOn: '2026-07-01', score: 5 },
        { externalRef: 'SV-3', accountRef: 'B-2', respondedOn: '2026-07-01', score: 0 },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(surveys.created).toBe(1);
    expect(surveys.rejections.map(r => [r.index, r.code])).toEqual([
      [1, 'VALIDATION_FAILED'],
      [2, 'SCORE_OUT_OF_RANGE'],
    ]);
  });

  it('upsertContacts refuses to move a contact to another account: PARTIAL rejects the row, ATOMIC the call', async () => {
    // A contact answers surveys for its own account (recordSurveyResponse refuses another's):
    // moved, its stored responses would be answered by a contact of another account.
    const row = { accountRef: 'B-1', name: 'Mo Mover', function: 'FINANCE' as const, influence: 3 };
    await upsertContacts(db.em(), [{ ...row, externalRef: 'CT-MOVE' }], { mode: 'ATOMIC' }, testActor);
    await recordSurveyResponses(
      db.em(),
      [
        {
          externalRef: 'SV-MOVE',
          accountRef: 'B-1',
          contactRef: 'CT-MOVE',
          respondedOn: '2026-07-01',
          score: 4,
        },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    const moved = { ...row, externalRef: 'CT-MOVE', accountRef: 'B-2' };
    const message =
      'Contact CT-MOVE belongs to B-1; a contact cannot move to another account. Create a new contact on B-2 (another externalRef) and remove this one if it left.';
    const partial = await upsertContacts(
      db.em(),
      [moved, { ...row, externalRef: 'CT-STAY', accountRef: 'B-2' }],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(partial).toMatchObject({ created: 1, updated: 0, rejected: 1 });
    expect(partial.rejections).toEqual([
      { index: 0, path: ['accountRef'], code: 'CONTACT_ACCOUNT_CHANGE', message },
    ]);
    const atomic = await upsertContacts(
      db.em(),
      [{ ...row, externalRef: 'CT-NEW', accountRef: 'B-2' }, moved],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(atomic).toMatchObject({ created: 0, updated: 0, rejected: 1, written: false });
    expect(atomic.rejections).toEqual([
      { index: 1, path: ['accountRef'], code: 'CONTACT_ACCOUNT_CHANGE', message },
    ]);
    const [stored] = await db
      .em()
      .getConnection()
      .execute<{ account_ref: string; version: number }[]>(
        "select a.external_ref as account_ref, c.version from contact c join account a on a.id = c.account_id where c.external_ref = 'CT-MOVE'",
      );
    expect([stored?.account_ref, Number(stored?.version)]).toEqual(['B-1', 1]);
    const [created] = await db
      .em()
      .getConnection()
      .execute<{ n: number }[]>("select count(*) as n from contact where external_ref = 'CT-NEW'");
    expect(Number(created?.n)).toBe(0);
  });

  it('recordSignals and recordSurveyResponses reject a row dated after today with DATE_IN_FUTURE at its date', async () => {
    const now = today();
    const signals = await recordSignals(
      db.em(),
      [
        { externalRef: 'SG-TODAY', accountRef: 'B-1', kind: 'ADVICE_REQUEST', occurredOn: now },
        { externalRef: 'SG-LATER', accountRef: 'B-1', kind: 'ADVICE_REQUEST', occurredOn: '2030-01-01' },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(signals).toMatchObject({ created: 1, rejected: 1 });
    expect(signals.rejections).toEqual([
      {
        index: 1,
        path: ['occurredOn'],
        code: 'DATE_IN_FUTURE',
        message: `occurredOn (2030-01-01) is after today (${now}): a signal is recorded once it has happened. Date it today or earlier.`,
      },
    ]);
    const surveys = await recordSurveyResponses(
      db.em(),
      [
        { externalRef: 'SV-LATER', accountRef: 'B-1', respondedOn: '2099-01-01', score: 4 },
        { externalRef: 'SV-TODAY', accountRef: 'B-1', respondedOn: now, score: 4 },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(surveys).toMatchObject({ created: 0, rejected: 1, written: false });
    expect(surveys.rejections).toEqual([
      {
        index: 0,
        path: ['respondedOn'],
        code: 'DATE_IN_FUTURE',
        message: `respondedOn (2099-01-01) is after today (${now}): a survey response is recorded once it has been given. Date it today or earlier.`,
      },
    ]);
  });
});

describe('a blank optional text is no value', () => {
  it('upsertAccounts stores a blank industry as null, on a new account and over a stored one', async () => {
    const first = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'BL-1', name: 'Blank one', industry: 'Chemicals' },
        { externalRef: 'BL-2', name: 'Blank two', industry: '  ' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(first).toMatchObject({ created: 2, rejected: 0 });
    const again = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'BL-1', name: 'Blank one', industry: ' \t' },
        { externalRef: 'BL-2', name: 'Blank two' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    // A blank industry and one left out are the same row: BL-2 is unchanged.
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const stored = await db
      .em()
      .find(Account, { externalRef: ['BL-1', 'BL-2'] }, { orderBy: { externalRef: 'asc' } });
    expect(stored.map(a => [a.externalRef, a.industry])).toEqual([
      ['BL-1', null],
      ['BL-2', null],
    ]);
  });

  it('upsertContacts, upsertOpportunities, recordSignals and recordSurveyResponses store blank texts as null', async () => {
    expect(
      await upsertContacts(
        db.em(),
        [
          {
            externalRef: 'CT-BLANK',
            accountRef: 'B-2',
            name: 'Bea Blank',
            title: '  ',
            function: 'OTHER',
            influence: 2,
            whatTheyValue: '\n\n',
          },
        ],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ created: 1, rejected: 0 });
    // A blank lostReason is no reason: an OPEN bid may send it, as it may leave it out.
    expect(
      await upsertOpportunities(
        db.em(),
        [
          {
            externalRef: 'OP-BLANK',
            accountRef: 'B-2',
            businessUnitCode: 'EMEA',
            name: 'Blank bid',
            value: '10.00',
            lostReason: ' ',
          },
        ],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ created: 1, rejected: 0 });
    expect(
      await recordSignals(
        db.em(),
        [
          {
            externalRef: 'SG-BLANK',
            accountRef: 'B-2',
            kind: 'ADVICE_REQUEST',
            occurredOn: '2026-05-04',
            topic: '  ',
            note: ' ',
          },
        ],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ created: 1, rejected: 0 });
    expect(
      await recordSurveyResponses(
        db.em(),
        [{ externalRef: 'SV-BLANK', accountRef: 'B-2', respondedOn: '2026-07-01', score: 3, comment: '   ' }],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ created: 1, rejected: 0 });
    const connection = db.em().getConnection();
    expect(
      await connection.execute(
        `select c.title as title, c.what_they_value as what_they_value, o.lost_reason as lost_reason,
                s.topic as topic, s.note as note, r.comment as comment
           from contact c, opportunity o, customer_signal s, survey_response r
          where c.external_ref = 'CT-BLANK' and o.external_ref = 'OP-BLANK'
            and s.external_ref = 'SG-BLANK' and r.external_ref = 'SV-BLANK'`,
      ),
    ).toEqual([
      { title: null, what_they_value: null, lost_reason: null, topic: null, note: null, comment: null },
    ]);
  });
});

describe('idempotency', () => {
  const rows = [line('B-1', '2024-Q1', '10.00', 'EMEA')];
  const call = (key: string, payload: unknown[]) =>
    runIdempotent(
      db.em(),
      {
        principal: 'token:1',
        key,
        operation: 'importFinancials',
        payload: { rows: payload, mode: 'ATOMIC' },
      },
      tx => importFinancials(tx, payload, { mode: 'ATOMIC' }, testActor),
    );

  it('replays the first result and writes nothing the second time', async () => {
    const first = await call('key-1', rows);
    expect(first).toMatchObject({ created: 1, replayed: false });
    const before = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    const second = await call('key-1', rows);
    expect(second).toEqual({ ...first, replayed: true });
    expect(await tableCounts(db.em(), ['quarterly_financial', 'audit_entry'])).toEqual(before);
  });

  it('answers two concurrent calls with one key with one write and the same result', async () => {
    const payload = [line('B-2', '2024-Q2', '20.00', 'EMEA')];
    const before = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    const [a, b] = await Promise.all([call('key-concurrent', payload), call('key-concurrent', payload)]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect({ ...a, replayed: false }).toEqual({ ...b, replayed: false });
    const after = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    expect(after.quarterly_financial).toBe((before.quarterly_financial ?? 0) + 1);
  });

  it('answers a retry that overlaps the first call with its result, not a database error', async () => {
    // A script times out and sends the batch again while the first call is still running: the
    // retry finds no record yet, writes the same new rows and waits on the first call's
    // uncommitted ones; once those commit, its insert fails on the unique key. On PostgreSQL
    // that surfaced as a raw unique-key violation (an unexpected error) instead of the replay.
    const payload = [line('B-2', '2024-Q3', '30.00', 'EMEA'), line('B-2', '2024-Q3', '31.00', 'SERVICES')];
    const request = {
      principal: 'token:1',
      key: 'key-overlap',
      operation: 'importFinancials',
      payload: { rows: payload, mode: 'ATOMIC' },
    };
    let written!: () => void;
    const firstWrote = new Promise<void>(resolve => {
      written = resolve;
    });
    // SQLite runs one transaction at a time: there the retry cannot overlap and simply goes first.
    const overlapping = db.dialect === 'postgresql';
    const retry = runIdempotent(db.em(), request, async tx => {
      if (overlapping) await firstWrote;
      return importFinancials(tx, payload, { mode: 'ATOMIC' }, testActor);
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    const first = await runIdempotent(db.em(), request, async tx => {
      const outcome = await importFinancials(tx, payload, { mode: 'ATOMIC' }, testActor);
      written();
      // Commit only once the retry is waiting on these rows.
      if (overlapping) await new Promise(resolve => setTimeout(resolve, 300));
      return outcome;
    });
    const second = await retry;
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    expect({ ...second, replayed: false }).toEqual({ ...first, replayed: false });
    expect(first.created + second.created).toBe(4);
  });

  it('rejects the same key with another payload', async () => {
    const error = await call('key-1', [line('B-1', '2024-Q1', '11.00', 'EMEA')]).catch(e => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys per principal and rejects keys longer than 255 characters', async () => {
    await expect(call('k'.repeat(256), rows)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
