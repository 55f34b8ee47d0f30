import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail, quarter snapshots and frozen plan versions are append-only, and
 * key-account designations are never deleted: the
 * database itself rejects any update or delete of them, whatever code path tries.
 */
export class Migration20261123000001_append_only extends Migration {
  override name = 'Migration20261123000001_append_only';

  override up(): void {
    // Key-account designations are never deleted: revoking one ends it and keeps the history.
    this.addSql(
      `create trigger "key_account_designation_no_delete" before delete on "key_account_designation" begin select raise(abort, 'kam: designations are never deleted; revoke the designation instead'); end`,
    );
    for (const table of ['audit_entry', 'quarter_snapshot', 'account_snapshot', 'plan_version']) {
      for (const event of ['update', 'delete']) {
        this.addSql(
          `create trigger "${table}_no_${event}" before ${event} on "${table}" begin select raise(abort, 'kam: ${table} is append-only; ${event} rejected'); end`,
        );
      }
    }
  }

  override down(): void {
    this.addSql('drop trigger if exists "key_account_designation_no_delete"');
    for (const table of ['audit_entry', 'quarter_snapshot', 'account_snapshot', 'plan_version']) {
      for (const event of ['update', 'delete']) this.addSql(`drop trigger if exists "${table}_no_${event}"`);
    }
  }
}
