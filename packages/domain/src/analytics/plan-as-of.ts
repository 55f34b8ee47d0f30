/**
 * A plan as it stood on a day, read from its status history (`plan_status_change`), set-based
 * over every plan of a year.
 *
 * - The last step on or before the day gives the status and the version then under review
 *   (or signed, approved, closed).
 * - Before its first recorded step a plan was in that step's `from_status`: none for a plan
 *   created or copied later (it did not exist yet), DRAFT for a plan submitted later, and so on.
 *   A plan created before the history existed (its first recorded step is a later one) so still
 *   reads right on the days before that step.
 * - A plan without any history (created before it existed and not moved since) reads as it is
 *   now: its current status and latest version.
 */
export interface PlansAsOfSql {
  /** A derived table `(plan_id, account_id, status, version_number)` of the plans that existed on the day. */
  sql: string;
  params: unknown[];
}

/** The plans of `year` as they stood on `asOf` (see the module comment); plans created later are left out. */
export function plansAsOfSql(year: number, asOf: string): PlansAsOfSql {
  const sql = `select * from (
    select p.id as plan_id, p.account_id,
      case when l.plan_id is not null then l.status
           when f.plan_id is not null then f.from_status
           else p.status end as status,
      case when l.plan_id is not null then l.version_number
           when f.plan_id is not null then f.version_number - (case when f.step = 'SUBMITTED' then 1 else 0 end)
           else p.latest_version_number end as version_number
    from account_plan p
    left join (
      select plan_id, status, version_number from (
        select c.plan_id, c.status, c.version_number,
          row_number() over (partition by c.plan_id order by c.changed_on desc, c.id desc) as rn
        from plan_status_change c join account_plan cp on cp.id = c.plan_id
        where cp.year = ? and c.changed_on <= ?
      ) lx where rn = 1
    ) l on l.plan_id = p.id
    left join (
      select plan_id, step, from_status, version_number from (
        select c.plan_id, c.step, c.from_status, c.version_number,
          row_number() over (partition by c.plan_id order by c.changed_on, c.id) as rn
        from plan_status_change c join account_plan cp on cp.id = c.plan_id
        where cp.year = ?
      ) fx where rn = 1
    ) f on f.plan_id = p.id
    where p.year = ?
  ) plans_as_of where status is not null`;
  return { sql, params: [year, asOf, year, year] };
}
