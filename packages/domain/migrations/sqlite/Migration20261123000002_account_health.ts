import { Migration } from '@mikro-orm/migrations';

/**
 * Each account snapshot keeps its health beside the payload, so the API reads an account's
 * health without parsing the whole document. Existing snapshots are filled from their
 * payloads; the append-only trigger is lifted for that one statement only.
 */
export class Migration20261123000002_account_health extends Migration {
  override name = 'Migration20261123000002_account_health';

  override up(): void {
    this.addSql('alter table `account_snapshot` add column `health` text null;');
    this.addSql('drop trigger if exists "account_snapshot_no_update";');
    this.addSql("update `account_snapshot` set `health` = json_extract(`payload`, '$.health');");
    this.addSql(
      `create trigger "account_snapshot_no_update" before update on "account_snapshot" begin select raise(abort, 'kam: account_snapshot is append-only; update rejected'); end`,
    );
  }

  override down(): void {
    this.addSql('alter table `account_snapshot` drop column `health`;');
  }
}
