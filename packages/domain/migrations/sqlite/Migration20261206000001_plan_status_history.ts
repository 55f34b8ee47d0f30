import { Migration } from '@mikro-orm/migrations';

/**
 * The dated status history of account plans (`PlanStatusChange`): every workflow step that
 * changes a plan's status writes one row in the same transaction, so a closed quarter can read
 * a plan as it stood on the quarter's last day. Append-only, like the frozen plan versions.
 * Plans that existed before it have no rows: the analytics read their current state instead.
 */
export class Migration20261206000001_plan_status_history extends Migration {
  override name = 'Migration20261206000001_plan_status_history';

  override up(): void {
    this.addSql(
      "create table `plan_status_change` (`id` integer not null primary key autoincrement, `created_at` datetime not null, `updated_at` datetime not null, `plan_id` integer not null, `step` text check (`step` in ('CREATED', 'COPIED', 'SUBMITTED', 'APPROVED', 'RETURNED_TO_DRAFT', 'CLOSED')) not null, `from_status` text check (`from_status` in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED')) null, `status` text check (`status` in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED')) not null, `changed_on` date not null, `version_number` integer not null, constraint `plan_status_change_plan_id_foreign` foreign key (`plan_id`) references `account_plan` (`id`) on delete cascade);",
    );
    this.addSql(
      'create index `plan_status_change_plan_id_changed_on_index` on `plan_status_change` (`plan_id`, `changed_on`);',
    );
    for (const event of ['update', 'delete']) {
      this.addSql(
        `create trigger "plan_status_change_no_${event}" before ${event} on "plan_status_change" begin select raise(abort, 'kam: plan_status_change is append-only; ${event} rejected'); end`,
      );
    }
  }

  override down(): void {
    for (const event of ['update', 'delete'])
      this.addSql(`drop trigger if exists "plan_status_change_no_${event}"`);
    this.addSql('drop table if exists `plan_status_change`;');
  }
}
