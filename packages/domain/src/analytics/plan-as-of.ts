/**
 * The plan in force on a day, per account, as it stood that day, read from its status history
 * (`plan_status_change`), set-based over every account.
 *
 * - In force: the plan whose period (`starts_on` to `ends_on`) covers the day. A plan's year is
 *   its label, not its period: a plan of 2025-04-01 to 2026-03-31 is the plan of 2026-Q1. Where
 *   two plans of an account cover the day, the one that started later (the newer plan) counts.
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
  /**
   * A derived table `(plan_id, account_id, status, version_number)`: per account, the plan in
   * force on the day, if it existed then.
   */
  sql: string;
  params: unknown[];
}

/** The plan in force on `asOf` per account, as it stood that day (see the module comment). */
export function plansAsOfSql(asOf: string): PlansAsOfSql {
  const covers = (alias: string) => `${alias}.starts_on <= ? and ${alias}.ends_on >= ?`;
  const sql = `select plan_id, account_id, status, version_number from (
    select x.*, row_number() over (partition by x.account_id order by x.starts_on desc, x.year desc, x.plan_id desc) as pick
    from (
      select p.id as plan_id, p.account_id, p.starts_on, p.year,
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
          where ${covers('cp')} and c.changed_on <= ?
        ) lx where rn = 1
      ) l on l.plan_id = p.id
      left join (
        select plan_id, step, from_status, version_number from (
          select c.plan_id, c.step, c.from_status, c.version_number,
            row_number() over (partition by c.plan_id order by c.changed_on, c.id) as rn
          from plan_status_change c join account_plan cp on cp.id = c.plan_id
          where ${covers('cp')}
        ) fx where rn = 1
      ) f on f.plan_id = p.id
      where ${covers('p')}
    ) x where x.status is not null
  ) plans_as_of where pick = 1`;
  return { sql, params: [asOf, asOf, asOf, asOf, asOf, asOf, asOf] };
}
