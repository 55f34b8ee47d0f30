/** Parsing of command-line option values, with one-line errors that say what is expected. */

/** A whole number from `min` to `max`, or an error naming the option. */
export function wholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${option} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
  return n;
}
