import { Migration } from '@mikro-orm/migrations';

/**
 * Drops the single-column index MikroORM had put on each many-to-one column that a declared
 * index or unique constraint already starts with (`foreignKeyIndexes` in
 * src/db/orm-config.ts). Lookups and foreign-key checks use the composite index; inserts no
 * longer maintain a second one. PostgreSQL never had them.
 */
const COVERED: [table: string, column: string][] = [
  ['account_plan', 'account_id'],
  ['account_snapshot', 'snapshot_id'],
  ['element_importance', 'segment_id'],
  ['execution_review', 'plan_id'],
  ['grid_cell', 'segment_id'],
  ['key_account_designation', 'account_id'],
  ['opportunity', 'account_id'],
  ['package_element', 'service_package_id'],
  ['plan_action', 'plan_id'],
  ['plan_sign_off', 'plan_id'],
  ['plan_unit', 'plan_id'],
  ['plan_version', 'plan_id'],
  ['programme_checklist_item', 'programme_id'],
  ['quarterly_financial', 'account_id'],
  ['quarterly_financial', 'business_unit_id'],
  ['selection_assessment', 'account_id'],
  ['team_member', 'account_id'],
  ['tier_assessment', 'account_id'],
];

export class Migration20261206000000_covered_fk_indexes extends Migration {
  override name = 'Migration20261206000000_covered_fk_indexes';

  override up(): void {
    for (const [table, column] of COVERED) this.addSql(`drop index \`${table}_${column}_index\`;`);
  }

  override down(): void {
    for (const [table, column] of COVERED) {
      this.addSql(`create index \`${table}_${column}_index\` on \`${table}\` (\`${column}\`);`);
    }
  }
}
