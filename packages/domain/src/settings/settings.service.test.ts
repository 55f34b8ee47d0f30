import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinancials } from '../accounts/account.service.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { systemActor } from '../common/actor.ts';
import type { DomainError } from '../common/domain-error.ts';
import { updateKpiDefinition } from '../kpis/kpi.service.ts';
import { Opportunity } from '../opportunities/opportunity.entity.ts';
import { createOpportunity } from '../opportunities/opportunity.service.ts';
import { CustomerSignal } from '../signals/signal.entity.ts';
import { recordSignal } from '../signals/signal.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { ensureReferenceData } from './reference-data.ts';
import { Settings } from './settings.entity.ts';
import { DEFAULT_SETTINGS, type KamSettings } from './settings.schemas.ts';
import { getSettings, getSettingsRow, type UpdateSettingsInput, updateSettings } from './settings.service.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function currentVersion(): Promise<number> {
  return (await getSettingsRow(db.em()))?.version ?? 0;
}

/** Expects SETTINGS_INVALID with one issue at `path` saying `message`, and the stored settings unchanged. */
async function expectInvalid(
  patch: UpdateSettingsInput['patch'],
  path: (string | number)[],
  message: RegExp,
  alsoAt: (string | number)[][] = [],
) {
  const before = await getSettingsRow(db.em());
  const error = await expectRejected(
    db.em(),
    'SETTINGS_INVALID',
    async () => updateSettings(db.em(), { expectedVersion: before?.version ?? 1, patch }, testActor),
    ['settings'],
  );
  expect(error.category).toBe('VALIDATION');
  expect(error.issues.map(i => i.path)).toEqual([path, ...alsoAt]);
  expect(error.issues[0]?.message).toMatch(message);
  expect(error.message).toContain(path.join('.'));
  const after = await getSettingsRow(db.em());
  expect(after?.version).toBe(before?.version);
  expect(after?.document).toEqual(before?.document);
}

/** A review-cadence change sent with `expectedVersion`, refused as VERSION_CONFLICT with nothing written. */
function staleCadenceChange(expectedVersion: number, reviewCadenceMonths: number) {
  return expectRejected(
    db.em(),
    'VERSION_CONFLICT',
    () => updateSettings(db.em(), { expectedVersion, patch: { plans: { reviewCadenceMonths } } }, testActor),
    ['settings'],
  );
}

describe('settings validation', () => {
  it('starts from the defaults of domain.md', async () => {
    const settings = await getSettings(db.em());
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.selection.financialWeights).toEqual({ revenue: 40, margin: 30, growthPotential: 30 });
    expect([settings.selection.attractivenessThreshold, settings.selection.relationshipThreshold]).toEqual([
      60, 60,
    ]);
    expect(settings.pyramid).toEqual({ largeShare: 0.1, mediumShare: 0.3 });
    expect(settings.designation.reviewMonths).toBe(24);
  });

  it('weights must add up to 100', async () => {
    await expectInvalid(
      { selection: { financialWeights: { revenue: 40, margin: 30, growthPotential: 20 } } },
      ['patch', 'selection', 'financialWeights'],
      /add up to 100/,
    );
    await expectInvalid(
      { selection: { relationshipWeights: { attitude: 70, yearsAsCustomer: 20, stakeholderCoverage: 15 } } },
      ['patch', 'selection', 'relationshipWeights'],
      /add up to 100/,
    );
    await expectInvalid(
      { health: { weights: { relationshipStrength: 101 } } },
      ['patch', 'health', 'weights', 'relationshipStrength'],
      /100/,
      [['patch', 'health', 'weights']],
    );
    await expectInvalid(
      { selection: { attractivenessWeights: { financial: 110, strategic: -10 } } },
      ['patch', 'selection', 'attractivenessWeights', 'financial'],
      /100/,
      [['patch', 'selection', 'attractivenessWeights', 'strategic']],
    );
  });

  it('pyramid bands are shares between 0 and 1 that leave room for ACTIVE_SMALL', async () => {
    await expectInvalid({ pyramid: { largeShare: 0.7, mediumShare: 0.3 } }, ['patch', 'pyramid'], /below 1/);
    await expectInvalid({ pyramid: { largeShare: 0 } }, ['patch', 'pyramid', 'largeShare'], /0/);
  });

  it('thresholds are 0–100 and health bands are ordered', async () => {
    await expectInvalid(
      { selection: { attractivenessThreshold: 120 } },
      ['patch', 'selection', 'attractivenessThreshold'],
      /100/,
    );
    await expectInvalid(
      { selection: { financialScreenThreshold: -1 } },
      ['patch', 'selection', 'financialScreenThreshold'],
      /0/,
    );
    await expectInvalid(
      { health: { redBelow: 70, greenFrom: 70 } },
      ['patch', 'health'],
      /redBelow must be lower/,
    );
  });

  it('a designation review period is never below 24 months', async () => {
    await expectInvalid(
      { designation: { reviewMonths: 12 } },
      ['patch', 'designation', 'reviewMonths'],
      /^must be at least 24: a designation's review is due at least 24 months after/,
    );
  });

  it('refuses unknown settings and a malformed currency', async () => {
    await expectInvalid(
      { selection: { surpriseWeight: 3 } } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'selection'],
      /surpriseWeight|unrecognized/i,
    );
    await expectInvalid({ currency: 'euro' }, ['patch', 'currency'], /ISO 4217/);
    // Three capitals that are no currency: every snapshot would print amounts in "ZZZ".
    await expectInvalid({ currency: 'ZZZ' }, ['patch', 'currency'], /"ZZZ" is not an ISO 4217 currency code/);
    const error = await expectRejected(
      db.em(),
      'SETTINGS_INVALID',
      () => updateSettings(db.em(), { expectedVersion: 1, patch: { currency: 'ZZZ' } }, testActor),
      ['settings'],
    );
    expect(error.issues[0]?.code).toBe('INVALID_FORMAT');
  });
});

describe('programme checklists', () => {
  it('default to the checklists of 000 §4, and a patch replaces the list of a stage as a whole', async () => {
    const settings = await getSettings(db.em());
    expect(settings.programme.checklists.IMPLEMENT).toEqual([
      'Decide whether to implement across the business',
      'Take each business through Test and Learn',
    ]);
    const changed = await updateSettings(
      db.em(),
      {
        expectedVersion: await currentVersion(),
        patch: {
          programme: { checklists: { LEARN: ['  Quarterly pulse survey ', 'Review the objectives'] } },
        },
      },
      testActor,
    );
    const document = changed.document as unknown as KamSettings;
    expect(document.programme.checklists.LEARN).toEqual(['Quarterly pulse survey', 'Review the objectives']);
    expect(document.programme.checklists.TEST).toEqual(DEFAULT_SETTINGS.programme.checklists.TEST);
    await updateSettings(
      db.em(),
      { expectedVersion: await currentVersion(), patch: { programme: DEFAULT_SETTINGS.programme } },
      testActor,
    );
  });

  it('a stage needs one item at least, at most 30, none blank, longer than 300 characters or twice', async () => {
    await expectInvalid(
      { programme: { checklists: { TEST: [] } } },
      ['patch', 'programme', 'checklists', 'TEST'],
      /^must list at least one item: a stage is passed when its checklist is done$/,
    );
    await expectInvalid(
      { programme: { checklists: { TEST: Array.from({ length: 31 }, (_, i) => `Step ${i + 1}`) } } },
      ['patch', 'programme', 'checklists', 'TEST'],
      /^must list at most 30 items$/,
    );
    await expectInvalid(
      { programme: { checklists: { LEARN: ['Listen', '   '] } } },
      ['patch', 'programme', 'checklists', 'LEARN', 1],
      /^must not be blank$/,
    );
    await expectInvalid(
      { programme: { checklists: { LEARN: ['x'.repeat(301)] } } },
      ['patch', 'programme', 'checklists', 'LEARN', 0],
      /^must be at most 300 characters$/,
    );
    await expectInvalid(
      { programme: { checklists: { UNDERSTAND: ['Communicate', 'Listen', ' communicate'] } } },
      ['patch', 'programme', 'checklists', 'UNDERSTAND', 2],
      /^"communicate" is listed twice in the UNDERSTAND checklist \(as item 1 too\)$/,
    );
    await expectInvalid(
      { programme: { checklists: { DECIDE: ['Decide'] } } } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'programme', 'checklists'],
      /^unknown setting programme\.checklists\.DECIDE; the settings under programme\.checklists are: UNDERSTAND, TEST, LEARN, IMPLEMENT$/,
    );
  });
});

describe('settings error messages', () => {
  it('a weights error names the weights after the merge, their sum, and those the patch kept', async () => {
    // The stored financial weights are the defaults 40/30/30: the patch sets revenue 40 and
    // margin 60, growthPotential keeps 30, so 40 + 60 + 30 = 130.
    await expectInvalid(
      { selection: { financialWeights: { revenue: 40, margin: 60 } } },
      ['patch', 'selection', 'financialWeights'],
      /^must add up to 100, but revenue 40 \+ margin 60 \+ growthPotential 30 = 130 \(growthPotential was not in the patch and kept its stored value: a patch changes only the settings it names\)$/,
    );
    // 25 + 25 (sent) = 50: nothing kept, so nothing to explain.
    await expectInvalid(
      { selection: { attractivenessWeights: { financial: 25, strategic: 25 } } },
      ['patch', 'selection', 'attractivenessWeights'],
      /^must add up to 100, but financial 25 \+ strategic 25 = 50$/,
    );
    // 10 + 15 (stored) + 15 (stored) = 40.
    await expectInvalid(
      { selection: { relationshipWeights: { attitude: 10 } } },
      ['patch', 'selection', 'relationshipWeights'],
      /^must add up to 100, but attitude 10 \+ yearsAsCustomer 15 \+ stakeholderCoverage 15 = 40 \(yearsAsCustomer and stakeholderCoverage were not in the patch and kept their stored values: /,
    );
    // 30 + 20 + 15 + 15 + 15 + 15 = 110.
    await expectInvalid(
      { health: { weights: { relationshipStrength: 30 } } },
      ['patch', 'health', 'weights'],
      /^must add up to 100, but relationshipStrength 30 \+ stakeholderCoverage 20 \+ planFreshness 15 \+ provenValue 15 \+ satisfaction 15 \+ marginTrend 15 = 110 \(stakeholderCoverage, planFreshness, provenValue, satisfaction and marginTrend were not in the patch and kept their stored values: /,
    );
    const error = await expectRejected(
      db.em(),
      'SETTINGS_INVALID',
      async () =>
        updateSettings(
          db.em(),
          {
            expectedVersion: await currentVersion(),
            patch: { selection: { financialWeights: { revenue: 40, margin: 60 } } },
          },
          testActor,
        ),
      ['settings'],
    );
    expect(error.issues[0]?.code).toBe('SETTINGS_WEIGHTS_NOT_100');
    expect(error.message).toContain('selection.financialWeights: must add up to 100, but');
  });

  it('a group of settings or a setting sent as null says to leave it out or send its settings', async () => {
    await expectInvalid(
      { selection: null } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'selection'],
      /^cannot be null: leave selection out to keep it, or send the settings to change under it \(financialWeights, attractivenessWeights, /,
    );
    await expectInvalid(
      { plans: { reviewCadenceMonths: null } } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'plans', 'reviewCadenceMonths'],
      /^cannot be null: leave plans\.reviewCadenceMonths out to keep it, or send a value$/,
    );
  });

  it('an unknown setting is named with the settings allowed at its place', async () => {
    await expectInvalid(
      { selection: { foo: 1 } } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'selection'],
      /^unknown setting selection\.foo; the settings under selection are: financialWeights, attractivenessWeights, relationshipWeights, yearsForFullLoyalty, attractivenessThreshold, relationshipThreshold, financialScreenThreshold$/,
    );
    await expectInvalid(
      { foo: 1, bar: 2 } as unknown as UpdateSettingsInput['patch'],
      ['patch'],
      /^unknown settings foo and bar; the top-level settings are: currency, pyramid, selection, designation, plans, health, programme, lifetime$/,
    );
    await expectInvalid(
      { health: { weights: { margin: 10 } } } as unknown as UpdateSettingsInput['patch'],
      ['patch', 'health', 'weights'],
      /^unknown setting health\.weights\.margin; the settings under health\.weights are: relationshipStrength, stakeholderCoverage, planFreshness, provenValue, satisfaction, marginTrend$/,
    );
    const error = await expectRejected(
      db.em(),
      'SETTINGS_INVALID',
      async () =>
        updateSettings(
          db.em(),
          { expectedVersion: await currentVersion(), patch: { plans: { foo: 1 } } as never },
          testActor,
        ),
      ['settings'],
    );
    expect(error.issues[0]?.code).toBe('UNRECOGNIZED_KEYS');
  });

  it("a value out of its range is told in kam's words, with its bound", async () => {
    await expectInvalid(
      { selection: { attractivenessThreshold: 120 } },
      ['patch', 'selection', 'attractivenessThreshold'],
      /^must be at most 100$/,
    );
    await expectInvalid(
      { selection: { financialScreenThreshold: -1 } },
      ['patch', 'selection', 'financialScreenThreshold'],
      /^must be at least 0$/,
    );
    await expectInvalid(
      { designation: { reviewDueWarningDays: 400 } },
      ['patch', 'designation', 'reviewDueWarningDays'],
      /^must be at most 365$/,
    );
    await expectInvalid(
      { selection: { yearsForFullLoyalty: 2.5 } },
      ['patch', 'selection', 'yearsForFullLoyalty'],
      /^must be a whole number$/,
    );
    await expectInvalid(
      { pyramid: { largeShare: 0 } },
      ['patch', 'pyramid', 'largeShare'],
      /^must be above 0$/,
    );
    // 0.1 (stored) + 1 is not below 1 either.
    await expectInvalid(
      { pyramid: { mediumShare: 1 } },
      ['patch', 'pyramid', 'mediumShare'],
      /^must be below 1$/,
      [['patch', 'pyramid']],
    );
    await expectInvalid(
      { lifetime: { maxExpectedLifetimeYears: 0 } },
      ['patch', 'lifetime', 'maxExpectedLifetimeYears'],
      /^must be at least 1$/,
    );
    const error = await expectRejected(
      db.em(),
      'SETTINGS_INVALID',
      async () =>
        updateSettings(
          db.em(),
          { expectedVersion: await currentVersion(), patch: { selection: { attractivenessThreshold: 120 } } },
          testActor,
        ),
      ['settings'],
    );
    expect(error.issues[0]?.code).toBe('TOO_BIG');
  });
});

describe('changing settings', () => {
  it('stores a valid change, keeps what the patch leaves out, bumps the version and audits it', async () => {
    const version = await currentVersion();
    const row = await updateSettings(
      db.em(),
      {
        expectedVersion: version,
        patch: { selection: { financialWeights: { revenue: 50, margin: 25, growthPotential: 25 } } },
      },
      testActor,
    );
    expect(row.version).toBe(version + 1);
    const settings: KamSettings = await getSettings(db.em());
    expect(settings.selection.financialWeights).toEqual({ revenue: 50, margin: 25, growthPotential: 25 });
    expect(settings.selection.attractivenessWeights).toEqual(
      DEFAULT_SETTINGS.selection.attractivenessWeights,
    );
    expect(settings.health).toEqual(DEFAULT_SETTINGS.health);
    const [update] = await db
      .em()
      .find(
        AuditEntry,
        { entityType: 'Settings', entityId: String(row.id), action: 'UPDATE' },
        { orderBy: { id: 'desc' }, limit: 1 },
      );
    // A JSON column is recorded as its JSON text, before and after alike.
    const change = update?.changes.document as { before: unknown; after: unknown };
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as KamSettings;
    expect(parse(change.before).selection.financialWeights.revenue).toBe(40);
    expect(parse(change.after).selection.financialWeights.revenue).toBe(50);
  });

  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const version = await currentVersion();
    await updateSettings(
      db.em(),
      { expectedVersion: version, patch: { plans: { reviewCadenceMonths: 6 } } },
      testActor,
    );
    const error = await staleCadenceChange(version, 1);
    expect(error.message).toBe(
      `The settings were changed by someone else: you sent version ${version}, the current version is ${version + 1}. Reload them, reapply your change and send version ${version + 1}.`,
    );
    expect(error.details).toMatchObject({
      entity: 'Settings',
      expectedVersion: version,
      currentVersion: version + 1,
    });
    expect((await getSettings(db.em())).plans.reviewCadenceMonths).toBe(6);
    expect(await db.em().count(Settings, {})).toBe(1);
  });

  it('without a settings row, the version to send is 1, that of a fresh row; another is VERSION_CONFLICT', async () => {
    // A database that `kam migrate` has not given its settings row (the settings read as the
    // defaults, version 1, as the API's settings query says).
    await db.em().nativeDelete(Settings, {});
    for (const stale of [2, 7]) {
      const error = await staleCadenceChange(stale, 2);
      expect(error.details).toMatchObject({ entity: 'Settings', expectedVersion: stale, currentVersion: 1 });
      expect(error.message).toContain(`you sent version ${stale}, the current version is 1`);
    }
    expect(await db.em().count(Settings, {})).toBe(0);
    const row = await updateSettings(
      db.em(),
      { expectedVersion: 1, patch: { plans: { reviewCadenceMonths: 2 } } },
      testActor,
    );
    // The change made version 2 of the settings: a second client that also read version 1 of the
    // absent row is refused, as it would be had the row existed.
    expect(row.version).toBe(2);
    expect((await getSettings(db.em())).plans.reviewCadenceMonths).toBe(2);
    await staleCadenceChange(1, 4);
  });

  it('a change without expectedVersion is refused, so the lock cannot be skipped', async () => {
    const before = await getSettingsRow(db.em());
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateSettings(
          db.em(),
          { patch: { plans: { reviewCadenceMonths: 2 } } } as unknown as UpdateSettingsInput,
          testActor,
        ),
      ['settings'],
    );
    expect(error.issues.map(i => i.path)).toEqual([['expectedVersion']]);
    expect((await getSettingsRow(db.em()))?.version).toBe(before?.version);
  });
});

describe('the one settings row', () => {
  it('the database refuses a second settings row', async () => {
    if (!(await getSettingsRow(db.em()))) await ensureReferenceData(db.em(), systemActor('test'));
    const connection = db.em().getConnection();
    // Written around the use cases, as a script or an older kam could: the table itself says no.
    await expect(
      connection.execute(
        'insert into settings (created_at, updated_at, version, document) values (?, ?, 1, ?)',
        [new Date(), new Date(), JSON.stringify(DEFAULT_SETTINGS)],
      ),
    ).rejects.toThrow(/unique|constraint/i);
    expect(await db.em().count(Settings, {})).toBe(1);
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('the first settings change twice at the same time', () => {
  const change = (reviewCadenceMonths: number) => (em: Parameters<typeof updateSettings>[0]) =>
    updateSettings(em, { expectedVersion: 1, patch: { plans: { reviewCadenceMonths } } }, testActor);

  it('writes one row: the first change makes version 2, the other is VERSION_CONFLICT', async () => {
    // Each read no row before the other committed, and each inserted one: two settings rows,
    // reads took the lower id, and the other change was lost without a word.
    await db.em().nativeDelete(Settings, {});
    const [first, second] = await overlap(db, change(2), change(4));
    expect(first.ok ? first.value.version : first.error).toBe(2);
    expect(second.ok ? 'two changes accepted' : (second.error as DomainError)).toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { entity: 'Settings', expectedVersion: 1, currentVersion: 2 },
    });
    expect(await db.em().count(Settings, {})).toBe(1);
    expect((await getSettingsRow(db.em()))?.version).toBe(2);
    expect((await getSettings(db.em())).plans.reviewCadenceMonths).toBe(2);
  });

  it('a change sent with version 1 while `kam migrate` creates the row applies on top of it', async () => {
    await db.em().nativeDelete(Settings, {});
    const [seeded, changed] = await overlap(
      db,
      tx => ensureReferenceData(tx, systemActor('migrate')),
      change(3),
    );
    // The other reference data exists already: only the settings row was missing.
    expect(seeded.ok ? seeded.value : seeded.error).toBe(1);
    expect(changed.ok ? changed.value.version : changed.error).toBe(2);
    expect(await db.em().count(Settings, {})).toBe(1);
    expect((await getSettings(db.em())).plans.reviewCadenceMonths).toBe(3);
  });

  it('`kam migrate` while the first change is being saved creates no second row', async () => {
    await db.em().nativeDelete(Settings, {});
    const [changed, seeded] = await overlap(db, change(5), em =>
      ensureReferenceData(em, systemActor('migrate')),
    );
    expect(changed.ok ? changed.value.version : changed.error).toBe(2);
    expect(seeded.ok ? seeded.value : seeded.error).toBe(0);
    expect(await db.em().count(Settings, {})).toBe(1);
    expect((await getSettings(db.em())).plans.reviewCadenceMonths).toBe(5);
  });
});

describe('the reporting currency is set before money is stored', () => {
  // A database of its own: the rule depends on whether any amount is stored at all.
  let money: TestDatabase;
  beforeAll(async () => {
    money = await createTestDatabase();
  });
  afterAll(async () => {
    await money.close();
  });

  const version = async () => (await getSettingsRow(money.em()))?.version ?? 1;
  const change = async (patch: UpdateSettingsInput['patch']) =>
    updateSettings(money.em(), { expectedVersion: await version(), patch }, testActor);

  /** Expects SETTINGS_CURRENCY_IN_USE for a change from EUR to `currency`, with nothing written. */
  async function expectCurrencyInUse(currency: string, storedIn: string) {
    const before = await getSettingsRow(money.em());
    const error = await expectRejected(
      money.em(),
      'SETTINGS_CURRENCY_IN_USE',
      () => change({ currency, plans: { reviewCadenceMonths: 7 } }),
      ['settings'],
    );
    expect(error.category).toBe('RULE');
    expect(error.issues).toEqual([
      {
        path: ['patch', 'currency'],
        code: 'SETTINGS_CURRENCY_IN_USE',
        message: `cannot change from EUR while amounts are stored: they would not be converted to ${currency}`,
      },
    ]);
    expect(error.details).toEqual({ currency: 'EUR', requested: currency, storedIn });
    expect(error.message).toBe(
      `The reporting currency cannot change from EUR to ${currency}: amounts are already stored (${storedIn} holds one), and kam does not convert them, so every amount would be relabelled ${currency} as it stands. Set the currency before loading data; to change it now, start from an empty database, or convert the amounts outside kam and import them again into a database set to ${currency}.`,
    );
    const after = await getSettingsRow(money.em());
    expect([after?.version, after?.document]).toEqual([before?.version, before?.document]);
  }

  it('changes freely while no amount is stored (an account, a signal without a value)', async () => {
    const account = await makeAccount(money.em());
    await recordSignal(
      money.em(),
      { accountId: account.id, kind: 'FEEDBACK', sentiment: 'POSITIVE', occurredOn: '2025-05-04' },
      testActor,
    );
    expect((await change({ currency: 'USD' })).document.currency).toBe('USD');
    expect((await change({ currency: 'EUR' })).document.currency).toBe('EUR');
  });

  it('refuses a change once a financial line is stored; the same currency and other settings still change', async () => {
    const account = await makeAccount(money.em());
    await recordFinancials(
      money.em(),
      { accountId: account.id, quarter: '2025-Q1', revenue: '100', grossProfit: '30', costToServe: '1' },
      testActor,
    );
    await expectCurrencyInUse('JPY', 'QuarterlyFinancial.revenue');
    const row = await change({ currency: 'EUR', plans: { reviewCadenceMonths: 4 } });
    expect([row.document.currency, row.document.plans.reviewCadenceMonths]).toEqual(['EUR', 4]);
    expect((await change({ plans: { reviewCadenceMonths: 3 } })).document.currency).toBe('EUR');
    // A malformed currency is still told as such, not as a currency in use.
    await expectRejected(money.em(), 'SETTINGS_INVALID', () => change({ currency: 'ZZZ' }), ['settings']);
  });

  it('counts an amount of any money column, not only the financials', async () => {
    await money.em().nativeDelete(QuarterlyFinancial, {});
    const account = await makeAccount(money.em());
    const unit = await makeBusinessUnit(money.em());
    const opportunity = await createOpportunity(
      money.em(),
      { accountId: account.id, businessUnitId: unit.id, name: 'Retrofit', value: '25000.00' },
      testActor,
    );
    await expectCurrencyInUse('GBP', 'Opportunity.value');
    await money.em().nativeDelete(Opportunity, { id: opportunity.id });
    // A referral's value (a nullable money column).
    await recordSignal(
      money.em(),
      { accountId: account.id, kind: 'REFERRAL', occurredOn: '2025-05-04', value: '1200.50' },
      testActor,
    );
    await expectCurrencyInUse('GBP', 'CustomerSignal.value');
    await money.em().nativeDelete(CustomerSignal, { kind: 'REFERRAL' });
    // The target of a KPI counted in money is an amount of the currency too (a decimal column).
    await updateKpiDefinition(
      money.em(),
      { code: 'CUSTOMER_LIFETIME_VALUE', expectedVersion: 1, target: '50000' },
      testActor,
    );
    await expectCurrencyInUse('GBP', 'KpiDefinition.target (CUSTOMER_LIFETIME_VALUE)');
    await updateKpiDefinition(
      money.em(),
      { code: 'CUSTOMER_LIFETIME_VALUE', expectedVersion: 2, target: null },
      testActor,
    );
    expect((await change({ currency: 'GBP' })).document.currency).toBe('GBP');
  });
});
