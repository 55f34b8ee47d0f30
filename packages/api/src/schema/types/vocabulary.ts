/**
 * The GraphQL enums of the domain's vocabulary (domain.md; packages/domain common/vocabulary.ts),
 * each value described. Defined once here so that every type file (and the analytics types)
 * imports the same enum instead of declaring its own.
 */
import {
  ACCOUNT_QUADRANTS,
  ACTION_STATUSES,
  AUDIT_ACTIONS,
  BUYER_ORIENTATIONS,
  CONTACT_FUNCTIONS,
  CONTACT_STANCES,
  DESIGN_PHASES,
  ELEMENT_INCLUSIONS,
  FLAG_KINDS,
  GROWTH_PROFILES,
  INITIATIVE_OUTCOMES,
  KPI_CODES,
  KPI_DIRECTIONS,
  KPI_UNITS,
  MEASUREMENT_KINDS,
  OPPORTUNITY_OUTCOMES,
  PLAN_STATUSES,
  PLAN_STEPS,
  PROGRAMME_STAGES,
  PYRAMID_LEVELS,
  REVIEW_ASSESSMENTS,
  SEGMENT_SCOPES,
  SENTIMENTS,
  SIGNAL_KINDS,
  SIZE_CLASSES,
  VALUE_CATEGORIES,
  VALUE_TIER_NAMES,
  VALUE_TIERS,
} from '@kam/domain';
import { builder } from '../../builder.ts';

function describedEnum<const V extends string>(
  name: string,
  description: string,
  values: readonly V[],
  describe: Record<V, string>,
) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map(v => [v, { value: v, description: describe[v] }])) as {
      [K in V]: { value: K; description: string };
    },
  });
}

export const PyramidLevelEnum = describedEnum(
  'PyramidLevel',
  'A level of the customer pyramid, bottom to top (domain §2).',
  PYRAMID_LEVELS,
  {
    SUSPECT: 'Never bought and has no qualified opportunity.',
    PROSPECT: 'Never bought, but has a qualified opportunity.',
    LAPSED: 'Bought in an earlier quarter, nothing in the trailing four quarters.',
    ACTIVE_SMALL: 'Active (TTM revenue > 0), in the lower revenue band.',
    ACTIVE_MEDIUM: 'Active, in the middle revenue band.',
    ACTIVE_LARGE: 'Active, in the top revenue band.',
    KEY: 'Holds a current key-account designation.',
  },
);

export const AccountQuadrantEnum = describedEnum(
  'AccountQuadrant',
  'A quadrant of the attractiveness × relationship-strength matrix of key-account selection (domain §4).',
  ACCOUNT_QUADRANTS,
  {
    KEY_ACCOUNT: 'Attractive, with a strong relationship: manage as a key account.',
    DEVELOP: 'Attractive, with a weak relationship: develop the relationship.',
    MAINTAIN: 'Less attractive, with a strong relationship: maintain it.',
    OPPORTUNISTIC: 'Neither: serve opportunistically.',
  },
);

export const FlagKindEnum = describedEnum(
  'FlagKind',
  'A key account needing attention, and why (domain §6–8).',
  FLAG_KINDS,
  {
    NO_LEAD_MANAGER: 'No lead key account manager on the team.',
    NO_SPONSOR: 'No executive sponsor on the team.',
    PLAN_REVIEW_OVERDUE: 'The plan’s last review is too long ago.',
    PLAN_NOT_APPROVED_PAST_START: 'The plan is not approved although its year has started.',
    PROCUREMENT_ONLY: 'Our contacts are in procurement only.',
    DESIGNATION_REVIEW_OVERDUE: 'The key-account designation is past its review date.',
    VALUE_NOT_RECOGNISED:
      'No proven value that the customer recognises: no PROVEN value initiative with the customer’s recognition.',
  },
);

export const ValueTierEnum = describedEnum(
  'ValueTier',
  'A step of the value journey, from transactional (TIER_4) to partnership (TIER_1) (domain §5).',
  VALUE_TIERS,
  {
    TIER_4: `${VALUE_TIER_NAMES.TIER_4}: price is the differentiator; every deal is a battle.`,
    TIER_3: `${VALUE_TIER_NAMES.TIER_3}: specific services, less competition.`,
    TIER_2: `${VALUE_TIER_NAMES.TIER_2}: shared services, no competition, higher margins.`,
    TIER_1: `${VALUE_TIER_NAMES.TIER_1}: new services created together, wealth creation for both.`,
  },
);

export const ContactFunctionEnum = describedEnum(
  'ContactFunction',
  'The function of a customer contact on the stakeholder map (domain §6).',
  CONTACT_FUNCTIONS,
  {
    PROCUREMENT: 'Purchasing.',
    SUPPLY_CHAIN: 'Supply chain and logistics.',
    MARKETING: 'Marketing.',
    OPERATIONS: 'Operations and production.',
    FINANCE: 'Finance.',
    TECHNICAL: 'Engineering, R&D and technical roles.',
    EXECUTIVE: 'General management and the board.',
    OTHER: 'Any other function.',
  },
);

export const ContactStanceEnum = describedEnum(
  'ContactStance',
  'How a contact stands towards us.',
  CONTACT_STANCES,
  {
    CHAMPION: 'Actively promotes us inside the customer.',
    SUPPORTER: 'Favours us.',
    NEUTRAL: 'Neither for nor against us.',
    DETRACTOR: 'Works against us.',
    UNKNOWN: 'Not known yet.',
  },
);

export const PlanStatusEnum = describedEnum(
  'PlanStatus',
  'Where an account plan is in its life: DRAFT → IN_REVIEW → APPROVED → CLOSED (domain §7).',
  PLAN_STATUSES,
  {
    DRAFT: 'Being written; the only status in which the plan can be edited.',
    IN_REVIEW: 'Submitted: a version is frozen and every involved business unit must sign it.',
    APPROVED: 'Signed by every involved business unit; in execution.',
    CLOSED: 'Finished at the end of its year.',
  },
);

export const PlanStepEnum = describedEnum(
  'PlanStep',
  'A workflow step that changed a plan’s status (its status history).',
  PLAN_STEPS,
  {
    CREATED: 'Drafted.',
    COPIED: 'Drafted as a copy of last year’s plan.',
    SUBMITTED: 'Submitted for review: a new version frozen for every involved unit to sign.',
    APPROVED: 'Approved once every involved unit had signed.',
    RETURNED_TO_DRAFT: 'Returned from review to draft.',
    CLOSED: 'Closed at the end of its year.',
  },
);

export const ActionStatusEnum = describedEnum(
  'ActionStatus',
  'The status of one action of a plan; DONE and CANCELLED are final.',
  ACTION_STATUSES,
  {
    OPEN: 'Not started.',
    IN_PROGRESS: 'Being worked on.',
    DONE: 'Completed (final).',
    CANCELLED: 'Dropped (final).',
  },
);

export const ReviewAssessmentEnum = describedEnum(
  'ReviewAssessment',
  'The verdict of an execution review.',
  REVIEW_ASSESSMENTS,
  {
    ON_TRACK: 'The plan is meeting its targets.',
    AT_RISK: 'Targets are at risk.',
    OFF_TRACK: 'Targets will be missed without help.',
  },
);

export const OpportunityOutcomeEnum = describedEnum(
  'OpportunityOutcome',
  'Whether an opportunity is still open, won or lost (won and lost are final).',
  OPPORTUNITY_OUTCOMES,
  { OPEN: 'Not decided yet.', WON: 'Won (final).', LOST: 'Lost (final).' },
);

export const ValueCategoryEnum = describedEnum(
  'ValueCategory',
  'The four kinds of value (domain §8).',
  VALUE_CATEGORIES,
  {
    EXPECTED: 'Sounds like value, but every supplier must do it (quality, on-time delivery).',
    PERCEIVED: 'Welcomed, but does not make the customer better off: no premium, only cost.',
    PROVEN: 'Measurably makes the customer better off; the customer pays a premium or strongly favours us.',
    UNTAPPED: 'Not done yet and not offered by competitors either; found by design work.',
  },
);

export const DesignPhaseEnum = describedEnum(
  'DesignPhase',
  'The ten phases of the value design process, in order (domain §8).',
  DESIGN_PHASES,
  {
    ASSESS_CURRENT_SITUATION: '1. Assess the current situation.',
    FILL_KNOWLEDGE_GAPS: '2. Fill the knowledge gaps.',
    RAPID_PROTOTYPING: '3. Rapid prototyping.',
    EXTERNAL_LEARNING: '4. External learning.',
    INTERROGATE_PROTOTYPE: '5. Interrogate the prototype.',
    FINAL_REVIEW: '6. Final review.',
    TEST_PLAN: '7. Test plan, with the desired commercial gains.',
    LIVE_TEST: '8. Live test with the pilot account.',
    REVIEW_AND_REFINE: '9. Review and refine.',
    ROLL_OUT: '10. Roll out.',
  },
);

export const InitiativeOutcomeEnum = describedEnum(
  'InitiativeOutcome',
  'How a value initiative ended (or REVISED: sent back to testing).',
  INITIATIVE_OUTCOMES,
  {
    ADOPTED: 'Adopted: both sides gain and the customer recognises the value (final).',
    REJECTED: 'Rejected (final).',
    REVISED: 'Sent back to testing (TEST_PLAN); not final.',
    COMBINED: 'Combined into another initiative (final).',
  },
);

export const SignalKindEnum = describedEnum(
  'SignalKind',
  'A kind of recorded customer signal (domain §10).',
  SIGNAL_KINDS,
  {
    FEEDBACK: 'Customer feedback, with a sentiment.',
    ADVICE_REQUEST: 'The customer asked our advice.',
    EXPANSION_REQUEST: 'The customer asked how to expand the partnership.',
    REFERRAL: 'The customer referred business to us, with its value.',
  },
);

export const SentimentEnum = describedEnum('Sentiment', 'The sentiment of a feedback signal.', SENTIMENTS, {
  POSITIVE: 'Positive.',
  NEUTRAL: 'Neutral.',
  NEGATIVE: 'Negative.',
});

export const MeasurementKindEnum = describedEnum(
  'MeasurementKind',
  'An organisation-level measurement recorded per quarter.',
  MEASUREMENT_KINDS,
  {
    PEOPLE_SATISFACTION: 'Our people’s satisfaction index (0–100), per business unit.',
    MARKET_SHARE: 'Our share of a served market (percent), per market.',
  },
);

export const KpiCodeEnum = describedEnum('KpiCode', 'The thirteen KPIs (domain §10).', KPI_CODES, {
  CUSTOMER_RETENTION: 'Share of accounts active a year earlier that are still active.',
  CUSTOMER_SATISFACTION: 'Mean survey score in the quarter.',
  POSITIVE_FEEDBACK: 'Share of customer feedback that is positive.',
  PEOPLE_SATISFACTION: 'Our people’s satisfaction index.',
  MARKET_SHARE: 'Our share of the served market.',
  CUSTOMER_LIFETIME_VALUE: 'Annual gross profit × expected lifetime from retention.',
  KEY_ACCOUNT_GROWTH: 'Year-on-year revenue and profit growth of key accounts.',
  WIN_RATE: 'Won ÷ decided qualified bids.',
  ADVICE_REQUESTS: 'Customers asking our advice.',
  EXPANSION_REQUESTS: 'Customers asking how to expand the partnership.',
  REFERRALS: 'Referral business from customers.',
  KEY_VS_CONTROL_GROWTH: 'Key-account growth ÷ growth of the rest.',
  VALUE_DEMONSTRATED: 'Share of key accounts with proven, recognised value.',
});

export const KpiUnitEnum = describedEnum('KpiUnit', 'The unit a KPI is expressed in.', KPI_UNITS, {
  PERCENT: 'A percentage.',
  SCORE: 'A survey score (1–5).',
  INDEX: 'An index (0–100).',
  MONEY: 'An amount in the reporting currency.',
  COUNT: 'A count.',
  RATIO: 'A ratio.',
});

export const KpiDirectionEnum = describedEnum('KpiDirection', 'Which way a KPI improves.', KPI_DIRECTIONS, {
  HIGHER_IS_BETTER: 'Higher is better.',
  LOWER_IS_BETTER: 'Lower is better.',
});

export const ProgrammeStageEnum = describedEnum(
  'ProgrammeStage',
  'The stages of the customer-intimacy programme, in order (domain §11).',
  PROGRAMME_STAGES,
  {
    UNDERSTAND: 'Understand: executive buy-in, change leader, baselines.',
    TEST: 'Test with pilot accounts.',
    LEARN: 'Learn from the tests.',
    IMPLEMENT: 'Implement and roll out.',
  },
);

export const BuyerOrientationEnum = describedEnum(
  'BuyerOrientation',
  'What a segment’s buyers want (domain §3).',
  BUYER_ORIENTATIONS,
  {
    PRICE: 'The lowest price and a minimal standard package.',
    LOYALTY: 'Joint innovation, a contact per function, shared marketing.',
  },
);

export const SegmentScopeEnum = describedEnum(
  'SegmentScope',
  'Whether a segment is international or local.',
  SEGMENT_SCOPES,
  { INTERNATIONAL: 'International customers.', LOCAL: 'Local customers.' },
);

export const GrowthProfileEnum = describedEnum(
  'GrowthProfile',
  'Whether a segment is stable or fast-growing.',
  GROWTH_PROFILES,
  { STABLE: 'Stable.', FAST_GROWING: 'Fast-growing.' },
);

export const SizeClassEnum = describedEnum('SizeClass', 'The size of a segment’s customers.', SIZE_CLASSES, {
  SMALL: 'Small customers.',
  MEDIUM: 'Medium customers.',
  LARGE: 'Large customers.',
});

export const ElementInclusionEnum = describedEnum(
  'ElementInclusion',
  'Whether a service element is part of a service package.',
  ELEMENT_INCLUSIONS,
  {
    INCLUDED: 'Included in the package.',
    CHARGED_SEPARATELY: 'Offered, but charged separately.',
    NOT_OFFERED: 'Not offered to this segment.',
  },
);

export const AuditActionEnum = describedEnum(
  'AuditAction',
  'What a change did to its record.',
  AUDIT_ACTIONS,
  {
    CREATE: 'The record was created (every field has only an after value).',
    UPDATE: 'Fields of the record changed (only the changed fields are listed).',
    DELETE: 'The record was removed (every field has only a before value).',
  },
);
