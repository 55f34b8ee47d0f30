import type { EntityManager } from '@mikro-orm/core';
import { MAX_HIERARCHY_DEPTH } from '../accounts/hierarchy.ts';
import { fromCents } from '../common/money.ts';
import { quarterStart } from '../common/quarter.ts';
import { idSetCondition } from '../db/id-set.ts';
import { placeholders } from '../db/read-rows.ts';
import type { AccountSnapshotPayload, WhitespaceCell } from '../snapshots/snapshot.types.ts';
import { type Period, periodOf } from './period.ts';
import { plansAsOfSql } from './plan-as-of.ts';
import { cents, compareText, dialect as dialectOf, int, query, sqlTrue, sumCents } from './sql.ts';

export type GroupRollup = NonNullable<AccountSnapshotPayload['groupRollup']>;

/**
 * The open qualified pipeline as of a date (two parameters, both that date): qualified by then
 * (a bid qualified later was no qualified bid yet, as for PROSPECT), and not decided by then.
 */
function openPipelineWhere(alias: string, trueLiteral: string): string {
  return `${alias}.qualified = ${trueLiteral} and (${alias}.qualified_on is null or ${alias}.qualified_on <= ?) and (${alias}.outcome = 'OPEN' or ${alias}.decided_on > ?)`;
}

/**
 * Group roll-ups (domain §1): for every account with children, itself plus all its
 * descendants (a recursive CTE over the hierarchy, any depth up to the limit): TTM revenue,
 * gross profit, cost-to-serve, open qualified pipeline and the plans in force on the quarter's last
 * day (those that existed then).
 * `rootIds` restricts the result to some parents.
 */
export async function computeGroupRollups(
  em: EntityManager,
  quarter: string | Period,
  rootIds?: number[],
): Promise<Map<number, GroupRollup>> {
  const p = typeof quarter === 'string' ? periodOf(quarter) : quarter;
  const d = dialectOf(em);
  const t = sqlTrue(d);
  // The plans in force on the quarter's last day that existed then.
  const plans = plansAsOfSql(p.asOf);
  const roots = rootIds ? `where id in (${rootIds.map(() => '?').join(', ') || 'null'})` : '';
  const rows = await query<Record<string, unknown>>(
    em,
    `with recursive tree(root_id, id, depth) as (
       select id, id, 0 from account ${roots}
       union all
       select tree.root_id, a.id, tree.depth + 1 from account a join tree on a.parent_id = tree.id
       where tree.depth < ?
     ),
     fin as (
       select account_id, sum(revenue) as rev, sum(gross_profit) as gp, sum(cost_to_serve) as cts
       from quarterly_financial where quarter >= ? and quarter <= ? group by account_id
     ),
     opp as (
       select o.account_id, sum(o.value) as pipeline from opportunity o
       where ${openPipelineWhere('o', t)} group by o.account_id
     ),
     pl as (select account_id, count(*) as plans from (${plans.sql}) pa group by account_id)
     select tree.root_id, count(*) - 1 as descendants,
       ${sumCents(d, 'coalesce(fin.rev, 0)')} as rev, ${sumCents(d, 'coalesce(fin.gp, 0)')} as gp,
       ${sumCents(d, 'coalesce(fin.cts, 0)')} as cts, ${sumCents(d, 'coalesce(opp.pipeline, 0)')} as pipeline,
       sum(coalesce(pl.plans, 0)) as plans
     from tree
     left join fin on fin.account_id = tree.id
     left join opp on opp.account_id = tree.id
     left join pl on pl.account_id = tree.id
     group by tree.root_id
     having count(*) > 1`,
    [...(rootIds ?? []), MAX_HIERARCHY_DEPTH, p.ttmStart, p.quarter, p.asOf, p.asOf, ...plans.params],
  );
  return new Map(
    rows.map(r => [
      int(r.root_id),
      {
        descendants: int(r.descendants),
        ttmRevenue: fromCents(cents(r.rev)),
        ttmGrossProfit: fromCents(cents(r.gp)),
        ttmCostToServe: fromCents(cents(r.cts)),
        openQualifiedPipeline: fromCents(cents(r.pipeline)),
        plans: int(r.plans),
      },
    ]),
  );
}

/** One account × business unit line of the whitespace matrix, in cents. */
export interface WhitespaceFacts {
  accountId: number;
  businessUnitId: number;
  ttmRevenue: bigint;
  ttmGrossProfit: bigint;
  potential: bigint;
  pipeline: bigint;
  wonValueTtm: bigint;
  won: number;
  lost: number;
}

export interface BusinessUnitRef {
  id: number;
  code: string;
  name: string;
}

export async function businessUnits(em: EntityManager): Promise<BusinessUnitRef[]> {
  const rows = await query<Record<string, unknown>>(em, 'select id, code, name from business_unit');
  return rows
    .map(r => ({ id: int(r.id), code: String(r.code), name: String(r.name) }))
    .sort((a, b) => compareText(a.code, b.code));
}

/**
 * The account × business unit facts of a quarter: TTM revenue and potential booked to the
 * unit, the open qualified pipeline, and the qualified bids won (value) and lost in the TTM
 * window. Only pairs with some row are returned (its figures may all be zero: see `whitespaceCells`).
 */
export async function loadWhitespaceFacts(
  em: EntityManager,
  quarter: string | Period,
  accountIds?: number[],
): Promise<WhitespaceFacts[]> {
  const p = typeof quarter === 'string' ? periodOf(quarter) : quarter;
  const d = dialectOf(em);
  const t = sqlTrue(d);
  // A group's members can be most of the portfolio: one parameter, not one per account.
  const members = accountIds ? idSetCondition(d, 'account_id', accountIds) : undefined;
  const only = members ? `and ${members.sql}` : '';
  const ids = members?.params ?? [];
  const ttmFrom = quarterStart(p.ttmStart);
  const rows = await query<Record<string, unknown>>(
    em,
    `select account_id, business_unit_id, ${sumCents(d, 'rev')} as rev, ${sumCents(d, 'gp')} as gp,
       ${sumCents(d, 'pot')} as pot, ${sumCents(d, 'pipeline')} as pipeline, ${sumCents(d, 'won_value')} as won_value,
       sum(won) as won, sum(lost) as lost
     from (
       select account_id, business_unit_id, revenue as rev, gross_profit as gp, coalesce(potential, 0) as pot,
         0 as pipeline, 0 as won_value, 0 as won, 0 as lost
       from quarterly_financial
       where business_unit_id is not null and quarter >= ? and quarter <= ? ${only}
       union all
       select account_id, business_unit_id, 0, 0, 0,
         case when ${openPipelineWhere('o', t)} then value else 0 end,
         case when outcome = 'WON' and qualified = ${t} and decided_on >= ? and decided_on <= ? then value else 0 end,
         case when outcome = 'WON' and qualified = ${t} and decided_on >= ? and decided_on <= ? then 1 else 0 end,
         case when outcome = 'LOST' and qualified = ${t} and decided_on >= ? and decided_on <= ? then 1 else 0 end
       from opportunity o
       where qualified = ${t} ${only}
     ) x
     group by account_id, business_unit_id`,
    [
      p.ttmStart,
      p.quarter,
      ...ids,
      p.asOf,
      p.asOf,
      ttmFrom,
      p.asOf,
      ttmFrom,
      p.asOf,
      ttmFrom,
      p.asOf,
      ...ids,
    ],
  );
  return rows.map(r => ({
    accountId: int(r.account_id),
    businessUnitId: int(r.business_unit_id),
    ttmRevenue: cents(r.rev),
    ttmGrossProfit: cents(r.gp),
    potential: cents(r.pot),
    pipeline: cents(r.pipeline),
    wonValueTtm: cents(r.won_value),
    won: int(r.won),
    lost: int(r.lost),
  }));
}

/**
 * The whitespace cells of one account (or a group, when `facts` holds its members):
 * every business unit when `allUnits`, else only the units with some figure (revenue,
 * potential, open pipeline or won value other than zero: a bid qualified after the quarter,
 * or one decided before its TTM window, is no figure of the quarter); sorted by code.
 * A cell with potential and no revenue is white space.
 */
export function whitespaceCells(
  facts: WhitespaceFacts[],
  units: BusinessUnitRef[],
  allUnits: boolean,
): WhitespaceCell[] {
  const byUnit = new Map<number, WhitespaceFacts>();
  for (const f of facts) {
    const cell = byUnit.get(f.businessUnitId);
    if (!cell) byUnit.set(f.businessUnitId, { ...f });
    else {
      cell.ttmRevenue += f.ttmRevenue;
      cell.ttmGrossProfit += f.ttmGrossProfit;
      cell.potential += f.potential;
      cell.pipeline += f.pipeline;
      cell.wonValueTtm += f.wonValueTtm;
    }
  }
  const cells: WhitespaceCell[] = [];
  for (const unit of units) {
    const f = byUnit.get(unit.id);
    const hasFigure =
      !!f && (f.ttmRevenue !== 0n || f.potential !== 0n || f.pipeline !== 0n || f.wonValueTtm !== 0n);
    if (!hasFigure && !allUnits) continue;
    const revenue = f?.ttmRevenue ?? 0n;
    const potential = f?.potential ?? 0n;
    cells.push({
      businessUnitCode: unit.code,
      businessUnitName: unit.name,
      ttmRevenue: fromCents(revenue),
      potential: fromCents(potential),
      openQualifiedPipeline: fromCents(f?.pipeline ?? 0n),
      wonValueTtm: fromCents(f?.wonValueTtm ?? 0n),
      whiteSpace: potential > 0n && revenue <= 0n,
    });
  }
  return cells;
}

/**
 * The whitespace matrix (domain §3) of an account, or of its whole group (itself plus all
 * descendants) when `group` is set: one cell per business unit, sorted by unit code.
 */
export async function computeWhitespace(
  em: EntityManager,
  quarter: string,
  accountId: number,
  options: { group?: boolean } = {},
): Promise<WhitespaceCell[]> {
  return (await computeWhitespaces(em, quarter, [accountId], options)).get(accountId) ?? [];
}

/**
 * `computeWhitespace` of several accounts at once (a page of them): the same statements for
 * any number of accounts.
 */
export async function computeWhitespaces(
  em: EntityManager,
  quarter: string,
  accountIds: readonly number[],
  options: { group?: boolean } = {},
): Promise<Map<number, WhitespaceCell[]>> {
  const roots = [...new Set(accountIds)];
  // Each account's members: itself, and with `group` its descendants.
  let members: { root: number; id: number }[] = roots.map(id => ({ root: id, id }));
  if (options.group && roots.length) {
    const rows = await query<{ root: number; id: number }>(
      em,
      `with recursive tree(root, id, depth) as (
         select id, id, 0 from account where id in (${placeholders(roots)})
         union all
         select tree.root, a.id, tree.depth + 1 from account a join tree on a.parent_id = tree.id
         where tree.depth < ?
       ) select root, id from tree`,
      [...roots, MAX_HIERARCHY_DEPTH],
    );
    members = rows.map(r => ({ root: int(r.root), id: int(r.id) }));
  }
  const facts = await loadWhitespaceFacts(em, quarter, [...new Set(members.map(m => m.id))]);
  const factsOf = new Map<number, WhitespaceFacts[]>();
  for (const f of facts) {
    const list = factsOf.get(f.accountId);
    if (list) list.push(f);
    else factsOf.set(f.accountId, [f]);
  }
  const groupFacts = new Map<number, WhitespaceFacts[]>(roots.map(root => [root, []]));
  for (const m of members) groupFacts.get(m.root)?.push(...(factsOf.get(m.id) ?? []));
  const units = await businessUnits(em);
  return new Map(roots.map(root => [root, whitespaceCells(groupFacts.get(root) ?? [], units, true)]));
}
