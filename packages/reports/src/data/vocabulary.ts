/**
 * The domain's enum values (one source: @kam/domain's vocabulary and snapshot contract,
 * both free of runtime dependencies) and the names people read in the reports.
 */
import type { FlagKind } from '@kam/domain/snapshot-contract';
import type { AccountQuadrant, KpiCode, PyramidLevel, TeamRole } from '@kam/domain/vocabulary';
import { TEAM_ROLES } from '@kam/domain/vocabulary';

export { FLAG_KINDS } from '@kam/domain/snapshot-contract';
export {
  ACCOUNT_QUADRANTS,
  PLAN_STATUSES,
  PYRAMID_LEVELS,
  VALUE_TIER_NAMES,
  VALUE_TIERS,
} from '@kam/domain/vocabulary';

export const PYRAMID_LEVEL_NAMES: Record<PyramidLevel, string> = {
  SUSPECT: 'Suspect',
  PROSPECT: 'Prospect',
  LAPSED: 'Lapsed',
  ACTIVE_SMALL: 'Active, small',
  ACTIVE_MEDIUM: 'Active, medium',
  ACTIVE_LARGE: 'Active, large',
  KEY: 'Key account',
};

export const QUADRANT_NAMES: Record<AccountQuadrant, string> = {
  KEY_ACCOUNT: 'Key account (attractive, strong relationship)',
  DEVELOP: 'Develop (attractive, weak relationship)',
  MAINTAIN: 'Maintain (less attractive, strong relationship)',
  OPPORTUNISTIC: 'Opportunistic (less attractive, weak relationship)',
};

export const FLAG_NAMES: Record<FlagKind, string> = {
  NO_LEAD_MANAGER: 'No lead key account manager',
  NO_SPONSOR: 'No executive sponsor',
  PLAN_REVIEW_OVERDUE: 'Plan review overdue',
  PLAN_NOT_APPROVED_PAST_START: 'Plan not approved after its start',
  PROCUREMENT_ONLY: 'Engagement with procurement only',
  DESIGNATION_REVIEW_OVERDUE: 'Key-account designation review overdue',
  VALUE_NOT_RECOGNISED: 'No proven value recognised by the customer',
};

/** The KPIs that compare the trailing four quarters with the four before (null until the data holds both). */
export const YEAR_ON_YEAR_KPIS: ReadonlySet<KpiCode> = new Set<KpiCode>([
  'CUSTOMER_RETENTION',
  'CUSTOMER_LIFETIME_VALUE',
  'KEY_ACCOUNT_GROWTH',
  'KEY_VS_CONTROL_GROWTH',
]);

/**
 * The KPIs that are means of recorded measurements (survey responses, people-satisfaction and
 * market-share measurements: `kpiValue` in the domain's analytics/kpis.ts, docs/analytics.md):
 * without a value, none was recorded. Every other KPI is computed from the data (revenue,
 * signals, bids, initiatives), and without a value could not be computed.
 */
export const RECORDED_KPIS: ReadonlySet<KpiCode> = new Set<KpiCode>([
  'CUSTOMER_SATISFACTION',
  'PEOPLE_SATISFACTION',
  'MARKET_SHARE',
]);

/** Why a year-on-year KPI shows no figure for a quarter. */
export const YEAR_ON_YEAR_NOTE =
  'Compares the trailing four quarters with the four before, so it is shown (“–” before) once the financial data holds both.';

/**
 * The same for a year-on-year KPI that can also be missing later (KEY_VS_CONTROL_GROWTH: no
 * ratio when the control group did not grow), whose trend table gives each quarter's reason.
 */
export const YEAR_ON_YEAR_REASONS_NOTE =
  'Compares the trailing four quarters with the four before; the table says why a quarter has no value (“–”).';

const humanized = new Map<string, string>();

/** "IN_REVIEW" → "In review"; "KEY_ACCOUNT_MANAGER" → "Key account manager". */
export function humanize(code: string): string {
  let text = humanized.get(code);
  if (text === undefined) {
    const words = code.toLowerCase().split('_').filter(Boolean).join(' ');
    text = words.charAt(0).toUpperCase() + words.slice(1);
    // Codes come from the domain's short lists: the cache stays small.
    if (humanized.size < 1000) humanized.set(code, text);
  }
  return text;
}

/**
 * Names a business unit by its code as the snapshot does ("SERVICES" → "Services & Support"),
 * or by the code where the snapshot names no such unit.
 */
export function businessUnitNamer(
  units: readonly { code: string; name: string }[],
): (code: string) => string {
  const names = new Map(units.map(unit => [unit.code, unit.name]));
  return code => names.get(code) ?? code;
}

/**
 * An account team as an executive reads it: the key account manager first, then the sponsor
 * and the other roles in the domain's order; within a role, the order given (by name).
 */
export function teamInRoleOrder<T extends { role: TeamRole }>(team: readonly T[]): T[] {
  return [...team].sort((a, b) => TEAM_ROLES.indexOf(a.role) - TEAM_ROLES.indexOf(b.role));
}
