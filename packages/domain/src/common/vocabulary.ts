/**
 * The names of the Key Account Management domain (`domain.md`), as `as const` arrays so
 * that the entities, the input schemas and the GraphQL enums all come from one list.
 */

export const BUSINESS_UNIT_KINDS = ['GEOGRAPHY', 'OFFERING', 'INDUSTRY'] as const;
export type BusinessUnitKind = (typeof BUSINESS_UNIT_KINDS)[number];

/** The customer pyramid, bottom to top (002). */
export const PYRAMID_LEVELS = [
  'SUSPECT',
  'PROSPECT',
  'LAPSED',
  'ACTIVE_SMALL',
  'ACTIVE_MEDIUM',
  'ACTIVE_LARGE',
  'KEY',
] as const;
export type PyramidLevel = (typeof PYRAMID_LEVELS)[number];

export const BUYER_ORIENTATIONS = ['PRICE', 'LOYALTY'] as const;
export type BuyerOrientation = (typeof BUYER_ORIENTATIONS)[number];

export const SEGMENT_SCOPES = ['INTERNATIONAL', 'LOCAL'] as const;
export type SegmentScope = (typeof SEGMENT_SCOPES)[number];

export const GROWTH_PROFILES = ['STABLE', 'FAST_GROWING'] as const;
export type GrowthProfile = (typeof GROWTH_PROFILES)[number];

export const SIZE_CLASSES = ['SMALL', 'MEDIUM', 'LARGE'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** Whether a service element is part of a segment's package. */
export const ELEMENT_INCLUSIONS = ['INCLUDED', 'CHARGED_SEPARATELY', 'NOT_OFFERED'] as const;
export type ElementInclusion = (typeof ELEMENT_INCLUSIONS)[number];

/** The attractiveness × relationship matrix (001). */
export const ACCOUNT_QUADRANTS = ['KEY_ACCOUNT', 'DEVELOP', 'MAINTAIN', 'OPPORTUNISTIC'] as const;
export type AccountQuadrant = (typeof ACCOUNT_QUADRANTS)[number];

/** The value journey, from transactional (TIER_4) to partnership (TIER_1) (000 §3). */
export const VALUE_TIERS = ['TIER_4', 'TIER_3', 'TIER_2', 'TIER_1'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];
export const VALUE_TIER_NAMES: Record<ValueTier, string> = {
  TIER_4: 'Price',
  TIER_3: 'Differentiator',
  TIER_2: 'Value add',
  TIER_1: 'Mutual benefit',
};

export const TEAM_ROLES = [
  'KEY_ACCOUNT_MANAGER',
  'SPONSOR',
  'COACH',
  'BUSINESS_UNIT_LEAD',
  'SUPPORT',
] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const CONTACT_FUNCTIONS = [
  'PROCUREMENT',
  'SUPPLY_CHAIN',
  'MARKETING',
  'OPERATIONS',
  'FINANCE',
  'TECHNICAL',
  'EXECUTIVE',
  'OTHER',
] as const;
export type ContactFunction = (typeof CONTACT_FUNCTIONS)[number];

export const CONTACT_STANCES = ['CHAMPION', 'SUPPORTER', 'NEUTRAL', 'DETRACTOR', 'UNKNOWN'] as const;
export type ContactStance = (typeof CONTACT_STANCES)[number];

export const PLAN_STATUSES = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * The workflow steps that change a plan's status, as its status history records them: drafted
 * (created, or copied from last year's plan), submitted for review, approved, returned to draft,
 * closed.
 */
export const PLAN_STEPS = [
  'CREATED',
  'COPIED',
  'SUBMITTED',
  'APPROVED',
  'RETURNED_TO_DRAFT',
  'CLOSED',
] as const;
export type PlanStep = (typeof PLAN_STEPS)[number];

/** The seven sections of a key account plan (004 step 3), in order. */
export const PLAN_SECTIONS = [
  'baselines',
  'currentRelationship',
  'growthOpportunities',
  'requiredActions',
  'customerValue',
  'investmentAndCostToServe',
  'actionPlanAndDeal',
] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number];
/** A plan's targets, as a version freezes and compares them. */
export const PLAN_TARGET_FIELDS = [
  'revenueTarget',
  'marginTargetPercent',
  'inYearTarget',
  'estimatedCustomerValue',
  'estimatedInvestment',
  'estimatedCostToServe',
] as const;
export const PLAN_SECTION_TITLES: Record<PlanSection, string> = {
  baselines: '1. Baselines: customer and market financial indicators, key challenges, ongoing projects',
  currentRelationship: '2. The current relationship: strengths and weaknesses',
  growthOpportunities: '3. Growth opportunities and quantified targets',
  requiredActions: '4. Required actions and the desired customer solution',
  customerValue: '5. Estimated value of the solution for the customer',
  investmentAndCostToServe: '6. Estimated investment and cost-to-serve',
  actionPlanAndDeal: '7. The action plan and the deal',
};

export const ACTION_STATUSES = ['OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const REVIEW_ASSESSMENTS = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK'] as const;
export type ReviewAssessment = (typeof REVIEW_ASSESSMENTS)[number];

export const OPPORTUNITY_OUTCOMES = ['OPEN', 'WON', 'LOST'] as const;
export type OpportunityOutcome = (typeof OPPORTUNITY_OUTCOMES)[number];

/** The four kinds of value (003). */
export const VALUE_CATEGORIES = ['EXPECTED', 'PERCEIVED', 'PROVEN', 'UNTAPPED'] as const;
export type ValueCategory = (typeof VALUE_CATEGORIES)[number];

/** The ten phases of the value design process (003), in order. */
export const DESIGN_PHASES = [
  'ASSESS_CURRENT_SITUATION',
  'FILL_KNOWLEDGE_GAPS',
  'RAPID_PROTOTYPING',
  'EXTERNAL_LEARNING',
  'INTERROGATE_PROTOTYPE',
  'FINAL_REVIEW',
  'TEST_PLAN',
  'LIVE_TEST',
  'REVIEW_AND_REFINE',
  'ROLL_OUT',
] as const;
export type DesignPhase = (typeof DESIGN_PHASES)[number];

export const INITIATIVE_OUTCOMES = ['ADOPTED', 'REJECTED', 'REVISED', 'COMBINED'] as const;
export type InitiativeOutcome = (typeof INITIATIVE_OUTCOMES)[number];

export const SIGNAL_KINDS = ['FEEDBACK', 'ADVICE_REQUEST', 'EXPANSION_REQUEST', 'REFERRAL'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SENTIMENTS = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const MEASUREMENT_KINDS = ['PEOPLE_SATISFACTION', 'MARKET_SHARE'] as const;
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

/** The thirteen KPIs (000 §5). */
export const KPI_CODES = [
  'CUSTOMER_RETENTION',
  'CUSTOMER_SATISFACTION',
  'POSITIVE_FEEDBACK',
  'PEOPLE_SATISFACTION',
  'MARKET_SHARE',
  'CUSTOMER_LIFETIME_VALUE',
  'KEY_ACCOUNT_GROWTH',
  'WIN_RATE',
  'ADVICE_REQUESTS',
  'EXPANSION_REQUESTS',
  'REFERRALS',
  'KEY_VS_CONTROL_GROWTH',
  'VALUE_DEMONSTRATED',
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

export const KPI_UNITS = ['PERCENT', 'SCORE', 'INDEX', 'MONEY', 'COUNT', 'RATIO'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export const KPI_DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

/** The customer-intimacy programme's stages (000 §4), in order. */
export const PROGRAMME_STAGES = ['UNDERSTAND', 'TEST', 'LEARN', 'IMPLEMENT'] as const;
export type ProgrammeStage = (typeof PROGRAMME_STAGES)[number];

export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
