import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { writeAs } from '../common/unit-of-work.ts';
import type { KpiCode, KpiDirection, KpiUnit, PyramidLevel } from '../common/vocabulary.ts';
import { KpiDefinition } from '../kpis/kpi-definition.entity.ts';
import { ServiceElement, ServiceStandard } from '../segments/service-element.entity.ts';
import { ensureSettingsRow } from './settings.service.ts';

/** The default service standard of each pyramid level (002). */
export const DEFAULT_SERVICE_STANDARDS: Record<PyramidLevel, string> = {
  SUSPECT: 'Qualify to find prospective potential; develop real prospects; drop non-prospects',
  PROSPECT: 'Qualify true potential; pursue good prospects; de-emphasise poor ones',
  LAPSED: 'Find out why they stopped buying; judge the potential and how to win them back',
  ACTIVE_SMALL: 'Develop and qualify: can the account rise in the pyramid?',
  ACTIVE_MEDIUM: 'Maintain the account, reactively',
  ACTIVE_LARGE: 'Value selling, regular proactive contact',
  KEY: 'Special treatment: key account management, proactive',
};

/** The ten default service elements (002). */
export const DEFAULT_SERVICE_ELEMENTS: [code: string, name: string][] = [
  ['QUALITY_OF_PRODUCTS', 'Quality of products'],
  ['LOGISTIC_SERVICE', 'Logistic service'],
  ['PRODUCT_DEVELOPMENT_AND_INNOVATION', 'Product development and innovation'],
  ['PORTFOLIO_VARIETY', 'Variety of the product portfolio'],
  ['TECHNICAL_SUPPORT', 'Technical support'],
  ['INFORMATION_AND_ADVICE', 'Information and advice'],
  ['SUPPLY_CHAIN_INTEGRATION', 'Supply chain integration'],
  ['TRAINING', 'Training'],
  ['FINANCE', 'Finance'],
  ['MARKETING_SUPPORT', 'Marketing support'],
];

/**
 * The values a KPI can take, which bound its target: a target outside them is a slip (8000 for
 * 80 %, a satisfaction target of 42 on the 1–5 scale) that would leave the KPI off target forever.
 */
export interface KpiRange {
  /** What the value is, for messages: "a percentage". */
  of: string;
  min: number;
  max?: number;
}

interface KpiDefault {
  name: string;
  unit: KpiUnit;
  direction: KpiDirection;
  target: string | null;
  /** None for the ratio of two growths, which can take any value. */
  range?: KpiRange;
  description: string;
}

const SHARE: KpiRange = { of: 'a percentage', min: 0, max: 100 };
const COUNT: KpiRange = { of: 'a count', min: 0 };

/** The thirteen KPIs (000 §5) with their units and default targets. */
export const DEFAULT_KPIS: Record<KpiCode, KpiDefault> = {
  CUSTOMER_RETENTION: {
    name: 'Customer retention',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: '95',
    range: SHARE,
    description: 'Share of the accounts active a year earlier (TTM revenue > 0) that are still active.',
  },
  CUSTOMER_SATISFACTION: {
    name: 'Customer satisfaction',
    unit: 'SCORE',
    direction: 'HIGHER_IS_BETTER',
    target: '4.2',
    range: { of: 'a mean survey score', min: 1, max: 5 },
    description: 'Mean survey score (1–5) of the responses recorded in the quarter.',
  },
  POSITIVE_FEEDBACK: {
    name: 'Positive feedback',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: '75',
    range: SHARE,
    description:
      'Share of the feedback signals in the quarter that are positive; the detail also shows how regularly accounts give feedback.',
  },
  PEOPLE_SATISFACTION: {
    name: 'People satisfaction',
    unit: 'INDEX',
    direction: 'HIGHER_IS_BETTER',
    target: '75',
    range: { of: 'an index', min: 0, max: 100 },
    description:
      'Our people satisfaction index (0–100), recorded per business unit; the portfolio value is the mean.',
  },
  MARKET_SHARE: {
    name: 'Market share',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: null,
    range: SHARE,
    description: 'Our share of the served market, recorded per market; the portfolio value is the mean.',
  },
  CUSTOMER_LIFETIME_VALUE: {
    name: 'Customer lifetime value',
    unit: 'MONEY',
    direction: 'HIGHER_IS_BETTER',
    target: null,
    range: { of: 'an amount', min: 0 },
    description:
      'Mean annual (TTM) gross profit of an active account × the expected lifetime 1 ÷ (1 − retention), capped by settings.',
  },
  KEY_ACCOUNT_GROWTH: {
    name: 'Key account growth',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: '10',
    range: { of: 'a growth in percent', min: -100 },
    description:
      'Year-on-year growth of the key accounts’ TTM revenue (the detail also gives gross profit growth).',
  },
  WIN_RATE: {
    name: 'Win rate',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: '80',
    range: SHARE,
    description: 'Won ÷ decided qualified bids, over the bids decided in the trailing four quarters.',
  },
  ADVICE_REQUESTS: {
    name: 'Advice requests',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    target: null,
    range: COUNT,
    description:
      'Customers asking our advice on a broad range of topics: advice-request signals in the quarter.',
  },
  EXPANSION_REQUESTS: {
    name: 'Expansion requests',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    target: null,
    range: COUNT,
    description: 'Customers asking how to expand the partnership: expansion-request signals in the quarter.',
  },
  REFERRALS: {
    name: 'Referrals',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    target: null,
    range: COUNT,
    description:
      'Referral business from customers: referral signals in the quarter (the detail gives their value).',
  },
  KEY_VS_CONTROL_GROWTH: {
    name: 'Key accounts vs control group',
    unit: 'RATIO',
    direction: 'HIGHER_IS_BETTER',
    target: '2',
    description:
      'Year-on-year TTM revenue growth of the key accounts ÷ that of the rest of the base (the control group). 003 reports 2–5×.',
  },
  VALUE_DEMONSTRATED: {
    name: 'Value demonstrated',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    target: '60',
    range: SHARE,
    description:
      'Share of key accounts with at least one PROVEN value initiative that the customer recognises.',
  },
};

/**
 * Creates the reference data that is missing: the settings row, the service standards, the ten
 * service elements (into an empty table only) and the KPI definitions. Never changes a row that
 * exists.
 * Returns how many rows it created.
 */
export async function ensureReferenceData(em: EntityManager, actor: Actor): Promise<number> {
  return writeAs(em, actor, async tx => {
    let created = 0;
    // As a first settings change does: `kam migrate` while someone saves the first change
    // finds that change's row instead of failing on the unique key.
    if ((await ensureSettingsRow(tx, actor)).created) created++;
    const standards = new Set((await tx.find(ServiceStandard, {})).map(s => s.pyramidLevel));
    for (const [level, text] of Object.entries(DEFAULT_SERVICE_STANDARDS) as [PyramidLevel, string][]) {
      if (!standards.has(level)) {
        tx.create(ServiceStandard, { pyramidLevel: level, text });
        created++;
      }
    }
    // The elements are the administrator's once they exist (createServiceElement,
    // removeServiceElement): the ten defaults go into an empty table only, so a removed default
    // does not come back with the next `kam migrate`.
    if ((await tx.count(ServiceElement, {})) === 0) {
      DEFAULT_SERVICE_ELEMENTS.forEach(([code, name], position) => {
        tx.create(ServiceElement, { code, name, position: position + 1 });
        created++;
      });
    }
    const kpis = new Set((await tx.find(KpiDefinition, {})).map(k => k.code));
    for (const [code, { range: _range, ...d }] of Object.entries(DEFAULT_KPIS) as [KpiCode, KpiDefault][]) {
      if (!kpis.has(code)) {
        tx.create(KpiDefinition, { code, ...d, baselineQuarter: null });
        created++;
      }
    }
    return created;
  });
}

/** Why `target` (a decimal string) is outside the values `code` can take, or null when inside. */
export function kpiTargetOutOfRange(code: KpiCode, target: string): string | null {
  const range = DEFAULT_KPIS[code].range;
  const value = Number(target);
  if (!range || (value >= range.min && (range.max === undefined || value <= range.max))) return null;
  const bounds = range.max === undefined ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`;
  const hint = range === SHARE ? ' (80 means 80 %)' : '';
  return `${code} is ${range.of} ${bounds}${hint}; got ${target}`;
}
