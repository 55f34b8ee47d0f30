/**
 * The one error type the domain throws for an expected failure. Every error has a stable
 * `code` (callers and tests match on it), a `category` (how the API presents it) and a
 * message that tells the caller what to fix.
 */
export const DOMAIN_ERROR_CATEGORIES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'RULE'] as const;
export type DomainErrorCategory = (typeof DOMAIN_ERROR_CATEGORIES)[number];

/** Every code the domain can raise, with its category. Codes never change once published. */
export const DOMAIN_ERROR_CODES = {
  VALIDATION_FAILED: 'VALIDATION',
  INVALID_QUARTER: 'VALIDATION',
  INVALID_MONEY: 'VALIDATION',
  SCORE_OUT_OF_RANGE: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  VERSION_CONFLICT: 'CONFLICT',
  EXTERNAL_REF_TAKEN: 'CONFLICT',
  CODE_TAKEN: 'CONFLICT',
  DUPLICATE_ROW: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNATTRIBUTED_WRITE: 'RULE',
  PERSON_INACTIVE: 'VALIDATION',
  EXPIRY_NOT_IN_FUTURE: 'VALIDATION',
  IMMUTABLE_RECORD: 'RULE',
  DEMO_DATABASE_NOT_EMPTY: 'RULE',
  ACCOUNT_HIERARCHY_CYCLE: 'RULE',
  ACCOUNT_HIERARCHY_TOO_DEEP: 'RULE',
  ACCOUNT_PARENT_ROW_REJECTED: 'RULE',
  FINANCIALS_MIXED_SCOPE: 'RULE',
  CONTACT_ACCOUNT_CHANGE: 'RULE',
  ACCOUNT_ALREADY_KEY: 'RULE',
  /**
   * A tier assessed for an account not key at the end of the quarter (now, for the running one),
   * or a plan drafted for an account not key on the day it is drafted.
   */
  ACCOUNT_NOT_KEY: 'RULE',
  DESIGNATION_ALREADY_REVOKED: 'RULE',
  TEAM_LEAD_ALREADY_ASSIGNED: 'RULE',
  PLAN_ALREADY_EXISTS: 'RULE',
  PLAN_INVALID_TRANSITION: 'RULE',
  PLAN_NOT_EDITABLE: 'RULE',
  PLAN_HAS_NO_BUSINESS_UNITS: 'RULE',
  PLAN_NOT_SIGNED_BY_ALL_UNITS: 'RULE',
  PLAN_UNIT_NOT_INVOLVED: 'RULE',
  PLAN_UNIT_ALREADY_SIGNED: 'RULE',
  PLAN_SIGNER_NOT_IN_UNIT: 'RULE',
  PLAN_NOT_IN_EXECUTION: 'RULE',
  PLAN_STEP_BEFORE_LAST_STEP: 'RULE',
  /** A plan whose period overlaps that of another plan of the same account (one plan for a time). */
  PLAN_PERIOD_OVERLAP: 'RULE',
  ACTION_INVALID_TRANSITION: 'RULE',
  PLAN_VERSION_NOT_FOUND: 'NOT_FOUND',
  OPPORTUNITY_ALREADY_DECIDED: 'RULE',
  OPPORTUNITY_NOT_QUALIFIED: 'RULE',
  INITIATIVE_INVALID_PHASE_TRANSITION: 'RULE',
  INITIATIVE_ALREADY_ENDED: 'RULE',
  INITIATIVE_ADOPTION_REQUIRES_BOTH_GAINS: 'RULE',
  INITIATIVE_NOT_RECOGNISED: 'RULE',
  INITIATIVE_COMBINE_TARGET_INVALID: 'RULE',
  INITIATIVE_GAINS_REQUIRED: 'RULE',
  INITIATIVE_DATED_BEFORE_START: 'RULE',
  PROGRAMME_INVALID_TRANSITION: 'RULE',
  PROGRAMME_CHECKLIST_INCOMPLETE: 'RULE',
  /** A service element that a service package includes or charges separately cannot be removed. */
  SERVICE_ELEMENT_IN_USE: 'RULE',
  /** A service package that a cell of the segmentation grid names cannot be removed. */
  SERVICE_PACKAGE_IN_USE: 'RULE',
  SETTINGS_INVALID: 'VALIDATION',
  /**
   * A change of the reporting currency while amounts are stored: they are not converted, so the
   * change would relabel every one of them.
   */
  SETTINGS_CURRENCY_IN_USE: 'RULE',
  QUARTER_HAS_NO_DATA: 'RULE',
  QUARTER_NOT_ENDED: 'RULE',
  NO_FINANCIALS_FOR_QUARTER: 'RULE',
  BATCH_TOO_LARGE: 'VALIDATION',
  // Codes of single fields (FieldIssue.code, bulk rejections) that input rules give instead of
  // zod's own; the error around them is VALIDATION_FAILED (or SETTINGS_INVALID).
  INVALID_PERCENTAGE: 'VALIDATION',
  INVALID_DECIMAL: 'VALIDATION',
  OPPORTUNITY_DECIDED_ON_REQUIRED: 'VALIDATION',
  OPPORTUNITY_DECIDED_ON_NOT_ALLOWED: 'VALIDATION',
  OPPORTUNITY_DECIDED_BEFORE_QUALIFIED: 'VALIDATION',
  OPPORTUNITY_QUALIFIED_ON_NOT_ALLOWED: 'VALIDATION',
  OPPORTUNITY_LOST_REASON_NOT_ALLOWED: 'VALIDATION',
  ACTION_COMPLETED_BEFORE_PLAN_DRAFTED: 'VALIDATION',
  /** A designation's review due sooner than 24 months after the designation or the review. */
  DESIGNATION_REVIEW_TOO_SOON: 'VALIDATION',
  /**
   * A step that records what has happened (a designation, its review and revocation, a
   * programme's start and checklist items, plan steps and reviews, value initiative steps,
   * signals, survey responses, last contacts) dated after today: record it once it happened.
   */
  DATE_IN_FUTURE: 'VALIDATION',
  /** A tier assessment without a short evidence note (at `evidence`). */
  TIER_EVIDENCE_REQUIRED: 'VALIDATION',
  /** A programme's checklist item done before the programme started (at `on`). */
  PROGRAMME_CHECKLIST_DATED_BEFORE_START: 'VALIDATION',
  SIGNAL_SENTIMENT_REQUIRED: 'VALIDATION',
  SIGNAL_SENTIMENT_NOT_ALLOWED: 'VALIDATION',
  SIGNAL_VALUE_NOT_ALLOWED: 'VALIDATION',
  MEASUREMENT_MARKET_NOT_ALLOWED: 'VALIDATION',
  MEASUREMENT_BUSINESS_UNIT_NOT_ALLOWED: 'VALIDATION',
  MEASUREMENT_BUSINESS_UNIT_REQUIRED: 'VALIDATION',
  MEASUREMENT_MARKET_REQUIRED: 'VALIDATION',
  KPI_TARGET_OUT_OF_RANGE: 'VALIDATION',
  QUARTER_NOT_STARTED: 'VALIDATION',
  /**
   * A financial line whose gross profit is above its revenue of zero or more (at `grossProfit`):
   * gross profit is revenue minus the cost of goods sold.
   */
  GROSS_PROFIT_ABOVE_REVENUE: 'VALIDATION',
  SETTINGS_WEIGHTS_NOT_100: 'VALIDATION',
  SETTINGS_PYRAMID_SHARES_TOO_LARGE: 'VALIDATION',
  SETTINGS_HEALTH_BANDS_INVERTED: 'VALIDATION',
} as const satisfies Record<string, DomainErrorCategory>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

/** One problem with one input field, addressed by its path (e.g. `['rows', 3, 'revenue']`). */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly category: DomainErrorCategory;
  /** Field-level detail for validation errors; empty otherwise. */
  readonly issues: FieldIssue[];
  /** Machine-readable context (for example the current version on a conflict). */
  readonly details: Record<string, unknown>;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.category = DOMAIN_ERROR_CODES[code];
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** `NOT_FOUND` for an entity looked up by id or key. */
export function notFound(entity: string, key: string | number, by = 'id'): DomainError {
  return new DomainError('NOT_FOUND', `${entity} with ${by} ${JSON.stringify(key)} does not exist.`, {
    details: { entity, [by]: key },
  });
}
