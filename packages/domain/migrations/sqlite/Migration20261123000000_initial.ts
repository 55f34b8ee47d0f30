import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_entry\` (\`id\` integer not null primary key autoincrement, \`occurred_at\` datetime not null, \`actor_person_id\` integer null, \`actor_label\` text not null, \`request_id\` text null, \`entity_type\` text not null, \`entity_id\` text not null, \`action\` text check (\`action\` in ('CREATE', 'UPDATE', 'DELETE')) not null, \`changes\` json not null);`,
    );
    this.addSql(
      `create index \`audit_entry_entity_type_entity_id_index\` on \`audit_entry\` (\`entity_type\`, \`entity_id\`);`,
    );
    this.addSql(`create index \`audit_entry_occurred_at_index\` on \`audit_entry\` (\`occurred_at\`);`);

    this.addSql(
      `create table \`business_unit\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text not null, \`name\` text not null, \`kind\` text check (\`kind\` in ('GEOGRAPHY', 'OFFERING', 'INDUSTRY')) not null);`,
    );
    this.addSql(`create unique index \`business_unit_code_unique\` on \`business_unit\` (\`code\`);`);

    this.addSql(
      `create table \`idempotency_record\` (\`id\` integer not null primary key autoincrement, \`principal\` text not null, \`key\` text not null, \`operation\` text not null, \`request_hash\` text not null, \`response\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`idempotency_record_expires_at_index\` on \`idempotency_record\` (\`expires_at\`);`,
    );
    this.addSql(
      `create unique index \`idempotency_record_principal_key_unique\` on \`idempotency_record\` (\`principal\`, \`key\`);`,
    );

    this.addSql(
      `create table \`kpi_definition\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text check (\`code\` in ('CUSTOMER_RETENTION', 'CUSTOMER_SATISFACTION', 'POSITIVE_FEEDBACK', 'PEOPLE_SATISFACTION', 'MARKET_SHARE', 'CUSTOMER_LIFETIME_VALUE', 'KEY_ACCOUNT_GROWTH', 'WIN_RATE', 'ADVICE_REQUESTS', 'EXPANSION_REQUESTS', 'REFERRALS', 'KEY_VS_CONTROL_GROWTH', 'VALUE_DEMONSTRATED')) not null, \`name\` text not null, \`description\` text not null, \`unit\` text check (\`unit\` in ('PERCENT', 'SCORE', 'INDEX', 'MONEY', 'COUNT', 'RATIO')) not null, \`direction\` text check (\`direction\` in ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')) not null, \`baseline_quarter\` text null, \`target\` numeric(14,4) null);`,
    );
    this.addSql(`create unique index \`kpi_definition_code_unique\` on \`kpi_definition\` (\`code\`);`);

    this.addSql(
      `create table \`organisation_measurement\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`kind\` text check (\`kind\` in ('PEOPLE_SATISFACTION', 'MARKET_SHARE')) not null, \`quarter\` text not null, \`business_unit_id\` integer null, \`market\` text null, \`scope_key\` text not null, \`value\` numeric(7,2) not null, constraint \`organisation_measurement_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`organisation_measurement_business_unit_id_index\` on \`organisation_measurement\` (\`business_unit_id\`);`,
    );
    this.addSql(
      `create unique index \`organisation_measurement_kind_quarter_scope_key_unique\` on \`organisation_measurement\` (\`kind\`, \`quarter\`, \`scope_key\`);`,
    );

    this.addSql(
      `create table \`person\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`name\` text not null, \`email\` text not null, \`title\` text null, \`business_unit_id\` integer null, \`active\` integer not null default true, constraint \`person_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create unique index \`person_email_unique\` on \`person\` (\`email\`);`);
    this.addSql(`create index \`person_business_unit_id_index\` on \`person\` (\`business_unit_id\`);`);

    this.addSql(
      `create table \`intimacy_programme\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`business_unit_id\` integer not null, \`stage\` text check (\`stage\` in ('UNDERSTAND', 'TEST', 'LEARN', 'IMPLEMENT')) not null default 'UNDERSTAND', \`change_leader_id\` integer null, \`started_on\` date not null, \`objectives\` text not null default '', constraint \`intimacy_programme_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`), constraint \`intimacy_programme_change_leader_id_foreign\` foreign key (\`change_leader_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`intimacy_programme_business_unit_id_index\` on \`intimacy_programme\` (\`business_unit_id\`);`,
    );
    this.addSql(
      `create unique index \`intimacy_programme_business_unit_id_unique\` on \`intimacy_programme\` (\`business_unit_id\`);`,
    );
    this.addSql(
      `create index \`intimacy_programme_change_leader_id_index\` on \`intimacy_programme\` (\`change_leader_id\`);`,
    );

    this.addSql(
      `create table \`api_token\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`name\` text not null, \`person_id\` integer not null, \`role\` text check (\`role\` in ('ADMIN', 'ACCOUNT_MANAGER', 'EXECUTIVE', 'INTEGRATION')) not null, \`token_hash\` text not null, \`prefix\` text not null, \`expires_at\` datetime null, \`revoked_at\` datetime null, \`last_used_at\` datetime null, constraint \`api_token_person_id_foreign\` foreign key (\`person_id\`) references \`person\` (\`id\`));`,
    );
    this.addSql(`create index \`api_token_person_id_index\` on \`api_token\` (\`person_id\`);`);
    this.addSql(`create unique index \`api_token_token_hash_unique\` on \`api_token\` (\`token_hash\`);`);

    this.addSql(
      `create table \`programme_checklist_item\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`programme_id\` integer not null, \`stage\` text check (\`stage\` in ('UNDERSTAND', 'TEST', 'LEARN', 'IMPLEMENT')) not null, \`position\` integer not null, \`text\` text not null, \`done_on\` date null, \`done_by_id\` integer null, constraint \`programme_checklist_item_programme_id_foreign\` foreign key (\`programme_id\`) references \`intimacy_programme\` (\`id\`) on delete cascade, constraint \`programme_checklist_item_done_by_id_foreign\` foreign key (\`done_by_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`programme_checklist_item_programme_id_index\` on \`programme_checklist_item\` (\`programme_id\`);`,
    );
    this.addSql(
      `create index \`programme_checklist_item_done_by_id_index\` on \`programme_checklist_item\` (\`done_by_id\`);`,
    );
    this.addSql(
      `create index \`programme_checklist_item_programme_id_stage_index\` on \`programme_checklist_item\` (\`programme_id\`, \`stage\`);`,
    );

    this.addSql(
      `create table \`quarter_snapshot\` (\`id\` integer not null primary key autoincrement, \`quarter\` text not null, \`revision\` integer not null, \`closed_at\` datetime not null, \`closed_by\` text not null, \`account_count\` integer not null, \`checksum\` text not null, \`payload\` text not null);`,
    );
    this.addSql(
      `create unique index \`quarter_snapshot_quarter_revision_unique\` on \`quarter_snapshot\` (\`quarter\`, \`revision\`);`,
    );

    this.addSql(
      `create table \`account_snapshot\` (\`id\` integer not null primary key autoincrement, \`snapshot_id\` integer not null, \`account_id\` integer not null, \`external_ref\` text not null, \`position\` integer not null, \`is_key_account\` integer not null, \`payload\` text not null, constraint \`account_snapshot_snapshot_id_foreign\` foreign key (\`snapshot_id\`) references \`quarter_snapshot\` (\`id\`) on delete restrict);`,
    );
    this.addSql(
      `create index \`account_snapshot_snapshot_id_index\` on \`account_snapshot\` (\`snapshot_id\`);`,
    );
    this.addSql(
      `create index \`account_snapshot_snapshot_id_position_index\` on \`account_snapshot\` (\`snapshot_id\`, \`position\`);`,
    );
    this.addSql(
      `create unique index \`account_snapshot_snapshot_id_account_id_unique\` on \`account_snapshot\` (\`snapshot_id\`, \`account_id\`);`,
    );

    this.addSql(
      `create table \`segment\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text not null, \`name\` text not null, \`buyer_orientation\` text check (\`buyer_orientation\` in ('PRICE', 'LOYALTY')) not null, \`channel\` text null, \`size_class\` text check (\`size_class\` in ('SMALL', 'MEDIUM', 'LARGE')) null, \`scope\` text check (\`scope\` in ('INTERNATIONAL', 'LOCAL')) null, \`growth_profile\` text check (\`growth_profile\` in ('STABLE', 'FAST_GROWING')) null, \`description\` text null);`,
    );
    this.addSql(`create unique index \`segment_code_unique\` on \`segment\` (\`code\`);`);

    this.addSql(
      `create table \`account\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`external_ref\` text not null, \`name\` text not null, \`parent_id\` integer null, \`segment_id\` integer null, \`industry\` text null, \`country\` text null, \`customer_since\` date null, constraint \`account_parent_id_foreign\` foreign key (\`parent_id\`) references \`account\` (\`id\`) on delete restrict, constraint \`account_segment_id_foreign\` foreign key (\`segment_id\`) references \`segment\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create unique index \`account_external_ref_unique\` on \`account\` (\`external_ref\`);`);
    this.addSql(`create index \`account_segment_id_index\` on \`account\` (\`segment_id\`);`);
    this.addSql(`create index \`account_parent_id_index\` on \`account\` (\`parent_id\`);`);
    this.addSql(`create index \`account_name_index\` on \`account\` (\`name\`);`);

    this.addSql(
      `create table \`quarterly_financial\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`account_id\` integer not null, \`quarter\` text not null, \`business_unit_id\` integer null, \`revenue\` bigint not null, \`gross_profit\` bigint not null, \`cost_to_serve\` bigint not null, \`potential\` bigint null, \`price_premium\` bigint null, constraint \`quarterly_financial_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`quarterly_financial_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`quarterly_financial_account_id_index\` on \`quarterly_financial\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`quarterly_financial_business_unit_id_index\` on \`quarterly_financial\` (\`business_unit_id\`);`,
    );
    this.addSql(
      `create index \`quarterly_financial_quarter_account_id_index\` on \`quarterly_financial\` (\`quarter\`, \`account_id\`);`,
    );
    this.addSql(
      `create index \`quarterly_financial_business_unit_id_quarter_index\` on \`quarterly_financial\` (\`business_unit_id\`, \`quarter\`);`,
    );
    this.addSql(
      `create unique index \`quarterly_financial_unit_unique\` on \`quarterly_financial\` (\`account_id\`, \`quarter\`, \`business_unit_id\`);`,
    );
    this.addSql(
      `create unique index \`quarterly_financial_total_unique\` on \`quarterly_financial\` (\`account_id\`, \`quarter\`) where \`business_unit_id\` is null;`,
    );

    this.addSql(
      `create table \`opportunity\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`external_ref\` text not null, \`account_id\` integer not null, \`business_unit_id\` integer not null, \`name\` text not null, \`value\` bigint not null, \`qualified\` integer not null default false, \`qualified_on\` date null, \`expected_close_on\` date null, \`outcome\` text check (\`outcome\` in ('OPEN', 'WON', 'LOST')) not null default 'OPEN', \`decided_on\` date null, \`lost_reason\` text null, constraint \`opportunity_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`opportunity_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`));`,
    );
    this.addSql(
      `create unique index \`opportunity_external_ref_unique\` on \`opportunity\` (\`external_ref\`);`,
    );
    this.addSql(`create index \`opportunity_account_id_index\` on \`opportunity\` (\`account_id\`);`);
    this.addSql(
      `create index \`opportunity_business_unit_id_index\` on \`opportunity\` (\`business_unit_id\`);`,
    );
    this.addSql(
      `create index \`opportunity_account_id_outcome_index\` on \`opportunity\` (\`account_id\`, \`outcome\`);`,
    );
    this.addSql(`create index \`opportunity_decided_on_index\` on \`opportunity\` (\`decided_on\`);`);

    this.addSql(
      `create table \`key_account_designation\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`account_id\` integer not null, \`designated_on\` date not null, \`review_due_on\` date not null, \`designated_by_id\` integer null, \`reason\` text null, \`revoked_on\` date null, \`revoked_by_id\` integer null, \`revocation_reason\` text null, constraint \`key_account_designation_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete restrict, constraint \`key_account_designation_designated_by_id_foreign\` foreign key (\`designated_by_id\`) references \`person\` (\`id\`) on delete set null, constraint \`key_account_designation_revoked_by_id_foreign\` foreign key (\`revoked_by_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `create index \`key_account_designation_account_id_index\` on \`key_account_designation\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`key_account_designation_designated_by_id_index\` on \`key_account_designation\` (\`designated_by_id\`);`,
    );
    this.addSql(
      `create index \`key_account_designation_revoked_by_id_index\` on \`key_account_designation\` (\`revoked_by_id\`);`,
    );
    this.addSql(
      `create index \`key_account_designation_account_id_revoked_on_index\` on \`key_account_designation\` (\`account_id\`, \`revoked_on\`);`,
    );
    this.addSql(
      `create index \`key_account_designation_review_due_on_index\` on \`key_account_designation\` (\`review_due_on\`);`,
    );

    this.addSql(
      `create table \`customer_signal\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`external_ref\` text not null, \`account_id\` integer not null, \`kind\` text check (\`kind\` in ('FEEDBACK', 'ADVICE_REQUEST', 'EXPANSION_REQUEST', 'REFERRAL')) not null, \`occurred_on\` date not null, \`quarter\` text not null, \`sentiment\` text check (\`sentiment\` in ('POSITIVE', 'NEUTRAL', 'NEGATIVE')) null, \`topic\` text null, \`value\` bigint null, \`note\` text null, constraint \`customer_signal_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create unique index \`customer_signal_external_ref_unique\` on \`customer_signal\` (\`external_ref\`);`,
    );
    this.addSql(
      `create index \`customer_signal_quarter_kind_index\` on \`customer_signal\` (\`quarter\`, \`kind\`);`,
    );
    this.addSql(`create index \`customer_signal_account_id_index\` on \`customer_signal\` (\`account_id\`);`);

    this.addSql(
      `create table \`contact\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`external_ref\` text not null, \`account_id\` integer not null, \`name\` text not null, \`title\` text null, \`email\` text null, \`function\` text check (\`function\` in ('PROCUREMENT', 'SUPPLY_CHAIN', 'MARKETING', 'OPERATIONS', 'FINANCE', 'TECHNICAL', 'EXECUTIVE', 'OTHER')) not null, \`influence\` integer not null, \`stance\` text check (\`stance\` in ('CHAMPION', 'SUPPORTER', 'NEUTRAL', 'DETRACTOR', 'UNKNOWN')) not null, \`what_they_value\` text null, \`last_contact_on\` date null, \`counterpart_id\` integer null, constraint \`contact_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`contact_counterpart_id_foreign\` foreign key (\`counterpart_id\`) references \`person\` (\`id\`) on delete set null, constraint \`contact_influence_range\` check (influence >= 1 AND influence <= 5));`,
    );
    this.addSql(`create unique index \`contact_external_ref_unique\` on \`contact\` (\`external_ref\`);`);
    this.addSql(`create index \`contact_counterpart_id_index\` on \`contact\` (\`counterpart_id\`);`);
    this.addSql(`create index \`contact_account_id_index\` on \`contact\` (\`account_id\`);`);

    this.addSql(
      `create table \`account_plan\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`account_id\` integer not null, \`year\` integer not null, \`status\` text check (\`status\` in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED')) not null default 'DRAFT', \`starts_on\` date not null, \`ends_on\` date not null, \`owner_id\` integer null, \`baselines\` text not null default '', \`current_relationship\` text not null default '', \`growth_opportunities\` text not null default '', \`required_actions\` text not null default '', \`customer_value\` text not null default '', \`investment_and_cost_to_serve\` text not null default '', \`action_plan_and_deal\` text not null default '', \`revenue_target\` bigint null, \`margin_target_percent\` numeric(7,2) null, \`in_year_target\` bigint null, \`estimated_customer_value\` bigint null, \`estimated_investment\` bigint null, \`estimated_cost_to_serve\` bigint null, \`latest_version_number\` integer not null default 0, \`submitted_on\` date null, \`approved_on\` date null, \`closed_on\` date null, \`copied_from_id\` integer null, constraint \`account_plan_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`account_plan_owner_id_foreign\` foreign key (\`owner_id\`) references \`person\` (\`id\`) on delete set null, constraint \`account_plan_copied_from_id_foreign\` foreign key (\`copied_from_id\`) references \`account_plan\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`account_plan_account_id_index\` on \`account_plan\` (\`account_id\`);`);
    this.addSql(`create index \`account_plan_owner_id_index\` on \`account_plan\` (\`owner_id\`);`);
    this.addSql(
      `create index \`account_plan_copied_from_id_index\` on \`account_plan\` (\`copied_from_id\`);`,
    );
    this.addSql(
      `create index \`account_plan_status_year_index\` on \`account_plan\` (\`status\`, \`year\`);`,
    );
    this.addSql(
      `create unique index \`account_plan_account_id_year_unique\` on \`account_plan\` (\`account_id\`, \`year\`);`,
    );

    this.addSql(
      `create table \`plan_version\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`plan_id\` integer not null, \`number\` integer not null, \`frozen_at\` datetime not null, \`submitted_by_id\` integer null, \`content\` json not null, constraint \`plan_version_plan_id_foreign\` foreign key (\`plan_id\`) references \`account_plan\` (\`id\`) on delete cascade, constraint \`plan_version_submitted_by_id_foreign\` foreign key (\`submitted_by_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`plan_version_plan_id_index\` on \`plan_version\` (\`plan_id\`);`);
    this.addSql(
      `create index \`plan_version_submitted_by_id_index\` on \`plan_version\` (\`submitted_by_id\`);`,
    );
    this.addSql(
      `create unique index \`plan_version_plan_id_number_unique\` on \`plan_version\` (\`plan_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`plan_unit\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`plan_id\` integer not null, \`business_unit_id\` integer not null, constraint \`plan_unit_plan_id_foreign\` foreign key (\`plan_id\`) references \`account_plan\` (\`id\`) on delete cascade, constraint \`plan_unit_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`));`,
    );
    this.addSql(`create index \`plan_unit_plan_id_index\` on \`plan_unit\` (\`plan_id\`);`);
    this.addSql(`create index \`plan_unit_business_unit_id_index\` on \`plan_unit\` (\`business_unit_id\`);`);
    this.addSql(
      `create unique index \`plan_unit_plan_id_business_unit_id_unique\` on \`plan_unit\` (\`plan_id\`, \`business_unit_id\`);`,
    );

    this.addSql(
      `create table \`plan_sign_off\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`plan_id\` integer not null, \`business_unit_id\` integer not null, \`signed_by_id\` integer not null, \`signed_on\` date not null, \`plan_version_number\` integer not null, \`comment\` text null, constraint \`plan_sign_off_plan_id_foreign\` foreign key (\`plan_id\`) references \`account_plan\` (\`id\`) on delete cascade, constraint \`plan_sign_off_business_unit_id_foreign\` foreign key (\`business_unit_id\`) references \`business_unit\` (\`id\`), constraint \`plan_sign_off_signed_by_id_foreign\` foreign key (\`signed_by_id\`) references \`person\` (\`id\`));`,
    );
    this.addSql(`create index \`plan_sign_off_plan_id_index\` on \`plan_sign_off\` (\`plan_id\`);`);
    this.addSql(
      `create index \`plan_sign_off_business_unit_id_index\` on \`plan_sign_off\` (\`business_unit_id\`);`,
    );
    this.addSql(`create index \`plan_sign_off_signed_by_id_index\` on \`plan_sign_off\` (\`signed_by_id\`);`);
    this.addSql(
      `create unique index \`plan_sign_off_plan_id_business_unit_id_plan_version_number_unique\` on \`plan_sign_off\` (\`plan_id\`, \`business_unit_id\`, \`plan_version_number\`);`,
    );

    this.addSql(
      `create table \`plan_action\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`plan_id\` integer not null, \`description\` text not null, \`owner_id\` integer null, \`due_on\` date null, \`status\` text check (\`status\` in ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')) not null default 'OPEN', \`completed_on\` date null, constraint \`plan_action_plan_id_foreign\` foreign key (\`plan_id\`) references \`account_plan\` (\`id\`) on delete cascade, constraint \`plan_action_owner_id_foreign\` foreign key (\`owner_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`plan_action_plan_id_index\` on \`plan_action\` (\`plan_id\`);`);
    this.addSql(`create index \`plan_action_owner_id_index\` on \`plan_action\` (\`owner_id\`);`);
    this.addSql(
      `create index \`plan_action_plan_id_status_index\` on \`plan_action\` (\`plan_id\`, \`status\`);`,
    );

    this.addSql(
      `create table \`execution_review\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`plan_id\` integer not null, \`reviewed_on\` date not null, \`reviewer_id\` integer null, \`assessment\` text check (\`assessment\` in ('ON_TRACK', 'AT_RISK', 'OFF_TRACK')) not null, \`progress\` text not null, \`blockers\` text not null default '', \`help_needed\` text not null default '', \`revenue_to_date\` bigint null, constraint \`execution_review_plan_id_foreign\` foreign key (\`plan_id\`) references \`account_plan\` (\`id\`) on delete cascade, constraint \`execution_review_reviewer_id_foreign\` foreign key (\`reviewer_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`execution_review_plan_id_index\` on \`execution_review\` (\`plan_id\`);`);
    this.addSql(
      `create index \`execution_review_reviewer_id_index\` on \`execution_review\` (\`reviewer_id\`);`,
    );
    this.addSql(
      `create index \`execution_review_plan_id_reviewed_on_index\` on \`execution_review\` (\`plan_id\`, \`reviewed_on\`);`,
    );

    this.addSql(
      `create table \`selection_assessment\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`account_id\` integer not null, \`assessed_on\` date not null, \`assessed_by_id\` integer null, \`market_leadership\` integer not null, \`innovation_leadership\` integer not null, \`growth_fit\` integer not null, \`other_units_potential\` integer not null, \`loyalty\` integer not null, \`information_sharing\` integer not null, \`engagement_desire\` integer not null, \`buying_basis\` integer not null, \`sustainable_revenue\` integer not null, \`defection_influences_others\` integer not null, \`winning_improves_others\` integer null, \`notes\` text null, constraint \`selection_assessment_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`selection_assessment_assessed_by_id_foreign\` foreign key (\`assessed_by_id\`) references \`person\` (\`id\`) on delete set null, constraint \`selection_assessment_marketLeadership_range\` check (market_leadership >= 1 AND market_leadership <= 5), constraint \`selection_assessment_innovationLeadership_range\` check (innovation_leadership >= 1 AND innovation_leadership <= 5), constraint \`selection_assessment_growthFit_range\` check (growth_fit >= 1 AND growth_fit <= 5), constraint \`selection_assessment_otherUnitsPotential_range\` check (other_units_potential >= 1 AND other_units_potential <= 5), constraint \`selection_assessment_loyalty_range\` check (loyalty >= 1 AND loyalty <= 5), constraint \`selection_assessment_informationSharing_range\` check (information_sharing >= 1 AND information_sharing <= 5), constraint \`selection_assessment_engagementDesire_range\` check (engagement_desire >= 1 AND engagement_desire <= 5), constraint \`selection_assessment_buyingBasis_range\` check (buying_basis >= 1 AND buying_basis <= 5));`,
    );
    this.addSql(
      `create index \`selection_assessment_account_id_index\` on \`selection_assessment\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`selection_assessment_assessed_by_id_index\` on \`selection_assessment\` (\`assessed_by_id\`);`,
    );
    this.addSql(
      `create index \`selection_assessment_account_id_assessed_on_index\` on \`selection_assessment\` (\`account_id\`, \`assessed_on\`);`,
    );

    this.addSql(
      `create table \`service_element\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text not null, \`name\` text not null, \`description\` text null, \`position\` integer not null);`,
    );
    this.addSql(`create unique index \`service_element_code_unique\` on \`service_element\` (\`code\`);`);

    this.addSql(
      `create table \`element_importance\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`segment_id\` integer not null, \`element_id\` integer not null, \`importance\` integer not null, constraint \`element_importance_segment_id_foreign\` foreign key (\`segment_id\`) references \`segment\` (\`id\`), constraint \`element_importance_element_id_foreign\` foreign key (\`element_id\`) references \`service_element\` (\`id\`), constraint \`element_importance_range\` check (importance >= 1 AND importance <= 5));`,
    );
    this.addSql(
      `create index \`element_importance_segment_id_index\` on \`element_importance\` (\`segment_id\`);`,
    );
    this.addSql(
      `create index \`element_importance_element_id_index\` on \`element_importance\` (\`element_id\`);`,
    );
    this.addSql(
      `create unique index \`element_importance_segment_id_element_id_unique\` on \`element_importance\` (\`segment_id\`, \`element_id\`);`,
    );

    this.addSql(
      `create table \`service_package\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text not null, \`name\` text not null, \`segment_id\` integer not null, \`description\` text null, constraint \`service_package_segment_id_foreign\` foreign key (\`segment_id\`) references \`segment\` (\`id\`));`,
    );
    this.addSql(`create unique index \`service_package_code_unique\` on \`service_package\` (\`code\`);`);
    this.addSql(`create index \`service_package_segment_id_index\` on \`service_package\` (\`segment_id\`);`);

    this.addSql(
      `create table \`package_element\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`service_package_id\` integer not null, \`element_id\` integer not null, \`inclusion\` text check (\`inclusion\` in ('INCLUDED', 'CHARGED_SEPARATELY', 'NOT_OFFERED')) not null, constraint \`package_element_service_package_id_foreign\` foreign key (\`service_package_id\`) references \`service_package\` (\`id\`), constraint \`package_element_element_id_foreign\` foreign key (\`element_id\`) references \`service_element\` (\`id\`));`,
    );
    this.addSql(
      `create index \`package_element_service_package_id_index\` on \`package_element\` (\`service_package_id\`);`,
    );
    this.addSql(`create index \`package_element_element_id_index\` on \`package_element\` (\`element_id\`);`);
    this.addSql(
      `create unique index \`package_element_service_package_id_element_id_unique\` on \`package_element\` (\`service_package_id\`, \`element_id\`);`,
    );

    this.addSql(
      `create table \`grid_cell\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`segment_id\` integer not null, \`pyramid_level\` text check (\`pyramid_level\` in ('SUSPECT', 'PROSPECT', 'LAPSED', 'ACTIVE_SMALL', 'ACTIVE_MEDIUM', 'ACTIVE_LARGE', 'KEY')) not null, \`service_package_id\` integer not null, constraint \`grid_cell_segment_id_foreign\` foreign key (\`segment_id\`) references \`segment\` (\`id\`), constraint \`grid_cell_service_package_id_foreign\` foreign key (\`service_package_id\`) references \`service_package\` (\`id\`));`,
    );
    this.addSql(`create index \`grid_cell_segment_id_index\` on \`grid_cell\` (\`segment_id\`);`);
    this.addSql(
      `create index \`grid_cell_service_package_id_index\` on \`grid_cell\` (\`service_package_id\`);`,
    );
    this.addSql(
      `create unique index \`grid_cell_segment_id_pyramid_level_unique\` on \`grid_cell\` (\`segment_id\`, \`pyramid_level\`);`,
    );

    this.addSql(
      `create table \`service_standard\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`pyramid_level\` text check (\`pyramid_level\` in ('SUSPECT', 'PROSPECT', 'LAPSED', 'ACTIVE_SMALL', 'ACTIVE_MEDIUM', 'ACTIVE_LARGE', 'KEY')) not null, \`text\` text not null);`,
    );
    this.addSql(
      `create unique index \`service_standard_pyramid_level_unique\` on \`service_standard\` (\`pyramid_level\`);`,
    );

    this.addSql(
      `create table \`settings\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`document\` json not null);`,
    );

    this.addSql(
      `create table \`survey_response\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`external_ref\` text not null, \`account_id\` integer not null, \`contact_id\` integer null, \`responded_on\` date not null, \`quarter\` text not null, \`score\` integer not null, \`comment\` text null, constraint \`survey_response_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`survey_response_contact_id_foreign\` foreign key (\`contact_id\`) references \`contact\` (\`id\`) on delete set null, constraint \`survey_response_score_range\` check (score >= 1 AND score <= 5));`,
    );
    this.addSql(
      `create unique index \`survey_response_external_ref_unique\` on \`survey_response\` (\`external_ref\`);`,
    );
    this.addSql(`create index \`survey_response_contact_id_index\` on \`survey_response\` (\`contact_id\`);`);
    this.addSql(`create index \`survey_response_quarter_index\` on \`survey_response\` (\`quarter\`);`);
    this.addSql(`create index \`survey_response_account_id_index\` on \`survey_response\` (\`account_id\`);`);

    this.addSql(
      `create table \`team_member\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`account_id\` integer not null, \`person_id\` integer not null, \`role\` text check (\`role\` in ('KEY_ACCOUNT_MANAGER', 'SPONSOR', 'COACH', 'BUSINESS_UNIT_LEAD', 'SUPPORT')) not null, \`geography\` text null, \`reports_to_id\` integer null, \`since\` date null, constraint \`team_member_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`team_member_person_id_foreign\` foreign key (\`person_id\`) references \`person\` (\`id\`), constraint \`team_member_reports_to_id_foreign\` foreign key (\`reports_to_id\`) references \`team_member\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`team_member_account_id_index\` on \`team_member\` (\`account_id\`);`);
    this.addSql(`create index \`team_member_reports_to_id_index\` on \`team_member\` (\`reports_to_id\`);`);
    this.addSql(`create index \`team_member_person_id_index\` on \`team_member\` (\`person_id\`);`);
    this.addSql(
      `create unique index \`team_member_account_id_person_id_role_unique\` on \`team_member\` (\`account_id\`, \`person_id\`, \`role\`);`,
    );

    this.addSql(
      `create table \`tier_assessment\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`account_id\` integer not null, \`quarter\` text not null, \`tier\` text check (\`tier\` in ('TIER_4', 'TIER_3', 'TIER_2', 'TIER_1')) not null, \`evidence\` text not null, \`assessed_by_id\` integer null, constraint \`tier_assessment_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`tier_assessment_assessed_by_id_foreign\` foreign key (\`assessed_by_id\`) references \`person\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`tier_assessment_account_id_index\` on \`tier_assessment\` (\`account_id\`);`);
    this.addSql(
      `create index \`tier_assessment_assessed_by_id_index\` on \`tier_assessment\` (\`assessed_by_id\`);`,
    );
    this.addSql(`create index \`tier_assessment_quarter_index\` on \`tier_assessment\` (\`quarter\`);`);
    this.addSql(
      `create unique index \`tier_assessment_account_id_quarter_unique\` on \`tier_assessment\` (\`account_id\`, \`quarter\`);`,
    );

    this.addSql(
      `create table \`value_initiative\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`name\` text not null, \`account_id\` integer not null, \`owner_id\` integer null, \`category\` text check (\`category\` in ('EXPECTED', 'PERCEIVED', 'PROVEN', 'UNTAPPED')) not null, \`phase\` text check (\`phase\` in ('ASSESS_CURRENT_SITUATION', 'FILL_KNOWLEDGE_GAPS', 'RAPID_PROTOTYPING', 'EXTERNAL_LEARNING', 'INTERROGATE_PROTOTYPE', 'FINAL_REVIEW', 'TEST_PLAN', 'LIVE_TEST', 'REVIEW_AND_REFINE', 'ROLL_OUT')) not null default 'ASSESS_CURRENT_SITUATION', \`outcome\` text check (\`outcome\` in ('ADOPTED', 'REJECTED', 'REVISED', 'COMBINED')) null, \`combined_into_id\` integer null, \`desired_gains\` text not null default '', \`customer_gain\` bigint null, \`supplier_gain\` bigint null, \`customer_recognised\` integer not null default false, \`recognised_on\` date null, \`recognition_note\` text null, \`copied_by_competitor\` integer not null default false, \`revision_count\` integer not null default 0, \`started_on\` date not null, \`ended_on\` date null, constraint \`value_initiative_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`) on delete cascade, constraint \`value_initiative_owner_id_foreign\` foreign key (\`owner_id\`) references \`person\` (\`id\`) on delete set null, constraint \`value_initiative_combined_into_id_foreign\` foreign key (\`combined_into_id\`) references \`value_initiative\` (\`id\`) on delete set null);`,
    );
    this.addSql(`create index \`value_initiative_owner_id_index\` on \`value_initiative\` (\`owner_id\`);`);
    this.addSql(
      `create index \`value_initiative_combined_into_id_index\` on \`value_initiative\` (\`combined_into_id\`);`,
    );
    this.addSql(
      `create index \`value_initiative_account_id_index\` on \`value_initiative\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`value_initiative_phase_outcome_index\` on \`value_initiative\` (\`phase\`, \`outcome\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_entry\`;`);
    this.addSql(`drop table if exists \`business_unit\`;`);
    this.addSql(`drop table if exists \`idempotency_record\`;`);
    this.addSql(`drop table if exists \`kpi_definition\`;`);
    this.addSql(`drop table if exists \`organisation_measurement\`;`);
    this.addSql(`drop table if exists \`person\`;`);
    this.addSql(`drop table if exists \`intimacy_programme\`;`);
    this.addSql(`drop table if exists \`api_token\`;`);
    this.addSql(`drop table if exists \`programme_checklist_item\`;`);
    this.addSql(`drop table if exists \`quarter_snapshot\`;`);
    this.addSql(`drop table if exists \`account_snapshot\`;`);
    this.addSql(`drop table if exists \`segment\`;`);
    this.addSql(`drop table if exists \`account\`;`);
    this.addSql(`drop table if exists \`quarterly_financial\`;`);
    this.addSql(`drop table if exists \`opportunity\`;`);
    this.addSql(`drop table if exists \`key_account_designation\`;`);
    this.addSql(`drop table if exists \`customer_signal\`;`);
    this.addSql(`drop table if exists \`contact\`;`);
    this.addSql(`drop table if exists \`account_plan\`;`);
    this.addSql(`drop table if exists \`plan_version\`;`);
    this.addSql(`drop table if exists \`plan_unit\`;`);
    this.addSql(`drop table if exists \`plan_sign_off\`;`);
    this.addSql(`drop table if exists \`plan_action\`;`);
    this.addSql(`drop table if exists \`execution_review\`;`);
    this.addSql(`drop table if exists \`selection_assessment\`;`);
    this.addSql(`drop table if exists \`service_element\`;`);
    this.addSql(`drop table if exists \`element_importance\`;`);
    this.addSql(`drop table if exists \`service_package\`;`);
    this.addSql(`drop table if exists \`package_element\`;`);
    this.addSql(`drop table if exists \`grid_cell\`;`);
    this.addSql(`drop table if exists \`service_standard\`;`);
    this.addSql(`drop table if exists \`settings\`;`);
    this.addSql(`drop table if exists \`survey_response\`;`);
    this.addSql(`drop table if exists \`team_member\`;`);
    this.addSql(`drop table if exists \`tier_assessment\`;`);
    this.addSql(`drop table if exists \`value_initiative\`;`);
  }
}
