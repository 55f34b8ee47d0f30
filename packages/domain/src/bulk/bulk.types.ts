import type { FieldIssue } from '../common/domain-error.ts';

/** ATOMIC: all rows or none. PARTIAL: the good rows are written, the bad ones reported. */
export const BULK_MODES = ['ATOMIC', 'PARTIAL'] as const;
export type BulkMode = (typeof BULK_MODES)[number];

/** The default (and, unless configured otherwise, maximum) number of rows in one bulk call. */
export const DEFAULT_MAX_BULK_ROWS = 10_000;

/** One rejected row: its index in the input, the field path, a stable code and what to fix. */
export interface RowRejection {
  index: number;
  path: (string | number)[];
  code: string;
  message: string;
  /** For a DUPLICATE_ROW: what was repeated, and the index of its first row in the call. */
  duplicate?: { what: string; key: string; firstIndex: number };
}

export interface BulkResult {
  operation: string;
  mode: BulkMode;
  /** Rows received. */
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: RowRejection[];
  /** False when nothing was written (ATOMIC with rejected rows). */
  written: boolean;
  /** True when this result is the replay of an earlier call with the same idempotency key. */
  replayed: boolean;
}

export interface BulkOptions {
  mode: BulkMode;
  /** Calls with more rows are refused as a whole (`BATCH_TOO_LARGE`). */
  maxRows?: number;
}

export function issuesToRejections(index: number, issues: FieldIssue[]): RowRejection[] {
  return issues.map(i => ({ index, path: i.path, code: i.code, message: i.message }));
}
