/**
 * The number a formatted figure shows, for sorting: "EUR 1,234,568", "−3.0 %", "+2.5 pp",
 * "2.73×", "1,234" (format.ts writes them); null for text. Grouping commas would otherwise split
 * the digits into runs ("999,999" after "1,000,000") and the true minus would be ignored.
 */
const FIGURE = /^(?:[A-Z]{3}[\s\u00a0])?([-+−±]?)(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?(?:[\s\u00a0]?(?:%|pp|×))?$/;

export function figureValue(text: string): number | null {
  const match = FIGURE.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  const size = Number(`${whole.replaceAll(',', '')}${fraction}`);
  return sign === '-' || sign === '−' ? -size : size;
}

/** How sortable tables (client/tables.ts) order two cells: by `data-sort` or the text shown. */
export function compareCells(a: string, b: string): number {
  const numberA = a === '' ? Number.NaN : Number(a);
  const numberB = b === '' ? Number.NaN : Number(b);
  if (Number.isFinite(numberA) && Number.isFinite(numberB)) return numberA - numberB;
  const figureA = figureValue(a);
  const figureB = figureValue(b);
  if (figureA != null && figureB != null) return figureA - figureB;
  return a.localeCompare(b, 'en-GB', { numeric: true, sensitivity: 'base' });
}

/**
 * Lower case without accents ("Bergström" → "bergstrom": letters decomposed, their combining
 * marks dropped), every run of white space (a no-break space too) one space.
 */
const normalise = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Whether a table row passes the list filter (client/tables.ts): the words typed, as a phrase,
 * in one of its cells, case, accents and spacing aside. Not each word anywhere in the row: "Tier 1" would
 * keep every row, since every reference and most amounts hold a 1.
 */
export function rowMatchesFilter(cells: readonly string[], query: string): boolean {
  const phrase = normalise(query);
  return phrase === '' || cells.some(cell => normalise(cell).includes(phrase));
}
