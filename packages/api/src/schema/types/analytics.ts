/**
 * Live analytics (domain §2–10) for any quarter, computed now from the current data by the
 * domain's analytics (SQL aggregation). Closed quarters are read from snapshots instead
 * (snapshot.ts), which never change. Every figure is typed: the KPIs and the whitespace
 * matrix here, the portfolio summaries (pyramid, Pareto, selection, journey, value,
 * profitability, group roll-up) in summaries.ts, in the snapshot contract's shapes.
 */
import {
  type Account,
  type AccountFlag,
  type AccountHealth,
  assertQuarterStarted,
  computeGroupRollups,
  computeJourney,
  computeKpis,
  computePareto,
  computeProfitability,
  computePyramid,
  computeSelection,
  computeValue,
  computeWhitespaces,
  type GroupRollup,
  type KpiResult,
  placeholders,
  type WhitespaceCell,
} from '@kam/domain';
import { effectiveWeights } from '@kam/domain/rounding';
import { builder } from '../../builder.ts';
import type { KamContext } from '../../context.ts';
import { ACCOUNT_FIELD_LOADERS, requestLoader } from '../loaders.ts';
import { standingOf } from '../standings.ts';
import { AccountRef } from './account.ts';
import {
  FlagRef,
  flagsOfQuarter,
  GroupRollupRef,
  JourneySummaryRef,
  ParetoBasisEnum,
  ParetoSummaryRef,
  ProfitabilitySummaryRef,
  PyramidSummaryRef,
  SelectionSummaryRef,
  ValueSummaryRef,
} from './summaries.ts';
import {
  AccountQuadrantEnum,
  KpiCodeEnum,
  KpiDirectionEnum,
  KpiUnitEnum,
  PyramidLevelEnum,
} from './vocabulary.ts';

const KpiPointRef = builder.objectRef<KpiResult['trend'][number]>('KpiPoint').implement({
  description: 'A KPI’s value in one quarter.',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: p => p.quarter }),
    value: t.float({
      nullable: true,
      description: 'The value, in the KPI’s unit; null without data.',
      resolve: p => p.value,
    }),
  }),
});

const KpiUnitValueRef = builder.objectRef<KpiResult['byBusinessUnit'][number]>('KpiUnitValue').implement({
  description: 'A KPI’s value for one business unit.',
  fields: t => ({
    businessUnitCode: t.exposeString('businessUnitCode', { description: 'The business unit’s code.' }),
    value: t.float({
      nullable: true,
      description: 'The value for the unit; null without data.',
      resolve: p => p.value,
    }),
  }),
});

export const KpiRef = builder.objectRef<KpiResult>('Kpi').implement({
  description:
    'One of the thirteen KPIs (domain §10) in a quarter: today’s value against its baseline and target, and its trend.',
  fields: t => ({
    code: t.field({ type: KpiCodeEnum, description: 'Which KPI.', resolve: k => k.code }),
    name: t.exposeString('name', { description: 'Its name.' }),
    description: t.exposeString('description', { description: 'What it measures and how.' }),
    unit: t.field({ type: KpiUnitEnum, description: 'The unit of every value.', resolve: k => k.unit }),
    direction: t.field({
      type: KpiDirectionEnum,
      description: 'Which way is better.',
      resolve: k => k.direction,
    }),
    target: t.float({
      nullable: true,
      description: 'The target; null when not set.',
      resolve: k => k.target,
    }),
    baselineQuarter: t.field({
      type: 'Quarter',
      nullable: true,
      description: 'The quarter of the baseline.',
      resolve: k => k.baselineQuarter,
    }),
    baseline: t.float({ nullable: true, description: 'The baseline value.', resolve: k => k.baseline }),
    value: t.float({
      nullable: true,
      description:
        'Today: the value in the quarter; null when it cannot be computed (nothing recorded, a zero denominator, or, for retention, lifetime value and growth, a prior year that the financial data does not wholly cover).',
      resolve: k => k.value,
    }),
    delta: t.float({ nullable: true, description: 'Today − baseline.', resolve: k => k.delta }),
    improving: t.boolean({
      nullable: true,
      description: 'Whether the change since the baseline goes the right way.',
      resolve: k => k.improving,
    }),
    onTarget: t.boolean({
      nullable: true,
      description: 'Whether the target is met.',
      resolve: k => k.onTarget,
    }),
    trend: t.field({
      type: [KpiPointRef],
      description: 'The value per trend quarter, oldest first.',
      resolve: k => k.trend,
    }),
    byBusinessUnit: t.field({
      type: [KpiUnitValueRef],
      description: 'The value per business unit, where the KPI applies per unit.',
      resolve: k => k.byBusinessUnit,
    }),
    detail: t.field({
      type: 'JSON',
      description: 'KPI-specific detail (counts, amounts).',
      resolve: k => k.detail,
    }),
  }),
});

export const WhitespaceCellRef = builder.objectRef<WhitespaceCell>('WhitespaceCell').implement({
  description: 'One business unit’s cell of an account’s whitespace matrix (domain §3).',
  fields: t => ({
    businessUnitCode: t.exposeString('businessUnitCode', { description: 'The business unit’s code.' }),
    businessUnitName: t.exposeString('businessUnitName', { description: 'Its name.' }),
    ttmRevenue: t.field({
      type: 'Money',
      description: 'Revenue in the TTM window.',
      resolve: c => c.ttmRevenue,
    }),
    potential: t.field({ type: 'Money', description: 'Estimated potential.', resolve: c => c.potential }),
    openQualifiedPipeline: t.field({
      type: 'Money',
      description: 'Open qualified opportunities.',
      resolve: c => c.openQualifiedPipeline,
    }),
    wonValueTtm: t.field({
      type: 'Money',
      description: 'Value won in the TTM window.',
      resolve: c => c.wonValueTtm,
    }),
    whiteSpace: t.exposeBoolean('whiteSpace', {
      description: 'Potential and no revenue: a cross-sell opportunity.',
    }),
  }),
});

const AnalyticsRef = builder.objectRef<{ quarter: string }>('Analytics').implement({
  description:
    'The portfolio’s figures for a quarter, computed now from the current data (closed quarters: see `snapshot`).',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: a => a.quarter }),
    kpis: t.field({
      type: [KpiRef],
      description: 'All thirteen KPIs with baseline, today, target, direction, delta and trend.',
      complexity: 50,
      resolve: (a, _, ctx) => computeKpis(ctx.em, a.quarter),
    }),
    pyramid: t.field({
      type: PyramidSummaryRef,
      description: 'The customer pyramid: accounts and revenue per level, service standards, movements.',
      complexity: 20,
      resolve: async (a, _, ctx) => {
        const { accountLevels: _levels, ...summary } = await computePyramid(ctx.em, a.quarter);
        return summary;
      },
    }),
    pareto: t.field({
      type: ParetoSummaryRef,
      description: 'The Pareto view: the cumulative curve, the 80 % set, the top-20 % share.',
      complexity: 20,
      args: {
        basis: t.arg({
          type: ParetoBasisEnum,
          defaultValue: 'REVENUE',
          description: 'Rank by revenue or gross profit.',
        }),
      },
      resolve: (a, args, ctx) => computePareto(ctx.em, a.quarter, args.basis ?? 'REVENUE'),
    }),
    selection: t.field({
      type: SelectionSummaryRef,
      description:
        'Selection: the attractiveness × relationship matrix, its quadrants, screen candidates and reviews due.',
      complexity: 20,
      resolve: async (a, _, ctx) => (await computeSelection(ctx.em, a.quarter)).summary,
    }),
    journey: t.field({
      type: JourneySummaryRef,
      description: 'The value journey: tier distribution over time and this quarter’s transitions.',
      complexity: 20,
      resolve: (a, _, ctx) => computeJourney(ctx.em, a.quarter),
    }),
    value: t.field({
      type: ValueSummaryRef,
      description: 'Value initiatives by category, phase and outcome, and the gains on both sides.',
      complexity: 20,
      resolve: (a, _, ctx) => computeValue(ctx.em, a.quarter),
    }),
    profitability: t.field({
      type: ProfitabilitySummaryRef,
      description: 'Contribution and margin against size, and per key account.',
      complexity: 20,
      resolve: (a, _, ctx) => computeProfitability(ctx.em, a.quarter),
    }),
  }),
});

builder.queryFields(t => ({
  analytics: t.field({
    type: AnalyticsRef,
    description: 'The analytics of a quarter, computed now from the current data.',
    args: { quarter: t.arg({ type: 'Quarter', required: true, description: 'The quarter, YYYY-Qn.' }) },
    resolve: (_, args) => {
      assertQuarterStarted(args.quarter);
      return { quarter: args.quarter };
    },
  }),
}));

/** A health component with the weight it had in its account's health (`effectiveWeights`). */
type HealthComponentShown = AccountHealth['components'][number] & { effectiveWeight: number };

const HealthComponentRef = builder.objectRef<HealthComponentShown>('HealthComponent').implement({
  description: 'One component of an account’s health score: its value, weight and contribution, explained.',
  fields: t => ({
    key: t.exposeString('key', { description: 'Which component, e.g. relationshipStrength.' }),
    label: t.exposeString('label', { description: 'Its name for people.' }),
    value: t.float({
      nullable: true,
      description: 'The component’s own score 0–100; null without data (its weight is then redistributed).',
      resolve: c => c.value,
    }),
    weight: t.exposeFloat('weight', {
      description:
        'The configured weight, 0–100 (settings health.weights), whether or not the component has data.',
    }),
    effectiveWeight: t.exposeFloat('effectiveWeight', {
      description:
        'The weight actually used, 0–100 with 1 decimal: 0 for a component without data (value null), whose configured weight is shared among the others in proportion to theirs; the components’ effective weights add up to 100.0. contribution = value × effectiveWeight ÷ 100.',
    }),
    contribution: t.exposeFloat('contribution', { description: 'What it adds to the health score.' }),
    explanation: t.exposeString('explanation', {
      description: 'Why the value is what it is, and what would raise it.',
    }),
  }),
});

export const HealthRef = builder.objectRef<AccountHealth & { quarter: string }>('AccountHealth').implement({
  description: 'The explainable health of an account (domain §6–7) as of the latest closed quarter.',
  fields: t => ({
    quarter: t.field({
      type: 'Quarter',
      description: 'The closed quarter it is computed for.',
      resolve: h => h.quarter,
    }),
    score: t.exposeFloat('score', { description: 'The health score, 0–100.' }),
    status: t.exposeString('status', { description: 'RED, AMBER or GREEN by the configured thresholds.' }),
    components: t.field({
      type: [HealthComponentRef],
      description: 'Every component with its value, weight, effective weight and contribution.',
      resolve: h => {
        // The domain's rule (the one the health score was computed with), from the stored components.
        const effective = effectiveWeights(h.components);
        return h.components.map((c, i) => ({ ...c, effectiveWeight: effective[i]! }));
      },
    }),
  }),
});

/** One column of the accounts' documents in the latest closed quarter, with that quarter. */
function latestSnapshotColumn(ctx: KamContext, ids: number[], column: 'health' | 'payload') {
  return ctx.em
    .getConnection()
    .execute<{ account_id: number | bigint; quarter: string; value: string | null }[]>(
      `select s.account_id, q.quarter, s.${column} as value
       from account_snapshot s
       join (select id, quarter from quarter_snapshot order by quarter desc, revision desc limit 1) q
         on q.id = s.snapshot_id
       where s.account_id in (${placeholders(ids)})`,
      ids,
    );
}

/** Each account's health as of the latest closed quarter, or null. */
const healthOf = requestLoader(async (ids: number[], ctx) => {
  // The snapshot's health column (written at close), not the whole account payload.
  const rows = await latestSnapshotColumn(ctx, ids, 'health');
  const byId = new Map<number, AccountHealth & { quarter: string }>();
  for (const row of rows) {
    if (row.value === null) continue;
    byId.set(Number(row.account_id), {
      ...(JSON.parse(row.value) as AccountHealth),
      quarter: row.quarter,
    });
  }
  return ids.map(id => byId.get(id) ?? null);
});
ACCOUNT_FIELD_LOADERS.set('health', healthOf);

/** Each account's flags in the latest closed quarter (from its snapshot document). */
const flagsOf = requestLoader(async (ids: number[], ctx) => {
  const rows = await latestSnapshotColumn(ctx, ids, 'payload');
  const byId = new Map<number, (AccountFlag & { quarter: string })[]>();
  for (const row of rows) {
    const { flags } = JSON.parse(row.value ?? '{}') as { flags?: AccountFlag[] };
    byId.set(Number(row.account_id), flagsOfQuarter(flags ?? [], row.quarter));
  }
  return ids.map(id => byId.get(id) ?? []);
});

/**
 * Each account's group roll-up in a quarter, keyed `quarter account-id`: one statement per
 * quarter a request asks for (computeGroupRollups takes the page's accounts at once), not one
 * per account.
 */
const groupRollupOf = requestLoader(async (keys: string[], ctx) => {
  const idsByQuarter = new Map<string, number[]>();
  for (const key of keys) {
    const [quarter = '', id] = key.split(' ');
    const ids = idsByQuarter.get(quarter);
    if (ids) ids.push(Number(id));
    else idsByQuarter.set(quarter, [Number(id)]);
  }
  const rollups = new Map<string, GroupRollup>();
  for (const [quarter, ids] of idsByQuarter) {
    for (const [id, rollup] of await computeGroupRollups(ctx.em, quarter, ids)) {
      rollups.set(`${quarter} ${id}`, rollup);
    }
  }
  return keys.map(key => rollups.get(key) ?? null);
});

/**
 * Each account's whitespace in a quarter, keyed `quarter group account-id` (group 0 or 1): one
 * set of statements per quarter and kind a request asks for, not per account.
 */
const whitespaceOf = requestLoader(async (keys: string[], ctx) => {
  const idsBy = new Map<string, number[]>();
  for (const key of keys) {
    const [quarter = '', group = '0', id] = key.split(' ');
    const batch = `${quarter} ${group}`;
    const ids = idsBy.get(batch);
    if (ids) ids.push(Number(id));
    else idsBy.set(batch, [Number(id)]);
  }
  const cells = new Map<string, WhitespaceCell[]>();
  for (const [batch, ids] of idsBy) {
    const [quarter = '', group] = batch.split(' ');
    const byAccount = await computeWhitespaces(ctx.em, quarter, ids, { group: group === '1' });
    for (const [id, list] of byAccount) cells.set(`${batch} ${id}`, list);
  }
  return keys.map(key => cells.get(key) ?? []);
});

const standingQuarter = {
  type: 'Quarter',
  description: 'The quarter, YYYY-Qn; default: the last quarter that has ended.',
} as const;

builder.objectFields(AccountRef, t => ({
  pyramidLevel: t.field({
    type: PyramidLevelEnum,
    description:
      'The account’s level of the customer pyramid in a quarter, from the current data (revenue bands rank the whole portfolio, so the first such field of a request computes every account’s).',
    args: { quarter: t.arg(standingQuarter) },
    complexity: 10,
    resolve: async (account: Account, args, ctx) =>
      (await standingOf(ctx, args.quarter, account.id, 'quarter'))?.pyramidLevel ?? 'SUSPECT',
  }),
  quadrant: t.field({
    type: AccountQuadrantEnum,
    nullable: true,
    description:
      'The account’s quadrant of the selection matrix in a quarter, from its latest assessment by then; null if it was never assessed.',
    args: { quarter: t.arg(standingQuarter) },
    complexity: 10,
    resolve: async (account: Account, args, ctx) =>
      (await standingOf(ctx, args.quarter, account.id, 'quarter'))?.quadrant ?? null,
  }),
  flags: t.field({
    type: [FlagRef],
    description:
      'Why the key account needs attention, as of the latest closed quarter (close a quarter to refresh them); empty when nothing is flagged or the account was not a key account then.',
    complexity: 5,
    resolve: (account: Account, _args, ctx) => flagsOf.resolve(ctx, account.id),
  }),
  health: t.field({
    type: HealthRef,
    nullable: true,
    description:
      'The account’s health as of the latest closed quarter (close a quarter to refresh it); null for an account without one.',
    resolve: (account: Account, _args, ctx) => healthOf.resolve(ctx, account.id),
  }),
  whitespace: t.field({
    type: [WhitespaceCellRef],
    description:
      'The account × business-unit matrix for a quarter, white-space cells marked (with `group`: the whole group).',
    complexity: 10,
    args: {
      quarter: t.arg({ type: 'Quarter', required: true, description: 'The quarter, YYYY-Qn.' }),
      group: t.arg.boolean({ description: 'Include all descendants.', defaultValue: false }),
    },
    resolve: (account: Account, args, ctx) => {
      assertQuarterStarted(args.quarter);
      return whitespaceOf.resolve(ctx, `${args.quarter} ${args.group ? 1 : 0} ${account.id}`);
    },
  }),
  groupRollup: t.field({
    type: GroupRollupRef,
    nullable: true,
    description:
      'For a group account: its figures including all descendants in the quarter; null for a leaf.',
    complexity: 10,
    args: { quarter: t.arg({ type: 'Quarter', required: true, description: 'The quarter, YYYY-Qn.' }) },
    resolve: (account: Account, args, ctx) => {
      assertQuarterStarted(args.quarter);
      return groupRollupOf.resolve(ctx, `${args.quarter} ${account.id}`);
    },
  }),
}));
