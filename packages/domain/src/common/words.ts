/** "1 month", "3 months", "0 responses": a count with its noun in the right number, for messages people read. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** Names as a sentence lists them: "a", "a and b", "a, b and c". */
export function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A signed figure as written for readers: "+1.5", "−1.9" (a true minus sign), "0". */
export function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
}

/**
 * A user's text quoted for a message, cut at `max` characters with an ellipsis:
 * `Action "Agree the joint roadmap with procurement a…"`.
 */
export function quoted(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > max ? `${line.slice(0, max - 1)}…` : line}"`;
}

/**
 * The key two spellings of one free-text name share (a market, a geography): Unicode NFKC
 * (full-width and other compatibility forms become plain letters, a no-break space a space),
 * every run of white space one space, trimmed, lower case. "DACH", "Dach" and " dach " are one.
 */
export function nameKey(name: string): string {
  // NFKC first: some compatibility characters decompose to capitals (ℌ → H), which then fold.
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase().normalize('NFKC');
}
