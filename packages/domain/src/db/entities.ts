import { ApiToken, IdempotencyRecord } from '../access/api-token.entity.ts';
import { Account } from '../accounts/account.entity.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { TierAssessment } from '../journey/tier-assessment.entity.ts';
import { KpiDefinition } from '../kpis/kpi-definition.entity.ts';
import { Opportunity } from '../opportunities/opportunity.entity.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Person } from '../organisation/person.entity.ts';
import {
  AccountPlan,
  ExecutionReview,
  PlanAction,
  PlanSignOff,
  PlanStatusChange,
  PlanUnit,
  PlanVersion,
} from '../plans/account-plan.entity.ts';
import { IntimacyProgramme, ProgrammeChecklistItem } from '../programme/programme.entity.ts';
import { Segment } from '../segments/segment.entity.ts';
import {
  ElementImportance,
  GridCell,
  PackageElement,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
} from '../segments/service-element.entity.ts';
import { SelectionAssessment } from '../selection/assessment.entity.ts';
import { KeyAccountDesignation } from '../selection/designation.entity.ts';
import { KeyAccountDesignationReview } from '../selection/designation-review.entity.ts';
import { Settings } from '../settings/settings.entity.ts';
import { CustomerSignal, OrganisationMeasurement, SurveyResponse } from '../signals/signal.entity.ts';
import { AccountSnapshot, QuarterSnapshot } from '../snapshots/snapshot.entity.ts';
import { Contact } from '../team/contact.entity.ts';
import { TeamMember } from '../team/team-member.entity.ts';
import { ValueInitiative } from '../value/value-initiative.entity.ts';

/** Every entity, listed explicitly for MikroORM discovery. */
export const ENTITIES = [
  BusinessUnit,
  Person,
  Segment,
  ServiceElement,
  ElementImportance,
  ServicePackage,
  PackageElement,
  GridCell,
  ServiceStandard,
  Account,
  QuarterlyFinancial,
  SelectionAssessment,
  KeyAccountDesignation,
  KeyAccountDesignationReview,
  TierAssessment,
  TeamMember,
  Contact,
  AccountPlan,
  PlanUnit,
  PlanSignOff,
  PlanVersion,
  PlanStatusChange,
  ExecutionReview,
  PlanAction,
  Opportunity,
  ValueInitiative,
  CustomerSignal,
  SurveyResponse,
  OrganisationMeasurement,
  KpiDefinition,
  IntimacyProgramme,
  ProgrammeChecklistItem,
  Settings,
  AuditEntry,
  ApiToken,
  IdempotencyRecord,
  QuarterSnapshot,
  AccountSnapshot,
];
