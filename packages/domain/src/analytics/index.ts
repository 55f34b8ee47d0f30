// Analytics (pyramid, Pareto, selection, roll-ups, whitespace, journey, value,
// profitability, health, flags, KPIs) and the quarterly close.

export { canonicalJson as canonicalSnapshotJson } from '../snapshots/canonical-json.ts';
export { type CloseQuarterResult, closeQuarter, snapshotChecksum } from '../snapshots/close-quarter.ts';
export { type AccountBaseRow, isActive, loadAccountBase } from './account-base.ts';
export { isProvenRecognised } from './account-details.ts';
export { type FlagInputs, keyAccountFlags } from './flags.ts';
export { accountHealth, type HealthInputs } from './health.ts';
export { computeJourney, suggestTier, summariseJourney } from './journey.ts';
export {
  computeKpis,
  type KpiDefinitionView,
  type KpiFacts,
  type KpiValue,
  keyVsControlRatio,
  kpiDefinitions,
  kpiValue,
  loadKpiFacts,
} from './kpis.ts';
export { computePareto, type ParetoBasis, paretoOf } from './pareto.ts';
export { type Period, periodOf, trendQuartersOf } from './period.ts';
export { computeProfitability, contributionOf, summariseProfitability } from './profitability.ts';
export {
  bandLimits,
  computePyramid,
  type PyramidBands,
  pyramidLevelOf,
  pyramidLevels,
  summarisePyramid,
} from './pyramid.ts';
export {
  type BusinessUnitRef,
  computeGroupRollups,
  computeWhitespace,
  computeWhitespaces,
  type GroupRollup,
  whitespaceCells,
} from './rollup.ts';
export { exactRatio, growth, percent, round } from './rounding.ts';
export {
  type AccountSelection,
  type AssessmentScores,
  accountSelection,
  attitudeScore,
  computeSelection,
  financialScore,
  quadrantOf,
  strategicScore,
} from './selection.ts';
export { buildQuarterDocuments, type PortfolioData, type QuarterDocuments } from './snapshot-documents.ts';
export { type AccountStanding, accountStandings } from './standing.ts';
export { computeValue, summariseValue } from './value.ts';
