import type { EntityManager } from '@mikro-orm/core';
import { addQuarters, type Quarter, quarterEnd } from '../common/quarter.ts';
import { VALUE_TIERS, type ValueTier } from '../common/vocabulary.ts';
import { counted } from '../common/words.ts';
import type { JourneySummary, TierCount, TierTransition } from '../snapshots/snapshot.types.ts';
import {
  designationIntervals,
  type InitiativeFacts,
  isKeyAt,
  isProvenRecognised,
  type TierRow,
  tierAssessments,
} from './account-details.ts';
import { trendQuartersOf } from './period.ts';

/** Progress is a move towards TIER_1: TIER_4 = 0 … TIER_1 = 3. */
function step(tier: ValueTier): number {
  return VALUE_TIERS.indexOf(tier);
}

/**
 * The journey summary (domain §5): the tier distribution of the key accounts per quarter
 * (key at the quarter's end; without an assessment in the quarter they count as unassessed),
 * and the moves between the previous quarter and this one among the accounts key at this
 * quarter's end (those of its distribution) assessed in both.
 */
export function summariseJourney(
  trendQuarters: Quarter[],
  tiers: Map<number, TierRow[]>,
  keyAt: (accountId: number, date: string) => boolean,
  accountIds: number[],
): JourneySummary {
  const tierOf = (id: number, q: string) => tiers.get(id)?.find(t => t.quarter === q)?.tier ?? null;
  const distribution: TierCount[] = trendQuarters.map(q => {
    const row: TierCount = { quarter: q, TIER_4: 0, TIER_3: 0, TIER_2: 0, TIER_1: 0, unassessed: 0 };
    const end = quarterEnd(q);
    for (const id of accountIds) {
      if (!keyAt(id, end)) continue;
      const tier = tierOf(id, q);
      if (tier) row[tier] += 1;
      else row.unassessed += 1;
    }
    return row;
  });
  const quarter = trendQuarters[trendQuarters.length - 1]!;
  const previous = addQuarters(quarter, -1);
  const end = quarterEnd(quarter);
  const moves = new Map<string, TierTransition>();
  let progressed = 0;
  let regressed = 0;
  for (const id of accountIds) {
    if (!keyAt(id, end)) continue;
    const from = tierOf(id, previous);
    const to = tierOf(id, quarter);
    if (!from || !to || from === to) continue;
    if (step(to) > step(from)) progressed += 1;
    else regressed += 1;
    const key = `${step(from)}|${step(to)}`;
    const m = moves.get(key) ?? { from, to, accounts: 0 };
    m.accounts += 1;
    moves.set(key, m);
  }
  const transitions = [...moves.values()].sort(
    (a, b) => step(a.from) - step(b.from) || step(a.to) - step(b.to),
  );
  return { distribution, transitions, progressed, regressed };
}

/**
 * The tier the evidence suggests (the recorded tier stays the team's call):
 * - TIER_1 with two or more proven, customer-recognised values and a margin that is not falling;
 * - TIER_2 with one proven, recognised value (or two with a falling margin);
 * - TIER_3 with value work under way (an initiative that is not EXPECTED) or a rising margin;
 * - TIER_4 otherwise; a value copied by a competitor is EXPECTED and counts for nothing.
 */
export function suggestTier(
  initiatives: InitiativeFacts[],
  margin: { ttmRevenue: bigint; ttmGrossProfit: bigint; priorRevenue: bigint; priorGrossProfit: bigint },
  asOf: string,
): { tier: ValueTier; reasons: string[] } {
  const proven = initiatives.filter(i => isProvenRecognised(i, asOf)).length;
  const working = initiatives.filter(i => i.category !== 'EXPECTED' && i.outcome !== 'REJECTED').length;
  let trend: 'UP' | 'DOWN' | 'FLAT' | 'UNKNOWN' = 'UNKNOWN';
  if (margin.ttmRevenue > 0n && margin.priorRevenue > 0n) {
    // Compare gp/rev exactly: gp_now × rev_prior against gp_prior × rev_now.
    const a = margin.ttmGrossProfit * margin.priorRevenue;
    const b = margin.priorGrossProfit * margin.ttmRevenue;
    trend = a > b ? 'UP' : a < b ? 'DOWN' : 'FLAT';
  }
  const reasons: string[] = [];
  reasons.push(counted(proven, 'proven, customer-recognised value'));
  if (trend !== 'UNKNOWN')
    reasons.push(
      `gross margin ${trend === 'UP' ? 'rising' : trend === 'DOWN' ? 'falling' : 'flat'} against a year earlier`,
    );
  else reasons.push('no margin trend yet');
  if (working > 0) reasons.push(`${counted(working, 'value initiative')} beyond the expected`);
  let tier: ValueTier = 'TIER_4';
  if (proven >= 2 && trend !== 'DOWN') tier = 'TIER_1';
  else if (proven >= 1) tier = 'TIER_2';
  else if (working > 0 || trend === 'UP') tier = 'TIER_3';
  return { tier, reasons };
}

/** The journey summary of a quarter for all key accounts. */
export async function computeJourney(em: EntityManager, quarter: string): Promise<JourneySummary> {
  const trend = await trendQuartersOf(em, quarter);
  const from = addQuarters(trend[0]!, -1);
  const tiers = await tierAssessments(em, from, trend[trend.length - 1]!);
  const intervals = await designationIntervals(em);
  return summariseJourney(trend, tiers, (id, date) => isKeyAt(intervals.get(id), date), [
    ...intervals.keys(),
  ]);
}
