/**
 * A data table as an HTML string. Account pages hold several tables each and there are
 * thousands of pages: building the markup as one string is several times faster than
 * rendering it element by element, and the output is the same.
 */
import type { TableSpec } from './chart-spec.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => ESCAPES[char]!);
}

/** The `<table>` element (DataTable.astro wraps it in its scrolling `div.table-wrap`). */
export function tableHtml(table: TableSpec, options: { id?: string; sortable?: boolean } = {}): string {
  const numeric = new Set(table.numeric ?? []);
  const cls = (index: number) => (numeric.has(index) ? ' class="num"' : '');
  let html = `<table${options.id ? ` id="${escapeHtml(options.id)}"` : ''}${options.sortable ? ' data-sortable' : ''}>`;
  html += `<caption>${escapeHtml(table.caption)}</caption><thead><tr>`;
  table.columns.forEach((column, index) => {
    html += `<th scope="col"${cls(index)}>${escapeHtml(column)}</th>`;
  });
  html += '</tr></thead><tbody>';
  table.rows.forEach((row, rowIndex) => {
    const keys = table.sortKeys?.[rowIndex];
    const sort = (index: number) => {
      const key = keys?.[index];
      return key == null ? '' : ` data-sort="${escapeHtml(String(key))}"`;
    };
    html += '<tr>';
    row.forEach((cell, index) => {
      html +=
        index === 0
          ? `<th scope="row"${cls(0)}${sort(0)}>${escapeHtml(cell)}</th>`
          : `<td${cls(index)}${sort(index)}>${escapeHtml(cell)}</td>`;
    });
    html += '</tr>';
  });
  return `${html}</tbody></table>`;
}
