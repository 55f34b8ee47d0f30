import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccountBase } from '../analytics/account-base.ts';
import { addDays, computeSelection } from '../analytics/selection.ts';
import { addMonths, today } from '../common/lookup.ts';
import { writeAs } from '../common/unit-of-work.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  overlap,
  type TestDatabase,
  tableCounts,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { SelectionAssessment } from './assessment.entity.ts';
import { KeyAccountDesignation } from './designation.entity.ts';
import {
  designateKeyAccount,
  type RecordAssessmentInput,
  recordAssessment,
  reviewDesignation,
  revokeDesignation,
} from './selection.service.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const scores = {
  marketLeadership: 4,
  innovationLeadership: 3,
  growthFit: 5,
  otherUnitsPotential: 2,
  loyalty: 4,
  informationSharing: 3,
  engagementDesire: 5,
  buyingBasis: 1,
  sustainableRevenue: true,
  defectionInfluencesOthers: false,
};

/** A new account designated a key account on `day`. */
async function designatedOn(day: string) {
  const account = await makeAccount(db.em());
  const designation = await designateKeyAccount(
    db.em(),
    { accountId: account.id, designatedOn: day },
    testActor,
  );
  return { account, designation };
}

describe('assessment scores are whole numbers 1–5', () => {
  it('stores an assessment at the edges of the range', async () => {
    const account = await makeAccount(db.em());
    const stored = await recordAssessment(
      db.em(),
      { accountId: account.id, assessedOn: '2026-01-15', ...scores, marketLeadership: 1, growthFit: 5 },
      testActor,
    );
    const reloaded = await db.em().findOneOrFail(SelectionAssessment, stored.id);
    expect([reloaded.marketLeadership, reloaded.growthFit, reloaded.buyingBasis]).toEqual([1, 5, 1]);
  });

  it.each([
    ['marketLeadership', 0],
    ['loyalty', 6],
    ['buyingBasis', 2.5],
    ['engagementDesire', -1],
  ] as const)('rejects %s = %s with SCORE_OUT_OF_RANGE and writes nothing', async (field, value) => {
    const account = await makeAccount(db.em());
    const input: RecordAssessmentInput = { accountId: account.id, ...scores, [field]: value };
    const error = await expectRejected(
      db.em(),
      'SCORE_OUT_OF_RANGE',
      () => recordAssessment(db.em(), input, testActor),
      ['selection_assessment'],
    );
    expect(error.issues).toEqual([
      { path: [field], message: 'must be a whole number from 1 to 5', code: 'SCORE_OUT_OF_RANGE' },
    ]);
    expect(error.category).toBe('VALIDATION');
  });

  it('the database itself refuses a score outside 1–5', async () => {
    const account = await makeAccount(db.em());
    const before = await tableCounts(db.em(), ['selection_assessment']);
    await expect(
      writeAs(db.em(), testActor, async tx => {
        tx.create(SelectionAssessment, {
          account,
          assessedOn: '2026-01-01',
          ...scores,
          loyalty: 9,
          winningImprovesOthers: null,
          notes: null,
          assessedBy: null,
        });
      }),
    ).rejects.toThrow(/loyalty|check/i);
    expect(await tableCounts(db.em(), ['selection_assessment'])).toEqual(before);
  });
});

describe('a blank optional text is no value', () => {
  it('an assessment’s blank notes and a designation’s blank reason are stored as null', async () => {
    const account = await makeAccount(db.em());
    const assessment = await recordAssessment(
      db.em(),
      { accountId: account.id, ...scores, notes: '  \n' },
      testActor,
    );
    expect((await db.em().findOneOrFail(SelectionAssessment, assessment.id)).notes).toBeNull();
    const designation = await designateKeyAccount(
      db.em(),
      { accountId: account.id, designatedOn: '2026-01-05', reason: ' ' },
      testActor,
    );
    expect((await db.em().findOneOrFail(KeyAccountDesignation, designation.id)).reason).toBeNull();
  });
});

describe('a designation is reviewed at least 24 months out', () => {
  it('defaults the review to 24 months after the designation', async () => {
    const { designation } = await designatedOn('2026-02-10');
    expect(designation.reviewDueOn).toBe('2028-02-10');
  });

  it('accepts exactly 24 months and rejects one day less, writing nothing', async () => {
    const ok = await makeAccount(db.em());
    await designateKeyAccount(
      db.em(),
      { accountId: ok.id, designatedOn: '2026-03-31', reviewDueOn: '2028-03-31' },
      testActor,
    );
    const account = await makeAccount(db.em());
    const error = await expectRejected(
      db.em(),
      'DESIGNATION_REVIEW_TOO_SOON',
      () =>
        designateKeyAccount(
          db.em(),
          { accountId: account.id, designatedOn: '2026-03-31', reviewDueOn: '2028-03-30' },
          testActor,
        ),
      ['key_account_designation'],
    );
    expect(error.details).toEqual({ earliest: '2028-03-31' });
    expect(error.category).toBe('VALIDATION');
    expect(error.issues).toEqual([
      {
        path: ['reviewDueOn'],
        message: 'must be on or after 2028-03-31',
        code: 'DESIGNATION_REVIEW_TOO_SOON',
      },
    ]);
  });

  it('a review sets the next review at least 24 months after the review date', async () => {
    const { designation: d } = await designatedOn('2025-01-01');
    const error = await expectRejected(
      db.em(),
      'DESIGNATION_REVIEW_TOO_SOON',
      () =>
        reviewDesignation(
          db.em(),
          { id: d.id, expectedVersion: 1, reviewedOn: '2026-06-01', nextReviewDueOn: '2027-06-01' },
          testActor,
        ),
      ['key_account_designation', 'designation_review'],
    );
    // An input rule: a ValidationError naming the review's own field, nextReviewDueOn.
    expect(error.category).toBe('VALIDATION');
    expect(error.issues).toEqual([
      {
        path: ['nextReviewDueOn'],
        message: 'must be on or after 2028-06-01',
        code: 'DESIGNATION_REVIEW_TOO_SOON',
      },
    ]);
    expect(error.message).toBe(
      'The next review is due at least 24 months after 2026-06-01: nextReviewDueOn must be 2028-06-01 or later (got 2027-06-01).',
    );
    const reviewed = await reviewDesignation(
      db.em(),
      { id: d.id, expectedVersion: 1, reviewedOn: '2026-06-01' },
      testActor,
    );
    expect(reviewed.reviewDueOn).toBe('2028-06-01');
    expect(reviewed.version).toBe(2);
  });

  it('a review is not dated before the designation: its next review would come sooner than 24 months after it', async () => {
    const { account, designation: d } = await designatedOn('2026-01-01');
    // Reviewed "on 2025-01-01" would set the next review to 2027-01-01: 12 months after the designation.
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2025-01-01' }, testActor),
      ['key_account_designation'],
    );
    expect(error.issues.map(i => i.path)).toEqual([['reviewedOn']]);
    expect(error.message).toBe(
      `reviewedOn (2025-01-01) is before the designation of ${account.externalRef} (2026-01-01); date the review on or after 2026-01-01.`,
    );
    const stored = await db.em().findOneOrFail(KeyAccountDesignation, d.id);
    expect([stored.reviewDueOn, stored.version]).toEqual(['2028-01-01', 1]);
  });

  it('a new designation starts after the previous one ended: designations never overlap', async () => {
    const { account, designation: d } = await designatedOn('2026-01-01');
    await revokeDesignation(
      db.em(),
      { id: d.id, expectedVersion: 1, revokedOn: '2026-09-30', reason: 'Lost the business' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-06-01' }, testActor),
      ['key_account_designation'],
    );
    expect(error.issues.map(i => i.path)).toEqual([['designatedOn']]);
    expect(error.message).toBe(
      `Account ${account.externalRef} was a key account until 2026-09-30; a new designation cannot start before that (got 2026-06-01). Date it on or after 2026-09-30.`,
    );
    await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-09-30' }, testActor);
  });

  it('an account holds one active designation; a second is ACCOUNT_ALREADY_KEY', async () => {
    const account = await makeAccount(db.em());
    await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-01-01' }, testActor);
    await expectRejected(
      db.em(),
      'ACCOUNT_ALREADY_KEY',
      () => designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-05-01' }, testActor),
      ['key_account_designation'],
    );
  });
});

describe('designations are never deleted', () => {
  it('revoking ends a designation and keeps it; a second revocation is refused', async () => {
    const { account, designation: d } = await designatedOn('2026-01-01');
    await revokeDesignation(
      db.em(),
      {
        id: d.id,
        expectedVersion: 1,
        revokedOn: '2026-09-30',
        reason: 'Consolidated into the group account',
      },
      testActor,
    );
    const again = await expectRejected(
      db.em(),
      'DESIGNATION_ALREADY_REVOKED',
      () => revokeDesignation(db.em(), { id: d.id, expectedVersion: 2, reason: 'again' }, testActor),
      ['key_account_designation'],
    );
    expect(again.message).toBe(
      `The key-account designation of ${account.externalRef} from 2026-01-01 was revoked on 2026-09-30; designate the account again to make it key.`,
    );
    const history = await db.em().find(KeyAccountDesignation, { account: account.id });
    expect(history.map(h => [h.revokedOn, h.revocationReason])).toEqual([
      ['2026-09-30', 'Consolidated into the group account'],
    ]);
    // Revoked: the account may be designated again, and both records stay.
    await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-10-01' }, testActor);
    expect(await db.em().count(KeyAccountDesignation, { account: account.id })).toBe(2);
  });

  it('revoking needs a reason in words: a blank one is refused and the designation stays', async () => {
    const { designation: d } = await designatedOn('2026-01-01');
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => revokeDesignation(db.em(), { id: d.id, expectedVersion: 1, reason: ' \n\t ' }, testActor),
      ['key_account_designation'],
    );
    expect(error.issues.map(i => i.path)).toEqual([['reason']]);
    expect(error.message).toMatch(/say why the account is no longer key/);
    await revokeDesignation(
      db.em(),
      { id: d.id, expectedVersion: 1, reason: '  Lost the tender  ' },
      testActor,
    );
    const stored = await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id);
    expect(stored.revocationReason).toBe('Lost the tender');
  });

  it('the database refuses a DELETE of a designation, by SQL or through the ORM', async () => {
    const { designation: d } = await designatedOn('2026-01-01');
    const before = await tableCounts(db.em(), ['key_account_designation', 'audit_entry']);
    await expect(
      db.em().getConnection().execute('delete from key_account_designation where id = ?', [d.id]),
    ).rejects.toThrow(/never deleted|append-only/);
    await expect(
      writeAs(db.em(), testActor, async tx => {
        tx.remove(await tx.findOneOrFail(KeyAccountDesignation, d.id));
      }),
    ).rejects.toThrow(/never deleted|append-only/);
    expect(await tableCounts(db.em(), ['key_account_designation', 'audit_entry'])).toEqual(before);
  });
});

describe('optimistic locking of designations', () => {
  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const { account, designation: d } = await designatedOn('2026-01-01');
    await reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2026-06-01' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => revokeDesignation(db.em(), { id: d.id, expectedVersion: 1, reason: 'stale' }, testActor),
      ['key_account_designation'],
    );
    expect(error.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect(error.message).toMatch(
      new RegExp(
        `^The key-account designation of ${account.externalRef} from 2026-01-01 was changed by someone else`,
      ),
    );
    const reloaded = await db.em().findOneOrFail(KeyAccountDesignation, d.id);
    expect([reloaded.revokedOn, reloaded.reviewDueOn, reloaded.version]).toEqual([null, '2028-06-01', 2]);
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('designating an account twice at the same time', () => {
  it('makes one designation and refuses the other with ACCOUNT_ALREADY_KEY', async () => {
    // Each looked for an active designation before the other committed, found none and
    // inserted one: the account held two active designations.
    const account = await makeAccount(db.em());
    const designate = (em: Parameters<typeof designateKeyAccount>[0]) =>
      designateKeyAccount(em, { accountId: account.id, designatedOn: '2026-02-01' }, testActor);
    const [first, second] = await overlap(db, designate, designate);
    expect(first.ok).toBe(true);
    expect(second.ok ? 'designated twice' : second.error).toMatchObject({ code: 'ACCOUNT_ALREADY_KEY' });
    expect(await db.em().count(KeyAccountDesignation, { account: account.id, revokedOn: null })).toBe(1);
  });
});

/** The day after today: nothing of a designation can have happened then yet. */
const tomorrow = () => addDays(today(), 1);

describe('a designation, its review and its revocation record what has happened: none is dated after today', () => {
  it('refuses a designation dated tomorrow with DATE_IN_FUTURE at designatedOn, writing nothing; today is fine', async () => {
    const account = await makeAccount(db.em());
    const day = tomorrow();
    const error = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () => designateKeyAccount(db.em(), { accountId: account.id, designatedOn: day }, testActor),
      ['key_account_designation', 'designation_review'],
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.issues).toEqual([
      { path: ['designatedOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
    ]);
    expect(error.message).toBe(
      `designatedOn (${day}) is after today (${today()}): a designation is recorded once it has been made. Date it today or earlier.`,
    );
    const made = await designateKeyAccount(db.em(), { accountId: account.id }, testActor);
    expect(made.designatedOn).toBe(today());
  });

  it('refuses a revocation dated tomorrow: the designation stays in force, unchanged', async () => {
    const { designation: d } = await designatedOn('2026-01-01');
    const error = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () =>
        revokeDesignation(
          db.em(),
          { id: d.id, expectedVersion: 1, revokedOn: tomorrow(), reason: 'Will lose the tender' },
          testActor,
        ),
      ['key_account_designation', 'designation_review'],
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['revokedOn'], 'DATE_IN_FUTURE']]);
    const stored = await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id);
    expect([stored.revokedOn, stored.revocationReason, stored.version]).toEqual([null, null, 1]);
  });

  it('refuses a selection assessment dated after today with DATE_IN_FUTURE at assessedOn, writing nothing', async () => {
    const account = await makeAccount(db.em());
    for (const day of [tomorrow(), '2030-01-01']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () => recordAssessment(db.em(), { accountId: account.id, assessedOn: day, ...scores }, testActor),
        ['selection_assessment'],
      );
      expect(error.issues).toEqual([
        { path: ['assessedOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
      expect(error.message).toBe(
        `assessedOn (${day}) is after today (${today()}): an assessment is recorded once it has been made. Date it today or earlier.`,
      );
    }
    const made = await recordAssessment(db.em(), { accountId: account.id, ...scores }, testActor);
    expect(made.assessedOn).toBe(today());
  });

  it('refuses a review dated tomorrow: the due date stays and no review is recorded', async () => {
    const { designation: d } = await designatedOn('2025-01-01');
    const error = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () => reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2030-01-01' }, testActor),
      ['key_account_designation', 'designation_review'],
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['reviewedOn'], 'DATE_IN_FUTURE']]);
    const stored = await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id);
    expect([stored.reviewDueOn, stored.version]).toEqual(['2027-01-01', 1]);
  });
});

/** The review history of a designation, oldest first: [reviewedOn, previous due date, due date set]. */
async function reviewsOf(designationId: number): Promise<string[][]> {
  const rows: Record<string, unknown>[] = await db
    .em()
    .getConnection()
    .execute<Record<string, unknown>[]>(
      `select cast(reviewed_on as text) as r, cast(previous_review_due_on as text) as p, cast(review_due_on as text) as d
         from designation_review where designation_id = ? order by reviewed_on, id`,
      [designationId],
    );
  return rows.map(r => [String(r.r), String(r.p), String(r.d)]);
}

/** The review due date the analytics read for an account as of a quarter's last day. */
async function dueAsOf(accountId: number, quarter: string): Promise<string | null | undefined> {
  const base = await loadAccountBase(db.em(), quarter);
  return base.find(r => r.id === accountId)?.reviewDueOn;
}

describe('a review is kept as history: the analytics read the due date as of the day', () => {
  it('each review records its day and the due date it set; a past quarter keeps the due date it had', async () => {
    const { account, designation: d } = await designatedOn('2023-01-10');
    await reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2026-02-01' }, testActor);
    await reviewDesignation(
      db.em(),
      { id: d.id, expectedVersion: 2, reviewedOn: '2026-06-01', nextReviewDueOn: '2028-09-01' },
      testActor,
    );
    expect(await reviewsOf(d.id)).toEqual([
      ['2026-02-01', '2025-01-10', '2028-02-01'],
      ['2026-06-01', '2028-02-01', '2028-09-01'],
    ]);
    // On 2025-06-30 the review was overdue since 2025-01-10; the later reviews do not change that.
    expect(await dueAsOf(account.id, '2025-Q2')).toBe('2025-01-10');
    expect(await dueAsOf(account.id, '2026-Q1')).toBe('2028-02-01');
    expect(await dueAsOf(account.id, '2026-Q2')).toBe('2028-09-01');
    const q2 = await computeSelection(db.em(), '2025-Q2');
    expect(q2.summary.reviewsDue.find(r => r.externalRef === account.externalRef)).toMatchObject({
      reviewDueOn: '2025-01-10',
      overdue: true,
    });
    const q1 = await computeSelection(db.em(), '2026-Q1');
    expect(q1.summary.reviewsDue.find(r => r.externalRef === account.externalRef)).toBeUndefined();
  });

  it('refuses a review dated before the last review, at reviewedOn, writing nothing', async () => {
    const { account, designation: d } = await designatedOn('2024-01-01');
    await reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2026-06-01' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => reviewDesignation(db.em(), { id: d.id, expectedVersion: 2, reviewedOn: '2026-02-01' }, testActor),
      ['key_account_designation', 'designation_review'],
    );
    expect(error.issues.map(i => i.path)).toEqual([['reviewedOn']]);
    expect(error.message).toBe(
      `reviewedOn (2026-02-01) is before the last review of the key-account designation of ${account.externalRef} (2026-06-01); date the review on or after 2026-06-01.`,
    );
    const stored = await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id);
    expect([stored.reviewDueOn, stored.version]).toEqual(['2028-06-01', 2]);
    // The same day as the last review is fine: the later one counts.
    await reviewDesignation(
      db.em(),
      { id: d.id, expectedVersion: 2, reviewedOn: '2026-06-01', nextReviewDueOn: '2028-12-01' },
      testActor,
    );
    expect(await dueAsOf(account.id, '2026-Q2')).toBe('2028-12-01');
  });

  it('refuses a revocation dated before the last review, at revokedOn, writing nothing', async () => {
    const { account, designation: d } = await designatedOn('2026-10-20');
    await reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2026-11-20' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        revokeDesignation(
          db.em(),
          { id: d.id, expectedVersion: 2, revokedOn: '2026-11-10', reason: 'Lost the tender' },
          testActor,
        ),
      ['key_account_designation', 'designation_review'],
    );
    expect(error.issues).toEqual([
      { path: ['revokedOn'], message: 'before the last review (2026-11-20)', code: 'VALIDATION_FAILED' },
    ]);
    expect(error.message).toBe(
      `revokedOn (2026-11-10) is before the last review of the key-account designation of ${account.externalRef} (2026-11-20); date the revocation on or after 2026-11-20.`,
    );
    const stored = await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id);
    expect([stored.revokedOn, stored.revocationReason, stored.version]).toEqual([null, null, 2]);
    // The day of the last review is fine.
    await revokeDesignation(
      db.em(),
      { id: d.id, expectedVersion: 2, revokedOn: '2026-11-20', reason: 'Lost the tender' },
      testActor,
    );
    expect((await db.em().fork().findOneOrFail(KeyAccountDesignation, d.id)).revokedOn).toBe('2026-11-20');
  });

  it('a designation reviewed before the history existed (no review rows) reads its current due date', async () => {
    const { account, designation: d } = await designatedOn('2023-01-10');
    // What a review before the history table did: it only overwrote the due date.
    await db
      .em()
      .getConnection()
      .execute('update key_account_designation set review_due_on = ? where id = ?', ['2027-03-01', d.id]);
    expect(await dueAsOf(account.id, '2025-Q2')).toBe('2027-03-01');
    expect(await dueAsOf(account.id, '2026-Q3')).toBe('2027-03-01');
  });

  it('the database refuses to change or delete a recorded review', async () => {
    const { designation: d } = await designatedOn('2024-01-01');
    await reviewDesignation(db.em(), { id: d.id, expectedVersion: 1, reviewedOn: '2026-03-01' }, testActor);
    const connection = db.em().getConnection();
    const before = await tableCounts(db.em(), ['designation_review']);
    await expect(
      connection.execute(
        `update designation_review set review_due_on = '2030-01-01' where designation_id = ?`,
        [d.id],
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      connection.execute('delete from designation_review where designation_id = ?', [d.id]),
    ).rejects.toThrow(/append-only/);
    expect(await tableCounts(db.em(), ['designation_review'])).toEqual(before);
    expect(await reviewsOf(d.id)).toEqual([['2026-03-01', '2026-01-01', addMonths('2026-03-01', 24)]]);
  });
});
