import { Migration } from '@mikro-orm/migrations';

/**
 * The settings table holds one row at most: `singleton` is true on every row (a check) and
 * unique, so a second row cannot be inserted, and `ensureSettingsRow` inserts with
 * `on conflict do nothing`. SQLite cannot add a check to a table: the table is rebuilt (no
 * other table refers to it, it has no trigger, and the rows keep their ids).
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
    this.addSql('delete from `settings` where `id` > (select min(`id`) from `settings`);');
    this.addSql(
      'create table `settings__temp_alter` (`id` integer not null primary key autoincrement, `created_at` datetime not null, `updated_at` datetime not null, `version` integer not null default 1, `singleton` integer not null default true, `document` json not null, constraint `settings_singleton_check` check (singleton = true));',
    );
    this.addSql(
      'insert into `settings__temp_alter` (`id`, `created_at`, `updated_at`, `version`, `singleton`, `document`) select `id`, `created_at`, `updated_at`, `version`, true, `document` from `settings`;',
    );
    this.addSql('drop table `settings`;');
    this.addSql('alter table `settings__temp_alter` rename to `settings`;');
    this.addSql('create unique index `settings_singleton_unique` on `settings` (`singleton`);');
  }

  override down(): void {
    this.addSql(
      'create table `settings__temp_alter` (`id` integer not null primary key autoincrement, `created_at` datetime not null, `updated_at` datetime not null, `version` integer not null default 1, `document` json not null);',
    );
    this.addSql(
      'insert into `settings__temp_alter` (`id`, `created_at`, `updated_at`, `version`, `document`) select `id`, `created_at`, `updated_at`, `version`, `document` from `settings`;',
    );
    this.addSql('drop table `settings`;');
    this.addSql('alter table `settings__temp_alter` rename to `settings`;');
  }
}
