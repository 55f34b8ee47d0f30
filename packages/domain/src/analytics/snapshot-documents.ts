import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import { quarterIndex } from '../common/quarter.ts';
import type { ContactFunction } from '../common/vocabulary.ts';
import { getSettings } from '../settings/settings.service.ts';
import {
  type AccountSnapshotPayload,
  type BusinessUnitSummary,
  FLAG_KINDS,
  type FlagKind,
  type FlagSummary,
  type GrowthComparison,
  type GrowthGroup,
  type PortfolioSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  type WinRateSummary,
} from '../snapshots/snapshot.types.ts';
import { loadAccountBase } from './account-base.ts';
import {
  contactFacts,
  designationIntervals,
  emptySignals,
  initiativeFacts,
  isKeyAt,
  isProven,
  isProvenRecognised,
  planFacts,
  quarterlyFigures,
  revenueYearToDate,
  signalFacts,
  surveyFacts,
  teamFacts,
  tierAssessments,
} from './account-details.ts';
import { keyAccountFlags } from './flags.ts';
import { accountHealth } from './health.ts';
import { suggestTier, summariseJourney } from './journey.ts';
import {
  computeKpis,
  type GroupGrowthFacts,
  type KpiFacts,
  keyVsControlRatio,
  loadKpiFacts,
} from './kpis.ts';
import { paretoOf } from './pareto.ts';
import { periodOf, trendQuartersOf } from './period.ts';
import { contributionOf, summariseProfitability } from './profitability.ts';
import { previousPyramidLevels, pyramidLevels, serviceStandards, summarisePyramid } from './pyramid.ts';
import {
  businessUnits,
  computeGroupRollups,
  loadWhitespaceFacts,
  type WhitespaceFacts,
  whitespaceCells,
} from './rollup.ts';
import { exactRatio, margin, yearOnYearGrowth } from './rounding.ts';
import { computeSelection } from './selection.ts';
import { compareText } from './sql.ts';
import { summariseValue } from './value.ts';

/** The portfolio document without what only the close itself sets (revision, closedAt, closedBy). */
export type PortfolioData = Omit<PortfolioSnapshot, 'revision' | 'closedAt' | 'closedBy'>;

export interface QuarterDocuments {
  portfolio: PortfolioData;
  /** One document per account, in external-ref order. */
  accounts: AccountSnapshotPayload[];
}

/** A group's year-on-year figures; the growth rates are null without a whole prior year of data. */
function growthGroup(g: GroupGrowthFacts, wholePriorYear: boolean): GrowthGroup {
  return {
    accounts: g.accounts,
    ttmRevenue: fromCents(g.revenue),
    priorTtmRevenue: fromCents(g.priorRevenue),
    revenueGrowth: yearOnYearGrowth(g.revenue, g.priorRevenue, wholePriorYear),
    ttmGrossProfit: fromCents(g.grossProfit),
    priorTtmGrossProfit: fromCents(g.priorGrossProfit),
    grossProfitGrowth: yearOnYearGrowth(g.grossProfit, g.priorGrossProfit, wholePriorYear),
  };
}

/**
 * Computes everything a quarter snapshot freezes (domain §12), with set-based queries: the
 * portfolio figures and one document per account. Deterministic: the same data gives equal
 * documents (lists are sorted as the contract states, numbers rounded as it documents).
 */
export async function buildQuarterDocuments(
  em: EntityManager,
  quarter: string,
  onProgress?: (step: string) => void,
): Promise<QuarterDocuments> {
  const p = periodOf(quarter);
  const settings = await getSettings(em);
  const trend = await trendQuartersOf(em, p.quarter);
  const step = (s: string) => onProgress?.(s);

  const base = await loadAccountBase(em, p);
  step('base');
  const levels = pyramidLevels(base, settings.pyramid);
  const previousLevels = await previousPyramidLevels(em, p, settings.pyramid);
  const standards = await serviceStandards(em);
  const pyramid = summarisePyramid(base, levels, previousLevels, standards, settings.pyramid);
  const pareto = paretoOf(
    base.map(r => ({ externalRef: r.externalRef, value: r.ttmRevenue })),
    'REVENUE',
  );
  const selection = await computeSelection(em, p, { base, settings });
  step('pyramid, pareto, selection');

  const firstTier = quarterIndex(trend[0]!) < quarterIndex(p.previousQuarter) ? trend[0]! : p.previousQuarter;
  const tiers = await tierAssessments(em, firstTier, p.quarter);
  const intervals = await designationIntervals(em);
  const keyIds = base.filter(r => r.designationId !== null).map(r => r.id);
  const journey = summariseJourney(
    trend,
    tiers,
    (id, date) => isKeyAt(intervals.get(id), date),
    [...intervals.keys()].sort((a, b) => a - b),
  );
  const initiatives = await initiativeFacts(em, p.asOf);
  const value = summariseValue(initiatives, keyIds, p.asOf);
  const profitability = summariseProfitability(base);
  step('journey, value, profitability');

  const facts = new Map<string, KpiFacts>();
  for (const t of trend) facts.set(t, await loadKpiFacts(em, t));
  const kpis = await computeKpis(em, p.quarter, { trendQuarters: trend, settings, facts });
  const current = facts.get(p.quarter)!;
  step('kpis');

  const key: GroupGrowthFacts = {
    accounts: 0,
    revenue: 0n,
    priorRevenue: 0n,
    grossProfit: 0n,
    priorGrossProfit: 0n,
  };
  const control: GroupGrowthFacts = { ...key };
  let totalRev = 0n;
  let totalGp = 0n;
  let totalCts = 0n;
  let active = 0;
  for (const r of base) {
    totalRev += r.ttmRevenue;
    totalGp += r.ttmGrossProfit;
    totalCts += r.ttmCostToServe;
    if (r.ttmRevenue > 0n) active += 1;
    const g = r.designationId !== null ? key : control;
    g.accounts += 1;
    g.revenue += r.ttmRevenue;
    g.priorRevenue += r.priorRevenue;
    g.grossProfit += r.ttmGrossProfit;
    g.priorGrossProfit += r.priorGrossProfit;
  }
  const wholePriorYear = current.wholePriorYear;
  const growthComparison: GrowthComparison = {
    keyAccounts: growthGroup(key, wholePriorYear),
    controlGroup: growthGroup(control, wholePriorYear),
    ratio: wholePriorYear ? keyVsControlRatio(key, control) : null,
    trend: trend.map(t => {
      const f = facts.get(t)!;
      return {
        quarter: t,
        keyAccountGrowth: yearOnYearGrowth(f.key.revenue, f.key.priorRevenue, f.wholePriorYear),
        controlGroupGrowth: yearOnYearGrowth(f.control.revenue, f.control.priorRevenue, f.wholePriorYear),
      };
    }),
  };
  const winTarget = kpis.find(k => k.code === 'WIN_RATE')?.target;
  const winRate: WinRateSummary = {
    won: current.won,
    lost: current.lost,
    rate: exactRatio(current.won, current.won + current.lost),
    target: winTarget == null ? null : winTarget / 100,
    wonValue: fromCents(current.wonValue),
    trend: trend.map(t => {
      const f = facts.get(t)!;
      return {
        quarter: t,
        won: f.wonInQuarter,
        lost: f.lostInQuarter,
        rate: exactRatio(f.wonInQuarter, f.wonInQuarter + f.lostInQuarter),
      };
    }),
  };

  // Per-account detail.
  const figures = await quarterlyFigures(em, trend[0]!, p.quarter);
  const ytd = await revenueYearToDate(em, p);
  const plans = await planFacts(em, p);
  const team = await teamFacts(em, p);
  const contacts = await contactFacts(em);
  const surveys = await surveyFacts(em, p.ttmStart, p.quarter);
  const signals = await signalFacts(em, p.quarter);
  const rollups = await computeGroupRollups(em, p);
  const units = await businessUnits(em);
  const unitNames = new Map(units.map(unit => [unit.code, unit.name]));
  const unitName = (code: string) => unitNames.get(code) ?? code;
  const whitespace = await loadWhitespaceFacts(em, p);
  step('account detail');
  const whitespaceBy = new Map<number, WhitespaceFacts[]>();
  for (const w of whitespace) {
    const list = whitespaceBy.get(w.accountId);
    if (list) list.push(w);
    else whitespaceBy.set(w.accountId, [w]);
  }
  const refById = new Map(base.map(r => [r.id, r.externalRef]));
  const nameById = new Map(base.map(r => [r.id, r.name]));

  const flagCounts = Object.fromEntries(FLAG_KINDS.map(k => [k, 0])) as Record<FlagKind, number>;
  const flagged: FlagSummary['accounts'] = [];
  const accounts: AccountSnapshotPayload[] = [];
  for (const row of base) {
    const isKey = row.designationId !== null;
    const sel = selection.byAccount.get(row.id)!;
    const accountTiers = tiers.get(row.id) ?? [];
    const accountInitiatives = initiatives.get(row.id) ?? [];
    const accountContacts = contacts.get(row.id) ?? [];
    const accountTeam = team.get(row.id) ?? [];
    const plan = plans.get(row.id);
    const byQuarter = new Map((figures.get(row.id) ?? []).map(f => [f.quarter, f]));
    const contribution = contributionOf(row);
    // The margin a year earlier, for the health's margin trend and the suggested tier: none
    // (so no trend) unless the data holds the whole prior year, as for growth.
    const yearOnYear = {
      ttmRevenue: row.ttmRevenue,
      ttmGrossProfit: row.ttmGrossProfit,
      priorRevenue: wholePriorYear ? row.priorRevenue : 0n,
      priorGrossProfit: wholePriorYear ? row.priorGrossProfit : 0n,
    };
    const proven = accountInitiatives.filter(i => isProvenRecognised(i, p.asOf)).length;
    // Proven value still awaiting recognition (`isProven`: measured, not REJECTED: a rejected one
    // delivers nothing more, and an ended initiative takes no recognition).
    const provenNotRecognised = accountInitiatives.filter(
      i => isProven(i) && !isProvenRecognised(i, p.asOf),
    ).length;
    // Counted once, by selection's `contactCoverage` (a counterpart covers only while active).
    const { influential, covered } = selection.coverage.get(row.id) ?? { influential: 0, covered: 0 };
    const survey = surveys.get(row.id);
    const flags = isKey
      ? keyAccountFlags(
          {
            team: accountTeam,
            plan,
            contacts: accountContacts,
            reviewDueOn: row.reviewDueOn,
            provenRecognised: proven,
            unitName,
          },
          settings,
          p.asOf,
        )
      : [];
    if (flags.length > 0) {
      for (const f of flags) flagCounts[f.kind] += 1;
      flagged.push({ accountId: row.id, externalRef: row.externalRef, name: row.name, flags });
    }
    const current = accountTiers.find(t => t.quarter === p.quarter) ?? null;
    const byFunction = new Map<string, { contacts: number; champions: number }>();
    for (const c of accountContacts) {
      const f = byFunction.get(c.function) ?? { contacts: 0, champions: 0 };
      f.contacts += 1;
      if (c.stance === 'CHAMPION') f.champions += 1;
      byFunction.set(c.function, f);
    }
    accounts.push({
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      quarter: p.quarter,
      accountId: row.id,
      externalRef: row.externalRef,
      name: row.name,
      parentExternalRef: row.parentId === null ? null : (refById.get(row.parentId) ?? null),
      parentName: row.parentId === null ? null : (nameById.get(row.parentId) ?? null),
      segmentCode: row.segmentCode,
      segmentName: row.segmentName,
      industry: row.industry,
      country: row.country,
      isKeyAccount: isKey,
      designation: isKey ? { designatedOn: row.designatedOn!, reviewDueOn: row.reviewDueOn! } : null,
      pyramidLevel: levels.get(row.id)!,
      previousPyramidLevel: previousLevels?.get(row.id) ?? null,
      ttm: {
        revenue: fromCents(row.ttmRevenue),
        grossProfit: fromCents(row.ttmGrossProfit),
        costToServe: fromCents(row.ttmCostToServe),
        contribution: fromCents(contribution),
        grossMargin: margin(row.ttmGrossProfit, row.ttmRevenue),
        contributionMargin: margin(contribution, row.ttmRevenue),
        priorRevenue: fromCents(row.priorRevenue),
        revenueGrowth: yearOnYearGrowth(row.ttmRevenue, row.priorRevenue, wholePriorYear),
      },
      financials: trend.map(q => {
        const f = byQuarter.get(q);
        const rev = f?.revenue ?? 0n;
        const gp = f?.grossProfit ?? 0n;
        const cts = f?.costToServe ?? 0n;
        return {
          quarter: q,
          revenue: fromCents(rev),
          grossProfit: fromCents(gp),
          costToServe: fromCents(cts),
          contribution: fromCents(gp - cts),
        };
      }),
      groupRollup: rollups.get(row.id) ?? null,
      selection: sel,
      tier: isKey
        ? {
            current: current?.tier ?? null,
            evidence: current?.evidence ?? null,
            history: trend.map(q => {
              const t = accountTiers.find(x => x.quarter === q);
              return { quarter: q, tier: t?.tier ?? null, evidence: t?.evidence ?? null };
            }),
            suggested: suggestTier(accountInitiatives, yearOnYear, p.asOf),
          }
        : null,
      plan: plan
        ? {
            id: plan.id,
            year: plan.year,
            status: plan.status,
            revenueTarget: plan.revenueTarget === null ? null : fromCents(plan.revenueTarget),
            marginTargetPercent: plan.marginTargetPercent,
            inYearTarget: plan.inYearTarget === null ? null : fromCents(plan.inYearTarget),
            revenueYearToDate: fromCents(ytd.get(row.id) ?? 0n),
            lastReviewOn: plan.lastReviewOn,
            lastReviewAssessment: plan.lastReviewAssessment,
            openActions: plan.openActions,
            doneActions: plan.doneActions,
            overdueActions: plan.overdueActions,
            missingSignOffs: plan.missingSignOffs,
          }
        : null,
      initiatives: accountInitiatives.map(i => ({
        id: i.id,
        name: i.name,
        category: i.category,
        phase: i.phase,
        outcome: i.outcome,
        customerGain: i.customerGain === null ? null : fromCents(i.customerGain),
        supplierGain: i.supplierGain === null ? null : fromCents(i.supplierGain),
        customerRecognised: i.customerRecognised,
      })),
      team: accountTeam.map(t => ({ personName: t.personName, role: t.role, geography: t.geography })),
      stakeholders:
        accountContacts.length === 0
          ? null
          : {
              contacts: accountContacts.length,
              influential,
              covered,
              coverage: exactRatio(covered, influential),
              byFunction: [...byFunction.entries()]
                .sort((a, b) => compareText(a[0], b[0]))
                .map(([fn, v]) => ({
                  function: fn as ContactFunction,
                  contacts: v.contacts,
                  champions: v.champions,
                })),
              map: accountContacts.map(c => ({
                name: c.name,
                function: c.function,
                influence: c.influence,
                stance: c.stance,
                counterpartName: c.counterpartName,
              })),
            },
      health: isKey
        ? accountHealth(
            {
              relationshipStrength: sel.relationshipStrength,
              influential,
              covered,
              // As for the flags above: only a plan in execution gives freshness (`planExecution`).
              plan: plan ?? null,
              provenRecognised: proven,
              provenNotRecognised,
              surveySum: survey?.sum ?? 0,
              surveyCount: survey?.count ?? 0,
              ...yearOnYear,
            },
            settings,
            p.asOf,
          )
        : null,
      whitespace: whitespaceCells(whitespaceBy.get(row.id) ?? [], units, isKey),
      flags,
      signals: signals.get(row.id) ?? emptySignals(),
    });
  }
  flagged.sort((a, b) => b.flags.length - a.flags.length || compareText(a.externalRef, b.externalRef));

  const keySet = new Set(keyIds);
  const businessUnitSummaries: BusinessUnitSummary[] = units.map(unit => {
    let rev = 0n;
    let gp = 0n;
    let pipeline = 0n;
    let won = 0n;
    let activeAccounts = 0;
    let keyAccounts = 0;
    let whiteSpaceAccounts = 0;
    let whiteSpacePotential = 0n;
    for (const w of whitespace) {
      if (w.businessUnitId !== unit.id) continue;
      rev += w.ttmRevenue;
      gp += w.ttmGrossProfit;
      pipeline += w.pipeline;
      won += w.wonValueTtm;
      if (w.ttmRevenue > 0n) {
        activeAccounts += 1;
        if (keySet.has(w.accountId)) keyAccounts += 1;
      }
      if (keySet.has(w.accountId) && w.potential > 0n && w.ttmRevenue <= 0n) {
        whiteSpaceAccounts += 1;
        whiteSpacePotential += w.potential;
      }
    }
    const wins = current.winByUnit.get(unit.code);
    const people = current.peopleSatisfaction.find(m => m.unitCode === unit.code);
    return {
      code: unit.code,
      name: unit.name,
      ttmRevenue: fromCents(rev),
      ttmGrossProfit: fromCents(gp),
      activeAccounts,
      keyAccounts,
      openQualifiedPipeline: fromCents(pipeline),
      wonValueTtm: fromCents(won),
      winRate: wins ? exactRatio(wins.won, wins.won + wins.lost) : null,
      peopleSatisfaction: people ? people.hundredths / 100 : null,
      whiteSpaceAccounts,
      whiteSpacePotential: fromCents(whiteSpacePotential),
    };
  });

  const portfolio: PortfolioData = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    quarter: p.quarter,
    currency: settings.currency,
    trendQuarters: trend,
    totals: {
      accounts: base.length,
      activeAccounts: active,
      keyAccounts: key.accounts,
      ttmRevenue: fromCents(totalRev),
      ttmGrossProfit: fromCents(totalGp),
      ttmCostToServe: fromCents(totalCts),
      ttmContribution: fromCents(totalGp - totalCts),
      keyAccountTtmRevenue: fromCents(key.revenue),
      keyAccountRevenueShare: exactRatio(key.revenue, totalRev),
    },
    pyramid,
    pareto,
    selection: selection.summary,
    journey,
    value,
    profitability,
    growth: growthComparison,
    winRate,
    kpis,
    flags: { counts: flagCounts, accounts: flagged },
    businessUnits: businessUnitSummaries,
  };
  return { portfolio, accounts };
}
