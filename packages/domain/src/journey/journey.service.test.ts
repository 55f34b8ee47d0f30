import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { addQuarters, quarterOf } from '../common/quarter.ts';
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

describe('the quarterly tier assessment', () => {
  it('needs an evidence note', async () => {
    const account = await makeAccount(db.em());
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
    const account = await makeAccount(db.em());
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
    const account = await makeAccount(db.em());
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
    const account = await makeAccount(db.em());
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
    const account = await makeAccount(db.em());
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
});
