/**
 * A value initiative's copy by a competitor as of a day (docs/analytics.md, "As of"): from the day
 * it was copied (`copied_on`) it is EXPECTED and earns no premium (domain §8); before, it reads
 * with the category it had (`category_before_copy`). SQL fragments for the analytics' queries.
 */
import type { Dialect } from '../db/orm-config.ts';
import { sqlTrue } from './sql.ts';

/**
 * SQL over `value_initiative` (columns prefixed `v`, e.g. `'v.'`; one `?`: the day read, asOf):
 * 1 when a competitor had copied it by then, else 0. A copy without a day (marked before the day
 * was recorded) counts as copied since the start, as it read before the day was kept.
 */
export function copiedAsOf(d: Dialect, v = ''): string {
  return `case when ${v}copied_by_competitor = ${sqlTrue(d)} and (${v}copied_on is null or ${v}copied_on <= ?) then 1 else 0 end`;
}

/**
 * SQL over `value_initiative` (columns prefixed `v`; one `?`: asOf): its category that day. While
 * the copy is dated later, the category before the copy (the current one when that was not kept).
 */
export function categoryAsOf(v = ''): string {
  return `case when ${v}copied_on > ? then coalesce(${v}category_before_copy, ${v}category) else ${v}category end`;
}
