/**
 * Progressive enhancement for tables: sortable columns (`table[data-sortable]`, the header
 * buttons announce the order with aria-sort), a text filter (`input[data-filter-for]`: the
 * phrase typed, in one cell of a row), and long tables collapsed on screen: they come open in the
 * HTML (`details[data-collapsed-by-script]`), so that without JavaScript every number shows and
 * prints, are closed here, and opened again for print so that a printed report has every number.
 */

import { compareCells, rowMatchesFilter } from '../lib/sort.ts';

function cellValue(row: HTMLTableRowElement, column: number): string {
  const cell = row.cells[column];
  return cell?.dataset.sort ?? cell?.textContent?.trim() ?? '';
}

function makeSortable(table: HTMLTableElement) {
  const headers = [...table.querySelectorAll<HTMLTableCellElement>('thead th')];
  const body = table.tBodies[0];
  if (!body) return;
  headers.forEach((header, column) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.append(...header.childNodes);
    header.append(button);
    button.addEventListener('click', () => {
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const rows = [...body.rows];
      rows.sort((a, b) => compareCells(cellValue(a, column), cellValue(b, column)) * (ascending ? 1 : -1));
      body.append(...rows);
    });
  });
}

function makeFilter(input: HTMLInputElement) {
  const table = document.getElementById(input.dataset.filterFor ?? '') as HTMLTableElement | null;
  const body = table?.tBodies[0];
  const status = document.getElementById(input.dataset.filterStatus ?? '');
  if (!body) return;
  input.hidden = false;
  input.closest('[hidden]')?.removeAttribute('hidden');
  input.addEventListener('input', () => {
    let shown = 0;
    for (const row of body.rows) {
      row.hidden = !rowMatchesFilter(
        [...row.cells].map(cell => cell.textContent ?? ''),
        input.value,
      );
      if (!row.hidden) shown++;
    }
    if (status) status.textContent = `${shown} of ${body.rows.length} shown`;
  });
}

for (const table of document.querySelectorAll<HTMLTableElement>('table[data-sortable]')) makeSortable(table);
for (const input of document.querySelectorAll<HTMLInputElement>('input[data-filter-for]')) makeFilter(input);
// Sentences that tell the reader to sort or filter, hidden until the controls work.
for (const hint of document.querySelectorAll<HTMLElement>('[data-shown-with-controls]')) hint.hidden = false;

for (const details of document.querySelectorAll<HTMLDetailsElement>('details[data-collapsed-by-script]')) {
  details.open = false;
}

const opened: HTMLDetailsElement[] = [];
addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('details:not([open])')) {
    details.open = true;
    opened.push(details);
  }
});
addEventListener('afterprint', () => {
  for (const details of opened.splice(0)) details.open = false;
});
