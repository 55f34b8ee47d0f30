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
      'create table "plan_status_change" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" int not null, "step" text not null, "from_status" text null, "status" text not null, "changed_on" date not null, "version_number" int not null);',
    );
    this.addSql(
      'create index "plan_status_change_plan_id_changed_on_index" on "plan_status_change" ("plan_id", "changed_on");',
    );
    this.addSql(
      'alter table "plan_status_change" add constraint "plan_status_change_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;',
    );
    this.addSql(
      `alter table "plan_status_change" add constraint "plan_status_change_step_check" check ("step" in ('CREATED', 'COPIED', 'SUBMITTED', 'APPROVED', 'RETURNED_TO_DRAFT', 'CLOSED'));`,
    );
    this.addSql(
      `alter table "plan_status_change" add constraint "plan_status_change_from_status_check" check ("from_status" in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED'));`,
    );
    this.addSql(
      `alter table "plan_status_change" add constraint "plan_status_change_status_check" check ("status" in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED'));`,
    );
    // kam_reject_change() comes from the append_only migration.
    this.addSql(
      'create trigger "plan_status_change_append_only" before update or delete on "plan_status_change" for each row execute function kam_reject_change()',
    );
    this.addSql(
      'create trigger "plan_status_change_no_truncate" before truncate on "plan_status_change" for each statement execute function kam_reject_change()',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "plan_status_change" cascade;');
  }
}
