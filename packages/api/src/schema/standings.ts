import { type AccountStanding, accountStandings, assertQuarterStarted, lastEndedQuarter } from '@kam/domain';
import { type KamContext, requestCache } from '../context.ts';

const byQuarter = requestCache((): Map<string, Promise<Map<number, AccountStanding>>> => new Map());

/**
 * Every account's pyramid level and quadrant in `quarter` (default: the last quarter that has
 * ended), computed from the current data once per request and quarter: the accounts filters
 * and the Account fields of one request share it. A quarter that has not started is refused
 * (`field` names the argument that gave it).
 */
export function standingsIn(
  ctx: KamContext,
  quarter: string | null | undefined,
  field: string,
): Promise<Map<number, AccountStanding>> {
  if (quarter) assertQuarterStarted(quarter, field);
  const q = quarter ?? lastEndedQuarter();
  const cache = byQuarter(ctx);
  let standings = cache.get(q);
  if (!standings) {
    standings = accountStandings(ctx.em, q);
    cache.set(q, standings);
  }
  return standings;
}

/** One account's standing in `quarter` (see `standingsIn`); undefined for an account it lacks. */
export async function standingOf(
  ctx: KamContext,
  quarter: string | null | undefined,
  accountId: number,
  field: string,
): Promise<AccountStanding | undefined> {
  return (await standingsIn(ctx, quarter, field)).get(accountId);
}
