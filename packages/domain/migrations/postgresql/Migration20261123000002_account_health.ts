import { Migration } from '@mikro-orm/migrations';

/**
 * Each account snapshot keeps its health beside the payload, so the API reads an account's
 * health without parsing the whole document. Existing snapshots are filled from their
 * payloads; the append-only trigger is lifted for that one statement only.
 */
export class Migration20261123000002_account_health extends Migration {
  override name = 'Migration20261123000002_account_health';

  override up(): void {
    this.addSql('alter table "account_snapshot" add column "health" text null;');
    this.addSql('alter table "account_snapshot" disable trigger "account_snapshot_append_only";');
    this.addSql(
      `update "account_snapshot" set "health" = nullif(("payload"::jsonb -> 'health')::text, 'null');`,
    );
    this.addSql('alter table "account_snapshot" enable trigger "account_snapshot_append_only";');
  }

  override down(): void {
    this.addSql('alter table "account_snapshot" drop column "health";');
  }
}
