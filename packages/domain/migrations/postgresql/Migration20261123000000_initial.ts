import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_entry" ("id" serial primary key, "occurred_at" timestamptz not null, "actor_person_id" int null, "actor_label" varchar(200) not null, "request_id" varchar(100) null, "entity_type" varchar(60) not null, "entity_id" varchar(60) not null, "action" text not null, "changes" jsonb not null);`,
    );
    this.addSql(
      `create index "audit_entry_entity_type_entity_id_index" on "audit_entry" ("entity_type", "entity_id");`,
    );
    this.addSql(`create index "audit_entry_occurred_at_index" on "audit_entry" ("occurred_at");`);

    this.addSql(
      `create table "business_unit" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(40) not null, "name" varchar(200) not null, "kind" text not null);`,
    );
    this.addSql(`alter table "business_unit" add constraint "business_unit_code_unique" unique ("code");`);

    this.addSql(
      `create table "idempotency_record" ("id" serial primary key, "principal" varchar(60) not null, "key" varchar(255) not null, "operation" varchar(60) not null, "request_hash" varchar(64) not null, "response" text null, "created_at" timestamptz not null, "expires_at" timestamptz not null);`,
    );
    this.addSql(`create index "idempotency_record_expires_at_index" on "idempotency_record" ("expires_at");`);
    this.addSql(
      `alter table "idempotency_record" add constraint "idempotency_record_principal_key_unique" unique ("principal", "key");`,
    );

    this.addSql(
      `create table "kpi_definition" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" text not null, "name" varchar(200) not null, "description" text not null, "unit" text not null, "direction" text not null, "baseline_quarter" varchar(7) null, "target" numeric(14,4) null);`,
    );
    this.addSql(`alter table "kpi_definition" add constraint "kpi_definition_code_unique" unique ("code");`);

    this.addSql(
      `create table "organisation_measurement" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "kind" text not null, "quarter" varchar(7) not null, "business_unit_id" int null, "market" varchar(120) null, "scope_key" varchar(160) not null, "value" numeric(7,2) not null);`,
    );
    this.addSql(
      `alter table "organisation_measurement" add constraint "organisation_measurement_kind_quarter_scope_key_unique" unique ("kind", "quarter", "scope_key");`,
    );

    this.addSql(
      `create table "person" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "name" varchar(200) not null, "email" varchar(254) not null, "title" varchar(200) null, "business_unit_id" int null, "active" boolean not null default true);`,
    );
    this.addSql(`alter table "person" add constraint "person_email_unique" unique ("email");`);

    this.addSql(
      `create table "intimacy_programme" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "business_unit_id" int not null, "stage" text not null default 'UNDERSTAND', "change_leader_id" int null, "started_on" date not null, "objectives" text not null default '');`,
    );
    this.addSql(
      `alter table "intimacy_programme" add constraint "intimacy_programme_business_unit_id_unique" unique ("business_unit_id");`,
    );

    this.addSql(
      `create table "api_token" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, "person_id" int not null, "role" text not null, "token_hash" varchar(64) not null, "prefix" varchar(16) not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null);`,
    );
    this.addSql(
      `alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "programme_checklist_item" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "programme_id" int not null, "stage" text not null, "position" int not null, "text" varchar(300) not null, "done_on" date null, "done_by_id" int null);`,
    );
    this.addSql(
      `create index "programme_checklist_item_programme_id_stage_index" on "programme_checklist_item" ("programme_id", "stage");`,
    );

    this.addSql(
      `create table "quarter_snapshot" ("id" serial primary key, "quarter" varchar(7) not null, "revision" int not null, "closed_at" timestamptz not null, "closed_by" varchar(200) not null, "account_count" int not null, "checksum" varchar(64) not null, "payload" text not null);`,
    );
    this.addSql(
      `alter table "quarter_snapshot" add constraint "quarter_snapshot_quarter_revision_unique" unique ("quarter", "revision");`,
    );

    this.addSql(
      `create table "account_snapshot" ("id" serial primary key, "snapshot_id" int not null, "account_id" int not null, "external_ref" varchar(120) not null, "position" int not null, "is_key_account" boolean not null, "payload" text not null);`,
    );
    this.addSql(
      `create index "account_snapshot_snapshot_id_position_index" on "account_snapshot" ("snapshot_id", "position");`,
    );
    this.addSql(
      `alter table "account_snapshot" add constraint "account_snapshot_snapshot_id_account_id_unique" unique ("snapshot_id", "account_id");`,
    );

    this.addSql(
      `create table "segment" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(40) not null, "name" varchar(200) not null, "buyer_orientation" text not null, "channel" varchar(80) null, "size_class" text null, "scope" text null, "growth_profile" text null, "description" text null);`,
    );
    this.addSql(`alter table "segment" add constraint "segment_code_unique" unique ("code");`);

    this.addSql(
      `create table "account" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "external_ref" varchar(120) not null, "name" varchar(200) not null, "parent_id" int null, "segment_id" int null, "industry" varchar(120) null, "country" varchar(2) null, "customer_since" date null);`,
    );
    this.addSql(
      `alter table "account" add constraint "account_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(`create index "account_parent_id_index" on "account" ("parent_id");`);
    this.addSql(`create index "account_name_index" on "account" ("name");`);

    this.addSql(
      `create table "quarterly_financial" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "account_id" int not null, "quarter" varchar(7) not null, "business_unit_id" int null, "revenue" bigint not null, "gross_profit" bigint not null, "cost_to_serve" bigint not null, "potential" bigint null, "price_premium" bigint null);`,
    );
    this.addSql(
      `create index "quarterly_financial_quarter_account_id_index" on "quarterly_financial" ("quarter", "account_id");`,
    );
    this.addSql(
      `create index "quarterly_financial_business_unit_id_quarter_index" on "quarterly_financial" ("business_unit_id", "quarter");`,
    );
    this.addSql(
      `alter table "quarterly_financial" add constraint "quarterly_financial_unit_unique" unique ("account_id", "quarter", "business_unit_id");`,
    );
    this.addSql(
      `create unique index "quarterly_financial_total_unique" on "quarterly_financial" ("account_id", "quarter") where "business_unit_id" is null;`,
    );

    this.addSql(
      `create table "opportunity" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "external_ref" varchar(120) not null, "account_id" int not null, "business_unit_id" int not null, "name" varchar(200) not null, "value" bigint not null, "qualified" boolean not null default false, "qualified_on" date null, "expected_close_on" date null, "outcome" text not null default 'OPEN', "decided_on" date null, "lost_reason" text null);`,
    );
    this.addSql(
      `alter table "opportunity" add constraint "opportunity_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(
      `create index "opportunity_account_id_outcome_index" on "opportunity" ("account_id", "outcome");`,
    );
    this.addSql(`create index "opportunity_decided_on_index" on "opportunity" ("decided_on");`);

    this.addSql(
      `create table "key_account_designation" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "account_id" int not null, "designated_on" date not null, "review_due_on" date not null, "designated_by_id" int null, "reason" text null, "revoked_on" date null, "revoked_by_id" int null, "revocation_reason" text null);`,
    );
    this.addSql(
      `create index "key_account_designation_account_id_revoked_on_index" on "key_account_designation" ("account_id", "revoked_on");`,
    );
    this.addSql(
      `create index "key_account_designation_review_due_on_index" on "key_account_designation" ("review_due_on");`,
    );

    this.addSql(
      `create table "customer_signal" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "external_ref" varchar(120) not null, "account_id" int not null, "kind" text not null, "occurred_on" date not null, "quarter" varchar(7) not null, "sentiment" text null, "topic" varchar(200) null, "value" bigint null, "note" text null);`,
    );
    this.addSql(
      `alter table "customer_signal" add constraint "customer_signal_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(
      `create index "customer_signal_quarter_kind_index" on "customer_signal" ("quarter", "kind");`,
    );
    this.addSql(`create index "customer_signal_account_id_index" on "customer_signal" ("account_id");`);

    this.addSql(
      `create table "contact" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "external_ref" varchar(120) not null, "account_id" int not null, "name" varchar(200) not null, "title" varchar(200) null, "email" varchar(254) null, "function" text not null, "influence" int not null, "stance" text not null, "what_they_value" text null, "last_contact_on" date null, "counterpart_id" int null);`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(`create index "contact_account_id_index" on "contact" ("account_id");`);

    this.addSql(
      `create table "account_plan" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "account_id" int not null, "year" int not null, "status" text not null default 'DRAFT', "starts_on" date not null, "ends_on" date not null, "owner_id" int null, "baselines" text not null default '', "current_relationship" text not null default '', "growth_opportunities" text not null default '', "required_actions" text not null default '', "customer_value" text not null default '', "investment_and_cost_to_serve" text not null default '', "action_plan_and_deal" text not null default '', "revenue_target" bigint null, "margin_target_percent" numeric(7,2) null, "in_year_target" bigint null, "estimated_customer_value" bigint null, "estimated_investment" bigint null, "estimated_cost_to_serve" bigint null, "latest_version_number" int not null default 0, "submitted_on" date null, "approved_on" date null, "closed_on" date null, "copied_from_id" int null);`,
    );
    this.addSql(`create index "account_plan_status_year_index" on "account_plan" ("status", "year");`);
    this.addSql(
      `alter table "account_plan" add constraint "account_plan_account_id_year_unique" unique ("account_id", "year");`,
    );

    this.addSql(
      `create table "plan_version" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" int not null, "number" int not null, "frozen_at" timestamptz not null, "submitted_by_id" int null, "content" jsonb not null);`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_plan_id_number_unique" unique ("plan_id", "number");`,
    );

    this.addSql(
      `create table "plan_unit" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" int not null, "business_unit_id" int not null);`,
    );
    this.addSql(
      `alter table "plan_unit" add constraint "plan_unit_plan_id_business_unit_id_unique" unique ("plan_id", "business_unit_id");`,
    );

    this.addSql(
      `create table "plan_sign_off" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" int not null, "business_unit_id" int not null, "signed_by_id" int not null, "signed_on" date not null, "plan_version_number" int not null, "comment" text null);`,
    );
    this.addSql(
      `alter table "plan_sign_off" add constraint "plan_sign_off_plan_id_business_unit_id_plan_versi_d0863_unique" unique ("plan_id", "business_unit_id", "plan_version_number");`,
    );

    this.addSql(
      `create table "plan_action" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "plan_id" int not null, "description" text not null, "owner_id" int null, "due_on" date null, "status" text not null default 'OPEN', "completed_on" date null);`,
    );
    this.addSql(`create index "plan_action_plan_id_status_index" on "plan_action" ("plan_id", "status");`);

    this.addSql(
      `create table "execution_review" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "plan_id" int not null, "reviewed_on" date not null, "reviewer_id" int null, "assessment" text not null, "progress" text not null, "blockers" text not null default '', "help_needed" text not null default '', "revenue_to_date" bigint null);`,
    );
    this.addSql(
      `create index "execution_review_plan_id_reviewed_on_index" on "execution_review" ("plan_id", "reviewed_on");`,
    );

    this.addSql(
      `create table "selection_assessment" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "account_id" int not null, "assessed_on" date not null, "assessed_by_id" int null, "market_leadership" int not null, "innovation_leadership" int not null, "growth_fit" int not null, "other_units_potential" int not null, "loyalty" int not null, "information_sharing" int not null, "engagement_desire" int not null, "buying_basis" int not null, "sustainable_revenue" boolean not null, "defection_influences_others" boolean not null, "winning_improves_others" boolean null, "notes" text null);`,
    );
    this.addSql(
      `create index "selection_assessment_account_id_assessed_on_index" on "selection_assessment" ("account_id", "assessed_on");`,
    );

    this.addSql(
      `create table "service_element" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(60) not null, "name" varchar(200) not null, "description" text null, "position" int not null);`,
    );
    this.addSql(
      `alter table "service_element" add constraint "service_element_code_unique" unique ("code");`,
    );

    this.addSql(
      `create table "element_importance" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "segment_id" int not null, "element_id" int not null, "importance" int not null);`,
    );
    this.addSql(
      `alter table "element_importance" add constraint "element_importance_segment_id_element_id_unique" unique ("segment_id", "element_id");`,
    );

    this.addSql(
      `create table "service_package" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(60) not null, "name" varchar(200) not null, "segment_id" int not null, "description" text null);`,
    );
    this.addSql(
      `alter table "service_package" add constraint "service_package_code_unique" unique ("code");`,
    );

    this.addSql(
      `create table "package_element" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "service_package_id" int not null, "element_id" int not null, "inclusion" text not null);`,
    );
    this.addSql(
      `alter table "package_element" add constraint "package_element_service_package_id_element_id_unique" unique ("service_package_id", "element_id");`,
    );

    this.addSql(
      `create table "grid_cell" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "segment_id" int not null, "pyramid_level" text not null, "service_package_id" int not null);`,
    );
    this.addSql(
      `alter table "grid_cell" add constraint "grid_cell_segment_id_pyramid_level_unique" unique ("segment_id", "pyramid_level");`,
    );

    this.addSql(
      `create table "service_standard" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "pyramid_level" text not null, "text" text not null);`,
    );
    this.addSql(
      `alter table "service_standard" add constraint "service_standard_pyramid_level_unique" unique ("pyramid_level");`,
    );

    this.addSql(
      `create table "settings" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "document" jsonb not null);`,
    );

    this.addSql(
      `create table "survey_response" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "external_ref" varchar(120) not null, "account_id" int not null, "contact_id" int null, "responded_on" date not null, "quarter" varchar(7) not null, "score" int not null, "comment" text null);`,
    );
    this.addSql(
      `alter table "survey_response" add constraint "survey_response_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(`create index "survey_response_quarter_index" on "survey_response" ("quarter");`);
    this.addSql(`create index "survey_response_account_id_index" on "survey_response" ("account_id");`);

    this.addSql(
      `create table "team_member" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "account_id" int not null, "person_id" int not null, "role" text not null, "geography" varchar(80) null, "reports_to_id" int null, "since" date null);`,
    );
    this.addSql(`create index "team_member_person_id_index" on "team_member" ("person_id");`);
    this.addSql(
      `alter table "team_member" add constraint "team_member_account_id_person_id_role_unique" unique ("account_id", "person_id", "role");`,
    );

    this.addSql(
      `create table "tier_assessment" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "account_id" int not null, "quarter" varchar(7) not null, "tier" text not null, "evidence" text not null, "assessed_by_id" int null);`,
    );
    this.addSql(`create index "tier_assessment_quarter_index" on "tier_assessment" ("quarter");`);
    this.addSql(
      `alter table "tier_assessment" add constraint "tier_assessment_account_id_quarter_unique" unique ("account_id", "quarter");`,
    );

    this.addSql(
      `create table "value_initiative" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "name" varchar(200) not null, "account_id" int not null, "owner_id" int null, "category" text not null, "phase" text not null default 'ASSESS_CURRENT_SITUATION', "outcome" text null, "combined_into_id" int null, "desired_gains" text not null default '', "customer_gain" bigint null, "supplier_gain" bigint null, "customer_recognised" boolean not null default false, "recognised_on" date null, "recognition_note" text null, "copied_by_competitor" boolean not null default false, "revision_count" int not null default 0, "started_on" date not null, "ended_on" date null);`,
    );
    this.addSql(`create index "value_initiative_account_id_index" on "value_initiative" ("account_id");`);
    this.addSql(
      `create index "value_initiative_phase_outcome_index" on "value_initiative" ("phase", "outcome");`,
    );

    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('CREATE', 'UPDATE', 'DELETE'));`,
    );

    this.addSql(
      `alter table "business_unit" add constraint "business_unit_kind_check" check ("kind" in ('GEOGRAPHY', 'OFFERING', 'INDUSTRY'));`,
    );

    this.addSql(
      `alter table "kpi_definition" add constraint "kpi_definition_code_check" check ("code" in ('CUSTOMER_RETENTION', 'CUSTOMER_SATISFACTION', 'POSITIVE_FEEDBACK', 'PEOPLE_SATISFACTION', 'MARKET_SHARE', 'CUSTOMER_LIFETIME_VALUE', 'KEY_ACCOUNT_GROWTH', 'WIN_RATE', 'ADVICE_REQUESTS', 'EXPANSION_REQUESTS', 'REFERRALS', 'KEY_VS_CONTROL_GROWTH', 'VALUE_DEMONSTRATED'));`,
    );
    this.addSql(
      `alter table "kpi_definition" add constraint "kpi_definition_unit_check" check ("unit" in ('PERCENT', 'SCORE', 'INDEX', 'MONEY', 'COUNT', 'RATIO'));`,
    );
    this.addSql(
      `alter table "kpi_definition" add constraint "kpi_definition_direction_check" check ("direction" in ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER'));`,
    );

    this.addSql(
      `alter table "organisation_measurement" add constraint "organisation_measurement_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "organisation_measurement" add constraint "organisation_measurement_kind_check" check ("kind" in ('PEOPLE_SATISFACTION', 'MARKET_SHARE'));`,
    );

    this.addSql(
      `alter table "person" add constraint "person_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "intimacy_programme" add constraint "intimacy_programme_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id");`,
    );
    this.addSql(
      `alter table "intimacy_programme" add constraint "intimacy_programme_change_leader_id_foreign" foreign key ("change_leader_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "intimacy_programme" add constraint "intimacy_programme_stage_check" check ("stage" in ('UNDERSTAND', 'TEST', 'LEARN', 'IMPLEMENT'));`,
    );

    this.addSql(
      `alter table "api_token" add constraint "api_token_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('ADMIN', 'ACCOUNT_MANAGER', 'EXECUTIVE', 'INTEGRATION'));`,
    );

    this.addSql(
      `alter table "programme_checklist_item" add constraint "programme_checklist_item_programme_id_foreign" foreign key ("programme_id") references "intimacy_programme" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "programme_checklist_item" add constraint "programme_checklist_item_done_by_id_foreign" foreign key ("done_by_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "programme_checklist_item" add constraint "programme_checklist_item_stage_check" check ("stage" in ('UNDERSTAND', 'TEST', 'LEARN', 'IMPLEMENT'));`,
    );

    this.addSql(
      `alter table "account_snapshot" add constraint "account_snapshot_snapshot_id_foreign" foreign key ("snapshot_id") references "quarter_snapshot" ("id") on delete restrict;`,
    );

    this.addSql(
      `alter table "segment" add constraint "segment_buyer_orientation_check" check ("buyer_orientation" in ('PRICE', 'LOYALTY'));`,
    );
    this.addSql(
      `alter table "segment" add constraint "segment_size_class_check" check ("size_class" in ('SMALL', 'MEDIUM', 'LARGE'));`,
    );
    this.addSql(
      `alter table "segment" add constraint "segment_scope_check" check ("scope" in ('INTERNATIONAL', 'LOCAL'));`,
    );
    this.addSql(
      `alter table "segment" add constraint "segment_growth_profile_check" check ("growth_profile" in ('STABLE', 'FAST_GROWING'));`,
    );

    this.addSql(
      `alter table "account" add constraint "account_parent_id_foreign" foreign key ("parent_id") references "account" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "account" add constraint "account_segment_id_foreign" foreign key ("segment_id") references "segment" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "quarterly_financial" add constraint "quarterly_financial_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "quarterly_financial" add constraint "quarterly_financial_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "opportunity" add constraint "opportunity_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "opportunity" add constraint "opportunity_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id");`,
    );
    this.addSql(
      `alter table "opportunity" add constraint "opportunity_outcome_check" check ("outcome" in ('OPEN', 'WON', 'LOST'));`,
    );

    this.addSql(
      `alter table "key_account_designation" add constraint "key_account_designation_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "key_account_designation" add constraint "key_account_designation_designated_by_id_foreign" foreign key ("designated_by_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "key_account_designation" add constraint "key_account_designation_revoked_by_id_foreign" foreign key ("revoked_by_id") references "person" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "customer_signal" add constraint "customer_signal_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "customer_signal" add constraint "customer_signal_kind_check" check ("kind" in ('FEEDBACK', 'ADVICE_REQUEST', 'EXPANSION_REQUEST', 'REFERRAL'));`,
    );
    this.addSql(
      `alter table "customer_signal" add constraint "customer_signal_sentiment_check" check ("sentiment" in ('POSITIVE', 'NEUTRAL', 'NEGATIVE'));`,
    );

    this.addSql(
      `alter table "contact" add constraint "contact_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_counterpart_id_foreign" foreign key ("counterpart_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_influence_range" check (influence >= 1 AND influence <= 5);`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_function_check" check ("function" in ('PROCUREMENT', 'SUPPLY_CHAIN', 'MARKETING', 'OPERATIONS', 'FINANCE', 'TECHNICAL', 'EXECUTIVE', 'OTHER'));`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_stance_check" check ("stance" in ('CHAMPION', 'SUPPORTER', 'NEUTRAL', 'DETRACTOR', 'UNKNOWN'));`,
    );

    this.addSql(
      `alter table "account_plan" add constraint "account_plan_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "account_plan" add constraint "account_plan_owner_id_foreign" foreign key ("owner_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "account_plan" add constraint "account_plan_copied_from_id_foreign" foreign key ("copied_from_id") references "account_plan" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "account_plan" add constraint "account_plan_status_check" check ("status" in ('DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED'));`,
    );

    this.addSql(
      `alter table "plan_version" add constraint "plan_version_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_submitted_by_id_foreign" foreign key ("submitted_by_id") references "person" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "plan_unit" add constraint "plan_unit_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_unit" add constraint "plan_unit_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id");`,
    );

    this.addSql(
      `alter table "plan_sign_off" add constraint "plan_sign_off_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_sign_off" add constraint "plan_sign_off_business_unit_id_foreign" foreign key ("business_unit_id") references "business_unit" ("id");`,
    );
    this.addSql(
      `alter table "plan_sign_off" add constraint "plan_sign_off_signed_by_id_foreign" foreign key ("signed_by_id") references "person" ("id");`,
    );

    this.addSql(
      `alter table "plan_action" add constraint "plan_action_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "plan_action" add constraint "plan_action_owner_id_foreign" foreign key ("owner_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "plan_action" add constraint "plan_action_status_check" check ("status" in ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED'));`,
    );

    this.addSql(
      `alter table "execution_review" add constraint "execution_review_plan_id_foreign" foreign key ("plan_id") references "account_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "execution_review" add constraint "execution_review_reviewer_id_foreign" foreign key ("reviewer_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "execution_review" add constraint "execution_review_assessment_check" check ("assessment" in ('ON_TRACK', 'AT_RISK', 'OFF_TRACK'));`,
    );

    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_assessed_by_id_foreign" foreign key ("assessed_by_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_marketLeadership_range" check (market_leadership >= 1 AND market_leadership <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_innovationLeadership_range" check (innovation_leadership >= 1 AND innovation_leadership <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_growthFit_range" check (growth_fit >= 1 AND growth_fit <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_otherUnitsPotential_range" check (other_units_potential >= 1 AND other_units_potential <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_loyalty_range" check (loyalty >= 1 AND loyalty <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_informationSharing_range" check (information_sharing >= 1 AND information_sharing <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_engagementDesire_range" check (engagement_desire >= 1 AND engagement_desire <= 5);`,
    );
    this.addSql(
      `alter table "selection_assessment" add constraint "selection_assessment_buyingBasis_range" check (buying_basis >= 1 AND buying_basis <= 5);`,
    );

    this.addSql(
      `alter table "element_importance" add constraint "element_importance_segment_id_foreign" foreign key ("segment_id") references "segment" ("id");`,
    );
    this.addSql(
      `alter table "element_importance" add constraint "element_importance_element_id_foreign" foreign key ("element_id") references "service_element" ("id");`,
    );
    this.addSql(
      `alter table "element_importance" add constraint "element_importance_range" check (importance >= 1 AND importance <= 5);`,
    );

    this.addSql(
      `alter table "service_package" add constraint "service_package_segment_id_foreign" foreign key ("segment_id") references "segment" ("id");`,
    );

    this.addSql(
      `alter table "package_element" add constraint "package_element_service_package_id_foreign" foreign key ("service_package_id") references "service_package" ("id");`,
    );
    this.addSql(
      `alter table "package_element" add constraint "package_element_element_id_foreign" foreign key ("element_id") references "service_element" ("id");`,
    );
    this.addSql(
      `alter table "package_element" add constraint "package_element_inclusion_check" check ("inclusion" in ('INCLUDED', 'CHARGED_SEPARATELY', 'NOT_OFFERED'));`,
    );

    this.addSql(
      `alter table "grid_cell" add constraint "grid_cell_segment_id_foreign" foreign key ("segment_id") references "segment" ("id");`,
    );
    this.addSql(
      `alter table "grid_cell" add constraint "grid_cell_service_package_id_foreign" foreign key ("service_package_id") references "service_package" ("id");`,
    );
    this.addSql(
      `alter table "grid_cell" add constraint "grid_cell_pyramid_level_check" check ("pyramid_level" in ('SUSPECT', 'PROSPECT', 'LAPSED', 'ACTIVE_SMALL', 'ACTIVE_MEDIUM', 'ACTIVE_LARGE', 'KEY'));`,
    );

    this.addSql(
      `alter table "service_standard" add constraint "service_standard_pyramid_level_check" check ("pyramid_level" in ('SUSPECT', 'PROSPECT', 'LAPSED', 'ACTIVE_SMALL', 'ACTIVE_MEDIUM', 'ACTIVE_LARGE', 'KEY'));`,
    );

    this.addSql(
      `alter table "survey_response" add constraint "survey_response_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "survey_response" add constraint "survey_response_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "survey_response" add constraint "survey_response_score_range" check (score >= 1 AND score <= 5);`,
    );

    this.addSql(
      `alter table "team_member" add constraint "team_member_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "team_member" add constraint "team_member_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "team_member" add constraint "team_member_reports_to_id_foreign" foreign key ("reports_to_id") references "team_member" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "team_member" add constraint "team_member_role_check" check ("role" in ('KEY_ACCOUNT_MANAGER', 'SPONSOR', 'COACH', 'BUSINESS_UNIT_LEAD', 'SUPPORT'));`,
    );

    this.addSql(
      `alter table "tier_assessment" add constraint "tier_assessment_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "tier_assessment" add constraint "tier_assessment_assessed_by_id_foreign" foreign key ("assessed_by_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "tier_assessment" add constraint "tier_assessment_tier_check" check ("tier" in ('TIER_4', 'TIER_3', 'TIER_2', 'TIER_1'));`,
    );

    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_owner_id_foreign" foreign key ("owner_id") references "person" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_combined_into_id_foreign" foreign key ("combined_into_id") references "value_initiative" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_category_check" check ("category" in ('EXPECTED', 'PERCEIVED', 'PROVEN', 'UNTAPPED'));`,
    );
    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_phase_check" check ("phase" in ('ASSESS_CURRENT_SITUATION', 'FILL_KNOWLEDGE_GAPS', 'RAPID_PROTOTYPING', 'EXTERNAL_LEARNING', 'INTERROGATE_PROTOTYPE', 'FINAL_REVIEW', 'TEST_PLAN', 'LIVE_TEST', 'REVIEW_AND_REFINE', 'ROLL_OUT'));`,
    );
    this.addSql(
      `alter table "value_initiative" add constraint "value_initiative_outcome_check" check ("outcome" in ('ADOPTED', 'REJECTED', 'REVISED', 'COMBINED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "organisation_measurement" drop constraint "organisation_measurement_business_unit_id_foreign";`,
    );
    this.addSql(`alter table "person" drop constraint "person_business_unit_id_foreign";`);
    this.addSql(
      `alter table "intimacy_programme" drop constraint "intimacy_programme_business_unit_id_foreign";`,
    );
    this.addSql(
      `alter table "quarterly_financial" drop constraint "quarterly_financial_business_unit_id_foreign";`,
    );
    this.addSql(`alter table "opportunity" drop constraint "opportunity_business_unit_id_foreign";`);
    this.addSql(`alter table "plan_unit" drop constraint "plan_unit_business_unit_id_foreign";`);
    this.addSql(`alter table "plan_sign_off" drop constraint "plan_sign_off_business_unit_id_foreign";`);
    this.addSql(
      `alter table "intimacy_programme" drop constraint "intimacy_programme_change_leader_id_foreign";`,
    );
    this.addSql(`alter table "api_token" drop constraint "api_token_person_id_foreign";`);
    this.addSql(
      `alter table "programme_checklist_item" drop constraint "programme_checklist_item_done_by_id_foreign";`,
    );
    this.addSql(
      `alter table "key_account_designation" drop constraint "key_account_designation_designated_by_id_foreign";`,
    );
    this.addSql(
      `alter table "key_account_designation" drop constraint "key_account_designation_revoked_by_id_foreign";`,
    );
    this.addSql(`alter table "contact" drop constraint "contact_counterpart_id_foreign";`);
    this.addSql(`alter table "account_plan" drop constraint "account_plan_owner_id_foreign";`);
    this.addSql(`alter table "plan_version" drop constraint "plan_version_submitted_by_id_foreign";`);
    this.addSql(`alter table "plan_sign_off" drop constraint "plan_sign_off_signed_by_id_foreign";`);
    this.addSql(`alter table "plan_action" drop constraint "plan_action_owner_id_foreign";`);
    this.addSql(`alter table "execution_review" drop constraint "execution_review_reviewer_id_foreign";`);
    this.addSql(
      `alter table "selection_assessment" drop constraint "selection_assessment_assessed_by_id_foreign";`,
    );
    this.addSql(`alter table "team_member" drop constraint "team_member_person_id_foreign";`);
    this.addSql(`alter table "tier_assessment" drop constraint "tier_assessment_assessed_by_id_foreign";`);
    this.addSql(`alter table "value_initiative" drop constraint "value_initiative_owner_id_foreign";`);
    this.addSql(
      `alter table "programme_checklist_item" drop constraint "programme_checklist_item_programme_id_foreign";`,
    );
    this.addSql(`alter table "account_snapshot" drop constraint "account_snapshot_snapshot_id_foreign";`);
    this.addSql(`alter table "account" drop constraint "account_segment_id_foreign";`);
    this.addSql(`alter table "element_importance" drop constraint "element_importance_segment_id_foreign";`);
    this.addSql(`alter table "service_package" drop constraint "service_package_segment_id_foreign";`);
    this.addSql(`alter table "grid_cell" drop constraint "grid_cell_segment_id_foreign";`);
    this.addSql(`alter table "account" drop constraint "account_parent_id_foreign";`);
    this.addSql(
      `alter table "quarterly_financial" drop constraint "quarterly_financial_account_id_foreign";`,
    );
    this.addSql(`alter table "opportunity" drop constraint "opportunity_account_id_foreign";`);
    this.addSql(
      `alter table "key_account_designation" drop constraint "key_account_designation_account_id_foreign";`,
    );
    this.addSql(`alter table "customer_signal" drop constraint "customer_signal_account_id_foreign";`);
    this.addSql(`alter table "contact" drop constraint "contact_account_id_foreign";`);
    this.addSql(`alter table "account_plan" drop constraint "account_plan_account_id_foreign";`);
    this.addSql(
      `alter table "selection_assessment" drop constraint "selection_assessment_account_id_foreign";`,
    );
    this.addSql(`alter table "survey_response" drop constraint "survey_response_account_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_account_id_foreign";`);
    this.addSql(`alter table "tier_assessment" drop constraint "tier_assessment_account_id_foreign";`);
    this.addSql(`alter table "value_initiative" drop constraint "value_initiative_account_id_foreign";`);
    this.addSql(`alter table "survey_response" drop constraint "survey_response_contact_id_foreign";`);
    this.addSql(`alter table "account_plan" drop constraint "account_plan_copied_from_id_foreign";`);
    this.addSql(`alter table "plan_version" drop constraint "plan_version_plan_id_foreign";`);
    this.addSql(`alter table "plan_unit" drop constraint "plan_unit_plan_id_foreign";`);
    this.addSql(`alter table "plan_sign_off" drop constraint "plan_sign_off_plan_id_foreign";`);
    this.addSql(`alter table "plan_action" drop constraint "plan_action_plan_id_foreign";`);
    this.addSql(`alter table "execution_review" drop constraint "execution_review_plan_id_foreign";`);
    this.addSql(`alter table "element_importance" drop constraint "element_importance_element_id_foreign";`);
    this.addSql(`alter table "package_element" drop constraint "package_element_element_id_foreign";`);
    this.addSql(
      `alter table "package_element" drop constraint "package_element_service_package_id_foreign";`,
    );
    this.addSql(`alter table "grid_cell" drop constraint "grid_cell_service_package_id_foreign";`);
    this.addSql(`alter table "team_member" drop constraint "team_member_reports_to_id_foreign";`);
    this.addSql(
      `alter table "value_initiative" drop constraint "value_initiative_combined_into_id_foreign";`,
    );

    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "business_unit" cascade;`);
    this.addSql(`drop table if exists "idempotency_record" cascade;`);
    this.addSql(`drop table if exists "kpi_definition" cascade;`);
    this.addSql(`drop table if exists "organisation_measurement" cascade;`);
    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "intimacy_programme" cascade;`);
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "programme_checklist_item" cascade;`);
    this.addSql(`drop table if exists "quarter_snapshot" cascade;`);
    this.addSql(`drop table if exists "account_snapshot" cascade;`);
    this.addSql(`drop table if exists "segment" cascade;`);
    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop table if exists "quarterly_financial" cascade;`);
    this.addSql(`drop table if exists "opportunity" cascade;`);
    this.addSql(`drop table if exists "key_account_designation" cascade;`);
    this.addSql(`drop table if exists "customer_signal" cascade;`);
    this.addSql(`drop table if exists "contact" cascade;`);
    this.addSql(`drop table if exists "account_plan" cascade;`);
    this.addSql(`drop table if exists "plan_version" cascade;`);
    this.addSql(`drop table if exists "plan_unit" cascade;`);
    this.addSql(`drop table if exists "plan_sign_off" cascade;`);
    this.addSql(`drop table if exists "plan_action" cascade;`);
    this.addSql(`drop table if exists "execution_review" cascade;`);
    this.addSql(`drop table if exists "selection_assessment" cascade;`);
    this.addSql(`drop table if exists "service_element" cascade;`);
    this.addSql(`drop table if exists "element_importance" cascade;`);
    this.addSql(`drop table if exists "service_package" cascade;`);
    this.addSql(`drop table if exists "package_element" cascade;`);
    this.addSql(`drop table if exists "grid_cell" cascade;`);
    this.addSql(`drop table if exists "service_standard" cascade;`);
    this.addSql(`drop table if exists "settings" cascade;`);
    this.addSql(`drop table if exists "survey_response" cascade;`);
    this.addSql(`drop table if exists "team_member" cascade;`);
    this.addSql(`drop table if exists "tier_assessment" cascade;`);
    this.addSql(`drop table if exists "value_initiative" cascade;`);
  }
}
