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
      'create table `designation_review` (`id` integer not null primary key autoincrement, `created_at` datetime not null, `updated_at` datetime not null, `designation_id` integer not null, `reviewed_on` date not null, `previous_review_due_on` date not null, `review_due_on` date not null, constraint `designation_review_designation_id_foreign` foreign key (`designation_id`) references `key_account_designation` (`id`) on delete restrict);',
    );
    this.addSql(
      'create index `designation_review_designation_id_reviewed_on_index` on `designation_review` (`designation_id`, `reviewed_on`);',
    );
    for (const event of ['update', 'delete']) {
      this.addSql(
        `create trigger "designation_review_no_${event}" before ${event} on "designation_review" begin select raise(abort, 'kam: designation_review is append-only; ${event} rejected'); end`,
      );
    }
  }

  override down(): void {
    for (const event of ['update', 'delete'])
      this.addSql(`drop trigger if exists "designation_review_no_${event}"`);
    this.addSql('drop table if exists `designation_review`;');
  }
}
