import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail, quarter snapshots and frozen plan versions are append-only, and
 * key-account designations are never deleted: the
 * database itself rejects any update, delete or truncate of them, whatever code path tries.
 */
export class Migration20261123000001_append_only extends Migration {
  override name = 'Migration20261123000001_append_only';

  override up(): void {
    this.addSql(
      `create or replace function kam_reject_change() returns trigger as $$ begin raise exception 'kam: % is append-only; % rejected', TG_TABLE_NAME, lower(TG_OP) using errcode = 'P0001'; end; $$ language plpgsql`,
    );
    // Key-account designations are never deleted: revoking one ends it and keeps the history.
    this.addSql(
      `create trigger "key_account_designation_no_delete" before delete on "key_account_designation" for each row execute function kam_reject_change()`,
    );
    for (const table of ['audit_entry', 'quarter_snapshot', 'account_snapshot', 'plan_version']) {
      this.addSql(
        `create trigger "${table}_append_only" before update or delete on "${table}" for each row execute function kam_reject_change()`,
      );
      this.addSql(
        `create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function kam_reject_change()`,
      );
    }
  }

  override down(): void {
    this.addSql('drop trigger if exists "key_account_designation_no_delete" on "key_account_designation"');
    for (const table of ['audit_entry', 'quarter_snapshot', 'account_snapshot', 'plan_version']) {
      this.addSql(`drop trigger if exists "${table}_append_only" on "${table}"`);
      this.addSql(`drop trigger if exists "${table}_no_truncate" on "${table}"`);
    }
    this.addSql('drop function if exists kam_reject_change()');
  }
}
