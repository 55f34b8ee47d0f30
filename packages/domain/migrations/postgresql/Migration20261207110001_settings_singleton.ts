import { Migration } from '@mikro-orm/migrations';

/**
 * The settings table holds one row at most: `singleton` is true on every row (a check) and
 * unique, so a second row cannot be inserted, and `ensureSettingsRow` inserts with
 * `on conflict do nothing`, which makes two first changes at the same time wait for each other
 * instead of each inserting a row.
 *
 * A database can hold two rows already (two first `updateSettings` at the same time, before
 * this migration). The row with the lowest id stays: it is the one every read used. The other
 * rows are deleted; nothing ever read them, so no figure or report changes, and the changes
 * that were saved into them (lost already) remain in the audit trail (entity type `Settings`,
 * their ids), where an administrator can look them up and apply them again.
 */
export class Migration20261207110001_settings_singleton extends Migration {
  override name = 'Migration20261207110001_settings_singleton';

  override up(): void {
    this.addSql('delete from "settings" where "id" > (select min("id") from "settings");');
    this.addSql('alter table "settings" add "singleton" boolean not null default true;');
    this.addSql('alter table "settings" add constraint "settings_singleton_unique" unique ("singleton");');
    this.addSql('alter table "settings" add constraint "settings_singleton_check" check (singleton = true);');
  }

  override down(): void {
    this.addSql('alter table "settings" drop constraint "settings_singleton_check";');
    this.addSql('alter table "settings" drop constraint "settings_singleton_unique";');
    this.addSql('alter table "settings" drop column "singleton";');
  }
}
