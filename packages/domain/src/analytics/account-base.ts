import type { EntityManager } from '@mikro-orm/core';
import { type Period, periodOf } from './period.ts';
import { bool, byteOrder, cents, dialect, exactCents, float, int, query, sqlTrue, text } from './sql.ts';

/**
 * One row per account with the facts of a quarter that the pyramid, Pareto, selection
 * and profitability views are built from. Everything is aggregated in SQL, and the
 * percentiles, the size ranks and the size deciles come from window functions
 * (`percent_rank`, `row_number`, `ntile`), so 100,000 accounts read as 100,000 small rows.
 */
export interface AccountBaseRow {
  id: number;
  externalRef: string;
  name: string;
  parentId: number | null;
  segmentCode: string | null;
  segmentName: string | null;
  industry: string | null;
  country: string | null;
  customerSince: string | null;
  ttmRevenue: bigint;
  ttmGrossProfit: bigint;
  ttmCostToServe: bigint;
  /** Sum of the recorded potential wallet over the TTM window. */
  ttmPotential: bigint;
  /** max(potential wallet − TTM revenue, 0). */
  headroom: bigint;
  priorRevenue: bigint;
  priorGrossProfit: bigint;
  /** Revenue > 0 in some quarter before the TTM window. */
  earlierRevenue: boolean;
  /** Revenue > 0 in some quarter up to this one, the TTM window included (a PROSPECT never sold). */
  everSold: boolean;
  /**
   * A qualified opportunity counts on the quarter's last day: qualified on or before it, and not
   * lost on or before it (open, won, or lost later). PROSPECT needs one (domain §2).
   */
  qualifiedOpportunity: boolean;
  /** The designation current at the quarter's end, if any. */
  designationId: number | null;
  designatedOn: string | null;
  /**
   * The designation's review due date as of the quarter's last day: the one set by its last
   * review on or before that day (`designation_review`), else the one it had before its first
   * recorded review; a designation without recorded reviews reads its current due date.
   */
  reviewDueOn: string | null;
  /** Percentiles 0–100 among active accounts (TTM revenue > 0); null for the others. */
  revenuePercentile: number | null;
  marginPercentile: number | null;
  headroomPercentile: number | null;
  /** 1-based rank by TTM revenue (desc, then external ref) among active accounts that are not key; null otherwise. */
  sizeRank: number | null;
  /** How many accounts `sizeRank` ranks. */
  sizeRanked: number;
  /** 1 = the largest 10 % of active accounts by TTM revenue … 10 = the smallest (ntile). */
  sizeDecile: number | null;
}

export function isActive(row: { ttmRevenue: bigint }): boolean {
  return row.ttmRevenue > 0n;
}

/** Reads the account base of a quarter, in external-ref order. */
export async function loadAccountBase(
  em: EntityManager,
  quarter: string | Period,
): Promise<AccountBaseRow[]> {
  const p = typeof quarter === 'string' ? periodOf(quarter) : quarter;
  const d = dialect(em);
  const ref = byteOrder(d, 'b.external_ref');
  const activeKey = 'case when b.rev > 0 then 1 else 0 end';
  const rankKey = 'case when b.rev > 0 and b.designation_id is null then 1 else 0 end';
  // Read exactly: an account's TTM sums may pass 2^53 cents. Compared and ordered on as numbers above.
  const amounts = ['rev', 'gp', 'cts', 'pot', 'headroom', 'prior_rev', 'prior_gp']
    .map(column => `${exactCents(d, `b.${column}`)} as ${column}`)
    .join(', ');
  const sql = `
    with q as (
      -- Each account's quarters, its business units' lines netted: a sale and a credit of one
      -- quarter on two units is no revenue in that quarter ("earlier" and "sold" read quarters).
      select account_id, quarter, sum(revenue) as revenue, sum(gross_profit) as gross_profit,
        sum(cost_to_serve) as cost_to_serve, sum(coalesce(potential, 0)) as potential
      from quarterly_financial
      where quarter <= ?
      group by account_id, quarter
    ),
    fin as (
      select account_id,
        sum(case when quarter >= ? then revenue else 0 end) as rev,
        sum(case when quarter >= ? then gross_profit else 0 end) as gp,
        sum(case when quarter >= ? then cost_to_serve else 0 end) as cts,
        sum(case when quarter >= ? then potential else 0 end) as pot,
        sum(case when quarter >= ? and quarter <= ? then revenue else 0 end) as prior_rev,
        sum(case when quarter >= ? and quarter <= ? then gross_profit else 0 end) as prior_gp,
        max(case when quarter < ? and revenue > 0 then 1 else 0 end) as earlier,
        max(case when revenue > 0 then 1 else 0 end) as sold
      from q
      group by account_id
    ),
    kd as (
      select account_id, max(id) as designation_id
      from key_account_designation
      where designated_on <= ? and (revoked_on is null or revoked_on > ?)
      group by account_id
    ),
    qo as (
      -- Qualified by asOf and not lost by then (an open or won bid still counts for PROSPECT).
      select distinct account_id from opportunity
      where qualified = ${sqlTrue(d)} and (qualified_on is null or qualified_on <= ?)
        and (outcome <> 'LOST' or decided_on > ?)
    ),
    b as (
      select a.id, a.external_ref, a.name, a.parent_id, s.code as segment_code, s.name as segment_name, a.industry, a.country,
        a.customer_since,
        coalesce(fin.rev, 0) as rev, coalesce(fin.gp, 0) as gp, coalesce(fin.cts, 0) as cts,
        coalesce(fin.pot, 0) as pot,
        case when coalesce(fin.pot, 0) > coalesce(fin.rev, 0) then coalesce(fin.pot, 0) - coalesce(fin.rev, 0) else 0 end as headroom,
        coalesce(fin.prior_rev, 0) as prior_rev, coalesce(fin.prior_gp, 0) as prior_gp,
        coalesce(fin.earlier, 0) as earlier, coalesce(fin.sold, 0) as sold,
        case when qo.account_id is null then 0 else 1 end as qualified_opp,
        kd.designation_id
      from account a
      left join segment s on s.id = a.segment_id
      left join fin on fin.account_id = a.id
      left join kd on kd.account_id = a.id
      left join qo on qo.account_id = a.id
    )
    select b.id, b.external_ref, b.name, b.parent_id, b.segment_code, b.segment_name, b.industry, b.country,
      b.earlier, b.sold, b.qualified_opp, b.designation_id, ${amounts},
      cast(dd.designated_on as text) as designated_on,
      cast(coalesce(lr.review_due_on, fr.previous_review_due_on, dd.review_due_on) as text) as review_due_on,
      cast(b.customer_since as text) as customer_since_text,
      case when b.rev > 0 then percent_rank() over (partition by ${activeKey} order by b.rev) end as p_rev,
      case when b.rev > 0 then percent_rank() over (partition by ${activeKey} order by ${float(d, 'b.gp')} / nullif(b.rev, 0)) end as p_margin,
      case when b.rev > 0 then percent_rank() over (partition by ${activeKey} order by b.headroom) end as p_head,
      case when b.rev > 0 and b.designation_id is null then row_number() over (partition by ${rankKey} order by b.rev desc, ${ref}) end as size_rank,
      sum(${rankKey}) over () as size_ranked,
      case when b.rev > 0 then ntile(10) over (partition by ${activeKey} order by b.rev desc, ${ref}) end as size_decile
    from b
    left join key_account_designation dd on dd.id = b.designation_id
    left join (
      select designation_id, review_due_on from (
        select r.designation_id, r.review_due_on,
          row_number() over (partition by r.designation_id order by r.reviewed_on desc, r.id desc) as rn
        from designation_review r where r.reviewed_on <= ?
      ) lrx where rn = 1
    ) lr on lr.designation_id = b.designation_id
    left join (
      select designation_id, previous_review_due_on from (
        select r.designation_id, r.previous_review_due_on,
          row_number() over (partition by r.designation_id order by r.reviewed_on, r.id) as rn
        from designation_review r
      ) frx where rn = 1
    ) fr on fr.designation_id = b.designation_id
    order by ${ref}`;
  const params = [
    p.quarter,
    p.ttmStart,
    p.ttmStart,
    p.ttmStart,
    p.ttmStart,
    p.priorStart,
    p.priorEnd,
    p.priorStart,
    p.priorEnd,
    p.ttmStart,
    p.asOf,
    p.asOf,
    p.asOf,
    p.asOf,
    p.asOf,
  ];
  const rows = await query<Record<string, unknown>>(em, sql, params);
  return rows.map(r => ({
    id: int(r.id),
    externalRef: String(r.external_ref),
    name: String(r.name),
    parentId: r.parent_id == null ? null : int(r.parent_id),
    segmentCode: text(r.segment_code),
    segmentName: text(r.segment_name),
    industry: text(r.industry),
    country: text(r.country),
    customerSince: text(r.customer_since_text),
    ttmRevenue: cents(r.rev),
    ttmGrossProfit: cents(r.gp),
    ttmCostToServe: cents(r.cts),
    ttmPotential: cents(r.pot),
    headroom: cents(r.headroom),
    priorRevenue: cents(r.prior_rev),
    priorGrossProfit: cents(r.prior_gp),
    earlierRevenue: bool(r.earlier),
    everSold: bool(r.sold),
    qualifiedOpportunity: bool(r.qualified_opp),
    designationId: r.designation_id == null ? null : int(r.designation_id),
    designatedOn: text(r.designated_on),
    reviewDueOn: text(r.review_due_on),
    revenuePercentile: pct(r.p_rev),
    marginPercentile: pct(r.p_margin),
    headroomPercentile: pct(r.p_head),
    sizeRank: r.size_rank == null ? null : int(r.size_rank),
    sizeRanked: int(r.size_ranked),
    sizeDecile: r.size_decile == null ? null : int(r.size_decile),
  }));
}

function pct(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value) * 100;
}
