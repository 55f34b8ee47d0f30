/**
 * How served markets are told apart. A market is named in free text on each market-share
 * measurement, so "DACH", "Dach" and "dach " must be one market: measurements compare by the
 * market's key, and show the name as it was first written.
 *
 * - The key (`marketKey`): Unicode NFKC (full-width and other compatibility forms become the
 *   plain letters, a no-break space a space), every run of white space one space, trimmed, lower
 *   case. A measurement's scope key is `market:<key>` (`marketScopeKey`), and the database keeps
 *   one measurement per kind, quarter and scope key.
 * - The name shown (`marketName`): as written, its white space collapsed the same way. A new
 *   measurement of a market that has been measured before takes the name of that market's first
 *   measurement (`recordMeasurement`), so a market reads the same in every quarter.
 *
 * Migration20261207110000_market_scope_keys rewrote the measurements stored before with the same
 * rules (its own copy: a migration does not change when this file does).
 */

import { nameKey } from '../common/words.ts';

/** The name of a market as shown: as written, white space collapsed to single spaces and trimmed. */
export function marketName(name: string): string {
  return name.replace(/\s+/gu, ' ').trim();
}

/** The key two spellings of one market share: NFKC, white space collapsed and trimmed, lower case. */
export const marketKey = nameKey;

/** The scope key of a market's measurements: `market:<key>`. */
export function marketScopeKey(name: string): string {
  return `market:${marketKey(name)}`;
}
