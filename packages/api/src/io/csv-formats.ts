import type { Actor } from '@kam/domain';
import {
  type BulkOptions,
  type BulkResult,
  type EntityManager,
  fromCents,
  importFinancials,
  upsertAccounts,
  upsertContacts,
  upsertOpportunities,
} from '@kam/domain';

/** The CSV files kam reads and writes: one per bulk operation, columns named after the row fields. */
export const CSV_KINDS = ['accounts', 'financials', 'contacts', 'opportunities'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

type ColumnType = 'text' | 'int' | 'bool';

export interface CsvFormat {
  columns: { name: string; type?: ColumnType; required?: boolean }[];
  /** The bulk operation that imports it (the same code path as the GraphQL bulk mutation). */
  run(em: EntityManager, rows: readonly unknown[], options: BulkOptions, actor: Actor): Promise<BulkResult>;
  /**
   * A keyset-paged export: `select` with its key columns and order. With `tree`, the export
   * first materialises that query (once, in the export's transaction) as the temporary table
   * `kam_export_tree`, indexed on `treeIndex`, which `select` then reads: a query too costly
   * to run again for every page (the account hierarchy) runs once.
   */
  page: { select: string; keyColumns: string[]; orderBy: string; tree?: string; treeIndex?: string };
  /** Formats a database row as CSV cells, in column order. */
  toCells(row: Record<string, unknown>): string[];
  /**
   * The key a row is upserted by, read from the CSV record, with the words and field the bulk
   * operation uses for a repeated row: the importer finds a row repeated in a later batch, which
   * the bulk operation (one batch per call) cannot see.
   */
  key: { what: string; path: string[]; of(record: Record<string, string>): string };
}

// As the bulk operation will read it: un-escaped as `recordToRow` does, then trimmed by the row
// schema. Read raw, `'-A1` (how kam export writes -A1) and `-A1` were two keys across batches.
const cell = (record: Record<string, string>, column: string) =>
  fromSpreadsheetCell(record[column] ?? '').trim();
const byExternalRef = (what: string): CsvFormat['key'] => ({
  what,
  path: ['externalRef'],
  of: r => cell(r, 'externalRef'),
});

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const money = (v: unknown) =>
  v === null || v === undefined ? '' : fromCents(BigInt(String(v).replace(/\.0+$/, '')));
const date = (v: unknown) =>
  v === null || v === undefined
    ? ''
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : String(v).slice(0, 10);
const bool = (v: unknown) =>
  v === true || v === 1 || v === '1' || v === 't' || v === 'true' ? 'true' : 'false';

export const CSV_FORMATS: Record<CsvKind, CsvFormat> = {
  accounts: {
    columns: [
      { name: 'externalRef', required: true },
      { name: 'name', required: true },
      { name: 'parentRef' },
      { name: 'segmentCode' },
      { name: 'industry' },
      { name: 'country' },
      { name: 'customerSince' },
    ],
    run: upsertAccounts,
    // Parents before children, so that a file can be imported in batches.
    page: {
      tree: `with recursive tree(id, depth) as (
          select id, 0 from account where parent_id is null
          union all select a.id, t.depth + 1 from account a join tree t on a.parent_id = t.id)
        select t.id as id, t.depth as depth, a.external_ref as external_ref from tree t join account a on a.id = t.id`,
      treeIndex: 'depth, external_ref',
      select: `select t.depth as depth, a.external_ref as external_ref, a.name as name, p.external_ref as parent_ref,
          s.code as segment_code, a.industry as industry, a.country as country, a.customer_since as customer_since
        from kam_export_tree t join account a on a.id = t.id
        left join account p on p.id = a.parent_id left join segment s on s.id = a.segment_id`,
      keyColumns: ['t.depth', 't.external_ref'],
      orderBy: 't.depth, t.external_ref',
    },
    toCells: r => [
      text(r.external_ref),
      text(r.name),
      text(r.parent_ref),
      text(r.segment_code),
      text(r.industry),
      text(r.country),
      date(r.customer_since),
    ],
    key: byExternalRef('external ref'),
  },
  financials: {
    columns: [
      { name: 'accountRef', required: true },
      { name: 'quarter', required: true },
      { name: 'businessUnitCode' },
      { name: 'revenue', required: true },
      { name: 'grossProfit', required: true },
      { name: 'costToServe', required: true },
      { name: 'potential' },
      { name: 'pricePremium' },
    ],
    run: importFinancials,
    page: {
      select: `select a.external_ref as account_ref, f.quarter as quarter, coalesce(b.code, '') as unit_code, f.revenue as revenue,
          f.gross_profit as gross_profit, f.cost_to_serve as cost_to_serve, f.potential as potential, f.price_premium as price_premium
        from quarterly_financial f join account a on a.id = f.account_id left join business_unit b on b.id = f.business_unit_id`,
      keyColumns: ['a.external_ref', 'f.quarter', "coalesce(b.code, '')"],
      orderBy: "a.external_ref, f.quarter, coalesce(b.code, '')",
    },
    toCells: r => [
      text(r.account_ref),
      text(r.quarter),
      text(r.unit_code),
      money(r.revenue),
      money(r.gross_profit),
      money(r.cost_to_serve),
      money(r.potential),
      money(r.price_premium),
    ],
    key: {
      what: 'financial line',
      path: ['accountRef'],
      of: r => `${cell(r, 'accountRef')}/${cell(r, 'quarter')}/${cell(r, 'businessUnitCode') || '(account)'}`,
    },
  },
  contacts: {
    columns: [
      { name: 'externalRef', required: true },
      { name: 'accountRef', required: true },
      { name: 'name', required: true },
      { name: 'title' },
      { name: 'email' },
      { name: 'function', required: true },
      { name: 'influence', type: 'int', required: true },
      { name: 'stance' },
      { name: 'whatTheyValue' },
      { name: 'lastContactOn' },
      { name: 'counterpartEmail' },
    ],
    run: upsertContacts,
    page: {
      select: `select c.external_ref as external_ref, a.external_ref as account_ref, c.name as name, c.title as title, c.email as email,
          c.function as function, c.influence as influence, c.stance as stance, c.what_they_value as what_they_value,
          c.last_contact_on as last_contact_on, p.email as counterpart_email
        from contact c join account a on a.id = c.account_id left join person p on p.id = c.counterpart_id`,
      keyColumns: ['c.external_ref'],
      orderBy: 'c.external_ref',
    },
    toCells: r => [
      text(r.external_ref),
      text(r.account_ref),
      text(r.name),
      text(r.title),
      text(r.email),
      text(r.function),
      text(r.influence),
      text(r.stance),
      text(r.what_they_value),
      date(r.last_contact_on),
      text(r.counterpart_email),
    ],
    key: byExternalRef('contact'),
  },
  opportunities: {
    columns: [
      { name: 'externalRef', required: true },
      { name: 'accountRef', required: true },
      { name: 'businessUnitCode', required: true },
      { name: 'name', required: true },
      { name: 'value', required: true },
      { name: 'qualified', type: 'bool' },
      { name: 'qualifiedOn' },
      { name: 'expectedCloseOn' },
      { name: 'outcome' },
      { name: 'decidedOn' },
      { name: 'lostReason' },
    ],
    run: upsertOpportunities,
    page: {
      select: `select o.external_ref as external_ref, a.external_ref as account_ref, b.code as unit_code, o.name as name, o.value as value,
          o.qualified as qualified, o.qualified_on as qualified_on, o.expected_close_on as expected_close_on, o.outcome as outcome,
          o.decided_on as decided_on, o.lost_reason as lost_reason
        from opportunity o join account a on a.id = o.account_id join business_unit b on b.id = o.business_unit_id`,
      keyColumns: ['o.external_ref'],
      orderBy: 'o.external_ref',
    },
    toCells: r => [
      text(r.external_ref),
      text(r.account_ref),
      text(r.unit_code),
      text(r.name),
      money(r.value),
      bool(r.qualified),
      date(r.qualified_on),
      date(r.expected_close_on),
      text(r.outcome),
      date(r.decided_on),
      text(r.lost_reason),
    ],
    key: byExternalRef('opportunity'),
  },
};

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula ("CSV injection": `=HYPERLINK(…)` in an account name becomes a link, or worse, when an
 * export is opened in Excel). Such text is written with a leading apostrophe, which spreadsheets
 * show as text and do not print; plain numbers (a negative amount) stay numbers, which is why
 * this is not csv-stringify's `escape_formulas` (it would quote "-12.50" as well). Text that
 * already starts with apostrophes before such a character gets one more, so that
 * `fromSpreadsheetCell` on import gives back exactly what was exported.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

export function toSpreadsheetCell(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The text of a cell written by `toSpreadsheetCell` (or by a spreadsheet that escaped it the same way). */
export function fromSpreadsheetCell(cell: string): string {
  return ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/**
 * Turns a CSV record into a bulk row: empty cells are omitted, a formula escaped on export is
 * read back as its text, integer and boolean columns are converted when they look right
 * (otherwise left as text for the row validation to reject with a clear message).
 */
export function recordToRow(format: CsvFormat, record: Record<string, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of format.columns) {
    const cell = record[column.name];
    // A cell of spaces is an empty cell: left out, as a blank optional text would be stored.
    if (cell === undefined || cell.trim() === '') continue;
    const raw = fromSpreadsheetCell(cell);
    if (column.type === 'int' && /^-?\d+$/.test(raw.trim())) row[column.name] = Number(raw.trim());
    else if (column.type === 'bool' && /^(true|false)$/i.test(raw.trim()))
      row[column.name] = raw.trim().toLowerCase() === 'true';
    else row[column.name] = raw;
  }
  return row;
}
