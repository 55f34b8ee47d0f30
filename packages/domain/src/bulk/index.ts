// Bulk upserts and imports (set-based, audited, ATOMIC or PARTIAL, idempotent).
export { upsertAccounts } from './accounts.bulk.ts';
export {
  BULK_MODES,
  type BulkMode,
  type BulkOptions,
  type BulkResult,
  DEFAULT_MAX_BULK_ROWS,
  type RowRejection,
} from './bulk.types.ts';
export { duplicateRowMessage } from './bulk-engine.ts';
export { upsertContacts } from './contacts.bulk.ts';
export { importFinancials } from './financials.bulk.ts';
export {
  canonicalJson,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyRequest,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  payloadHash,
  purgeExpiredIdempotencyKeys,
  runIdempotent,
} from './idempotency.ts';
export { upsertOpportunities } from './opportunities.bulk.ts';
export { recordSignals, recordSurveyResponses } from './signals.bulk.ts';
