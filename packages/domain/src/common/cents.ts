/**
 * Money as text and as cents, with no dependency (the report sites read it too, without the
 * ORM): a decimal amount with at most two decimals, "-1234.5" → -123450n.
 */
export const MONEY_PATTERN = /^(-)?(\d{1,16})(?:\.(\d{1,2}))?$/;

/** The cents of a decimal amount written as `MONEY_PATTERN` says; null for any other text. */
export function centsOfText(text: string): bigint | null {
  const match = MONEY_PATTERN.exec(text);
  if (!match) return null;
  const cents = BigInt(match[2] ?? '0') * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}
