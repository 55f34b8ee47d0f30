import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { today } from '../common/lookup.ts';
import { addQuarters, quarterOf } from '../common/quarter.ts';
import { designateKeyAccount, revokeDesignation } from '../selection/selection.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { assessTier } from './journey.service.ts';
import { TierAssessment } from './tier-assessment.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const TABLES = ['tier_assessment'];

/** A new account, key since 2025-01-01: the team assesses the tier of key accounts (domain §5). */
async function makeKeyAccount() {
  const account = await makeAccount(db.em());
  await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2025-01-01' }, testActor);
  return account;
}

describe('the quarterly tier assessment', () => {
  it('needs an evidence note', async () => {
    const account = await makeKeyAccount();
    for (const evidence of ['', '  ', 'ok']) {
      const error = await expectRejected(
        db.em(),
        'TIER_EVIDENCE_REQUIRED',
        () =>
          assessTier(
            db.em(),
            { accountId: account.id, quarter: '2026-Q1', tier: 'TIER_2', evidence },
            testActor,
          ),
        TABLES,
      );
      // An input-field rule: VALIDATION, so the API answers a ValidationError with the field.
      expect(error.category).toBe('VALIDATION');
      expect(error.issues).toEqual([
        { path: ['evidence'], message: 'write the evidence for the tier', code: 'TIER_EVIDENCE_REQUIRED' },
      ]);
    }
  });

  it('refuses a quarter that has not started, writing nothing; the running quarter is fine', async () => {
    const account = await makeKeyAccount();
    const running = quarterOf(new Date());
    for (const quarter of [addQuarters(running, 1), '2031-Q1']) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          assessTier(
            db.em(),
            { accountId: account.id, quarter, tier: 'TIER_1', evidence: 'good stuff' },
            testActor,
          ),
        TABLES,
      );
      expect(error.issues.map(i => [i.path, i.code])).toEqual([[['quarter'], 'QUARTER_NOT_STARTED']]);
    }
    const current = await assessTier(
      db.em(),
      { accountId: account.id, quarter: running, tier: 'TIER_2', evidence: 'good stuff' },
      testActor,
    );
    expect(current.quarter).toBe(running);
  });

  it('takes only the four tiers and a YYYY-Qn quarter', async () => {
    const account = await makeKeyAccount();
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        assessTier(
          db.em(),
          {
            accountId: account.id,
            quarter: '2026-Q1',
            tier: 'TIER_5' as 'TIER_1',
            evidence: 'Joint venture',
          },
          testActor,
        ),
      TABLES,
    );
    await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        assessTier(
          db.em(),
          { accountId: account.id, quarter: '2026-Q5', tier: 'TIER_1', evidence: 'Joint venture' },
          testActor,
        ),
      TABLES,
    );
  });

  it('a correction of a tier never assessed is a conflict, writing nothing', async () => {
    const account = await makeKeyAccount();
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        assessTier(
          db.em(),
          {
            accountId: account.id,
            quarter: '2026-Q2',
            tier: 'TIER_2',
            evidence: 'Shared',
            expectedVersion: 3,
          },
          testActor,
        ),
      TABLES,
    );
    expect(error.details).toEqual({ currentVersion: null });
    expect(error.message).toBe(
      `The 2026-Q2 tier of ${account.externalRef} is not recorded, so there is no version 3 to correct: check the account and the quarter, or leave out expectedVersion to record it.`,
    );
  });

  it('an existing assessment changes only with its current version', async () => {
    const account = await makeKeyAccount();
    const input = {
      accountId: account.id,
      quarter: '2026-Q2',
      tier: 'TIER_3' as const,
      evidence: 'Specific services',
    };
    const first = await assessTier(db.em(), input, testActor);
    const missing = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => assessTier(db.em(), { ...input, tier: 'TIER_2' }, testActor),
      TABLES,
    );
    expect(missing.details).toEqual({ currentVersion: 1 });
    await assessTier(
      db.em(),
      { ...input, tier: 'TIER_2', evidence: 'Shared services now', expectedVersion: 1 },
      testActor,
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        assessTier(
          db.em(),
          { ...input, tier: 'TIER_4', evidence: 'Stale view', expectedVersion: 1 },
          testActor,
        ),
      TABLES,
    );
    const stored = await db.em().findOneOrFail(TierAssessment, first.id);
    expect([stored.tier, stored.evidence, stored.version]).toEqual(['TIER_2', 'Shared services now', 2]);
    const trail = await db
      .em()
      .find(
        AuditEntry,
        { entityType: 'TierAssessment', entityId: String(first.id) },
        { orderBy: { id: 'asc' } },
      );
    expect(trail.map(t => [t.action, t.changes.tier])).toEqual([
      ['CREATE', { before: null, after: 'TIER_3' }],
      ['UPDATE', { before: 'TIER_3', after: 'TIER_2' }],
    ]);
  });

  it('refuses an account that is not key at the end of the quarter with ACCOUNT_NOT_KEY, writing nothing', async () => {
    const account = await makeAccount(db.em());
    const running = quarterOf(new Date());
    for (const quarter of ['2026-Q2', running]) {
      const error = await expectRejected(
        db.em(),
        'ACCOUNT_NOT_KEY',
        () =>
          assessTier(
            db.em(),
            { accountId: account.id, quarter, tier: 'TIER_3', evidence: 'Specific services' },
            testActor,
          ),
        TABLES,
      );
      expect(error.category).toBe('RULE');
      expect(error.message).toMatch(new RegExp(`^${account.externalRef} (is|was) not a key account`));
      expect(error.message).toMatch(/designate it first/i);
    }
    expect(
      (
        await expectRejected(
          db.em(),
          'ACCOUNT_NOT_KEY',
          () =>
            assessTier(
              db.em(),
              { accountId: account.id, quarter: '2026-Q2', tier: 'TIER_3', evidence: 'Specific services' },
              testActor,
            ),
          TABLES,
        )
      ).message,
    ).toBe(
      `${account.externalRef} was not a key account on 2026-06-30, the end of 2026-Q2: the team assesses the tier of key accounts only. Assess a quarter in which it was key, or designate it first, dated on or before 2026-06-30.`,
    );
    // Designated today: key now, so the running quarter can be assessed, an earlier one not.
    await designateKeyAccount(db.em(), { accountId: account.id }, testActor);
    await assessTier(
      db.em(),
      { accountId: account.id, quarter: running, tier: 'TIER_3', evidence: 'Specific services' },
      testActor,
    );
    await expectRejected(
      db.em(),
      'ACCOUNT_NOT_KEY',
      () =>
        assessTier(
          db.em(),
          { accountId: account.id, quarter: addQuarters(running, -1), tier: 'TIER_4', evidence: 'Price' },
          testActor,
        ),
      TABLES,
    );
    expect(await db.em().count(TierAssessment, { account: account.id })).toBe(1);
  });

  it('a revoked account is assessed for the quarters it was key at the end of, not after', async () => {
    const account = await makeAccount(db.em());
    const designation = await designateKeyAccount(
      db.em(),
      { accountId: account.id, designatedOn: '2026-01-10' },
      testActor,
    );
    await revokeDesignation(
      db.em(),
      { id: designation.id, expectedVersion: 1, revokedOn: '2026-08-15', reason: 'Lost the tender' },
      testActor,
    );
    // Key on 2026-06-30; revoked on 2026-08-15, so not key on 2026-09-30 nor today.
    await assessTier(
      db.em(),
      { accountId: account.id, quarter: '2026-Q2', tier: 'TIER_4', evidence: 'Price battles' },
      testActor,
    );
    for (const quarter of ['2026-Q3', quarterOf(new Date())]) {
      await expectRejected(
        db.em(),
        'ACCOUNT_NOT_KEY',
        () =>
          assessTier(
            db.em(),
            { accountId: account.id, quarter, tier: 'TIER_3', evidence: 'Specific services' },
            testActor,
          ),
        TABLES,
      );
    }
    // Not key in the running quarter: the message says so as of today.
    const error = await expectRejected(
      db.em(),
      'ACCOUNT_NOT_KEY',
      () =>
        assessTier(
          db.em(),
          { accountId: account.id, quarter: quarterOf(new Date()), tier: 'TIER_3', evidence: 'Specific' },
          testActor,
        ),
      TABLES,
    );
    expect(error.message).toBe(
      `${account.externalRef} is not a key account today (${today()}): the team assesses the tier of key accounts only. Designate it first.`,
    );
  });

  it('refuses evidence over 4,000 characters in kam’s words', async () => {
    const account = await makeKeyAccount();
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        assessTier(
          db.em(),
          { accountId: account.id, quarter: '2026-Q2', tier: 'TIER_2', evidence: 'x'.repeat(4001) },
          testActor,
        ),
      TABLES,
    );
    expect(error.issues.map(i => [i.path, i.message])).toEqual([
      [['evidence'], 'must be at most 4,000 characters'],
    ]);
    await assessTier(
      db.em(),
      { accountId: account.id, quarter: '2026-Q2', tier: 'TIER_2', evidence: 'x'.repeat(4000) },
      testActor,
    );
  });
});
