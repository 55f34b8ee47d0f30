import { Migration } from '@mikro-orm/migrations';

/**
 * The review history of key-account designations (`designation_review`): every review writes
 * one row with its day, the due date before it and the due date it set, in the same transaction
 * as the designation's new due date, so a closed quarter reads the due date as of its last day.
 * Append-only.
 *
 * Designations reviewed before this table existed have no rows: their earlier reviews only
 * overwrote `review_due_on`, and the due dates before them are lost. They read their current
 * due date for every day, as before; that is the only reading the data still supports. Their
 * next review writes a row, whose due date before it is that current one.
 */
export class Migration20261207180000_designation_review_history extends Migration {
  override name = 'Migration20261207180000_designation_review_history';

  override up(): void {
    this.addSql(
      'create table "designation_review" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "designation_id" int not null, "reviewed_on" date not null, "previous_review_due_on" date not null, "review_due_on" date not null);',
    );
    this.addSql(
      'create index "designation_review_designation_id_reviewed_on_index" on "designation_review" ("designation_id", "reviewed_on");',
    );
    this.addSql(
      'alter table "designation_review" add constraint "designation_review_designation_id_foreign" foreign key ("designation_id") references "key_account_designation" ("id") on delete restrict;',
    );
    // kam_reject_change() comes from the append_only migration.
    this.addSql(
      'create trigger "designation_review_append_only" before update or delete on "designation_review" for each row execute function kam_reject_change()',
    );
    this.addSql(
      'create trigger "designation_review_no_truncate" before truncate on "designation_review" for each statement execute function kam_reject_change()',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "designation_review" cascade;');
  }
}
