import { Migration } from '@mikro-orm/migrations';

/**
 * An index on every foreign-key column that no other index starts with, as SQLite has had
 * from the start (`foreignKeyIndexes` in src/db/orm-config.ts): MikroORM creates them on SQLite
 * only, so on PostgreSQL reading an opportunity's unit, a segment's accounts or a contact's
 * survey responses scanned the whole table, and so did checking a parent row's children.
 */
const FOREIGN_KEYS: [table: string, column: string][] = [
  ['account', 'segment_id'],
  ['account_plan', 'copied_from_id'],
  ['account_plan', 'owner_id'],
  ['api_token', 'person_id'],
  ['contact', 'counterpart_id'],
  ['element_importance', 'element_id'],
  ['execution_review', 'reviewer_id'],
  ['grid_cell', 'service_package_id'],
  ['intimacy_programme', 'business_unit_id'],
  ['intimacy_programme', 'change_leader_id'],
  ['key_account_designation', 'designated_by_id'],
  ['key_account_designation', 'revoked_by_id'],
  ['opportunity', 'business_unit_id'],
  ['organisation_measurement', 'business_unit_id'],
  ['package_element', 'element_id'],
  ['person', 'business_unit_id'],
  ['plan_action', 'owner_id'],
  ['plan_sign_off', 'business_unit_id'],
  ['plan_sign_off', 'signed_by_id'],
  ['plan_unit', 'business_unit_id'],
  ['plan_version', 'submitted_by_id'],
  ['programme_checklist_item', 'done_by_id'],
  ['selection_assessment', 'assessed_by_id'],
  ['service_package', 'segment_id'],
  ['survey_response', 'contact_id'],
  ['team_member', 'reports_to_id'],
  ['tier_assessment', 'assessed_by_id'],
  ['value_initiative', 'combined_into_id'],
  ['value_initiative', 'owner_id'],
];

export class Migration20261207000000_foreign_key_indexes extends Migration {
  override name = 'Migration20261207000000_foreign_key_indexes';

  override up(): void {
    for (const [table, column] of FOREIGN_KEYS) {
      this.addSql(`create index "${table}_${column}_index" on "${table}" ("${column}");`);
    }
  }

  override down(): void {
    for (const [table, column] of FOREIGN_KEYS) this.addSql(`drop index "${table}_${column}_index";`);
  }
}
