/**
 * @kam/domain — the Key Account Management domain: entities, rules, analytics and
 * snapshots. Everything a deployable needs is exported from here.
 */

// Persistence
export type { EntityClass, EntityManager, FilterQuery, MikroORM, QueryOrderMap } from '@mikro-orm/core';
// Entities
export { API_ROLES, type ApiRole, ApiToken, IdempotencyRecord } from './access/api-token.entity.ts';
// Use cases and their input schemas
export * from './access/token.service.ts';
export { Account } from './accounts/account.entity.ts';
export { doingBusinessWithFilter, keyAccountFilter, latestTierFilter } from './accounts/account.filters.ts';
export * from './accounts/account.schemas.ts';
export * from './accounts/account.service.ts';
export { QuarterlyFinancial } from './accounts/financial.entity.ts';
export { ancestorIds, assertValidParent, MAX_HIERARCHY_DEPTH } from './accounts/hierarchy.ts';
export * from './analytics/index.ts';
export { auditedRecordKinds } from './audit/audit.subscriber.ts';
export { ACTOR_LABEL_MAX_LENGTH, type AuditRecord, insertAuditEntries } from './audit/audit.writer.ts';
export { type AuditChanges, AuditEntry } from './audit/audit-entry.entity.ts';
// Bulk paths, analytics, snapshots and the demo portfolio
export * from './bulk/index.ts';
// Foundations
export type { Actor } from './common/actor.ts';
export { systemActor } from './common/actor.ts';
export * from './common/domain-error.ts';
export { addMonths, missingRecordMessage, monthsBetween, today } from './common/lookup.ts';
export * from './common/money.ts';
export * from './common/quarter.ts';
export { assertVersion, translateDatabaseError, writeAs } from './common/unit-of-work.ts';
export * from './common/validation.ts';
export * from './common/vocabulary.ts';
export { ENTITIES } from './db/entities.ts';
export { idInSet } from './db/id-set.ts';
export { type MigrationReport, migrateDatabase, pendingMigrations } from './db/migrate.ts';
export {
  createOrmConfig,
  type DatabaseOptions,
  type Dialect,
  dialectOf,
  openOrm,
  sqlitePath,
} from './db/orm-config.ts';
export {
  findRowsByCursor,
  isReadRow,
  mapRows,
  placeholders,
  type ReadRow,
  selectRows,
  selectRowsJoined,
} from './db/read-rows.ts';
export { dialectOfEm, selectIn, writeRows } from './db/sql-writer.ts';
export { containsIgnoringCase } from './db/text-search.ts';
export * from './demo/index.ts';
export * from './journey/journey.service.ts';
export { TierAssessment } from './journey/tier-assessment.entity.ts';
export * from './kpis/kpi.service.ts';
export { KpiDefinition } from './kpis/kpi-definition.entity.ts';
export { Opportunity } from './opportunities/opportunity.entity.ts';
export * from './opportunities/opportunity.service.ts';
export { BusinessUnit } from './organisation/business-unit.entity.ts';
export * from './organisation/organisation.service.ts';
export { Person } from './organisation/person.entity.ts';
export {
  AccountPlan,
  ExecutionReview,
  PlanAction,
  type PlanContent,
  PlanSignOff,
  PlanStatusChange,
  PlanUnit,
  PlanVersion,
} from './plans/account-plan.entity.ts';
export * from './plans/plan.service.ts';
export { IntimacyProgramme, ProgrammeChecklistItem } from './programme/programme.entity.ts';
export * from './programme/programme.service.ts';
export { Segment } from './segments/segment.entity.ts';
export * from './segments/segment.service.ts';
export {
  ElementImportance,
  GridCell,
  PackageElement,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
} from './segments/service-element.entity.ts';
export { SelectionAssessment } from './selection/assessment.entity.ts';
export { KeyAccountDesignation } from './selection/designation.entity.ts';
export * from './selection/selection.service.ts';
export * from './settings/reference-data.ts';
export { Settings } from './settings/settings.entity.ts';
export * from './settings/settings.schemas.ts';
export * from './settings/settings.service.ts';
export { CustomerSignal, OrganisationMeasurement, SurveyResponse } from './signals/signal.entity.ts';
export * from './signals/signal.schemas.ts';
export * from './signals/signal.service.ts';
export { AccountSnapshot, QuarterSnapshot } from './snapshots/snapshot.entity.ts';
export * from './snapshots/snapshot.reader.ts';
export * from './snapshots/snapshot.types.ts';
export { Contact } from './team/contact.entity.ts';
export * from './team/team.service.ts';
export { TeamMember } from './team/team-member.entity.ts';
export * from './value/value.service.ts';
export { ValueInitiative } from './value/value-initiative.entity.ts';
