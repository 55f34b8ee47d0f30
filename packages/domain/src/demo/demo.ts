/**
 * The deterministic demo portfolio (foundation issue): business units, people, accounts in a
 * hierarchy, about 12 % key accounts with teams, contacts, plans, opportunities, value
 * initiatives, signals and surveys, and financials for N quarters with a Pareto-shaped
 * revenue curve, key accounts growing faster than the rest, margins that shrink with size and
 * tiers that move over time. Same seed, same data: every random choice comes from one seeded
 * generator (pure-rand), dates derive from the quarters, never from the clock.
 *
 * Written set-based (insertMany in chunks, in one transaction) with an audit entry for every
 * row, like the bulk paths; the generated data obeys every domain rule (scores 1–5, reviews
 * 24 months out, approvals with every unit's sign-off, adoption with both gains and the
 * customer's recognition, phase order).
 */
import type { EntityClass, EntityManager } from '@mikro-orm/core';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { Account } from '../accounts/account.entity.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import type { AuditRecord } from '../audit/audit.writer.ts';
import { insertAuditEntries } from '../audit/audit.writer.ts';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { fromCents } from '../common/money.ts';
import {
  addQuarters,
  lastEndedQuarter,
  parseQuarter,
  type Quarter,
  quarterEnd,
  quarterStart,
} from '../common/quarter.ts';
import { writeAs } from '../common/unit-of-work.ts';
import {
  CONTACT_FUNCTIONS,
  CONTACT_STANCES,
  DESIGN_PHASES,
  type DesignPhase,
  type InitiativeOutcome,
  PLAN_SECTIONS,
  PLAN_TARGET_FIELDS,
  VALUE_TIERS,
  type ValueTier,
} from '../common/vocabulary.ts';
import { type SqlValue, writeRowsReturning } from '../db/sql-writer.ts';
import { TierAssessment } from '../journey/tier-assessment.entity.ts';
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
import { Segment } from '../segments/segment.entity.ts';
import { SelectionAssessment } from '../selection/assessment.entity.ts';
import { KeyAccountDesignation } from '../selection/designation.entity.ts';
import { marketScopeKey } from '../signals/market.ts';
import { CustomerSignal, OrganisationMeasurement, SurveyResponse } from '../signals/signal.entity.ts';
import { Contact } from '../team/contact.entity.ts';
import { TeamMember } from '../team/team-member.entity.ts';
import { ValueInitiative } from '../value/value-initiative.entity.ts';
import {
  COMPANY_KINDS,
  COMPANY_STEMS,
  CONTACT_TITLES,
  COUNTRIES,
  FIRST_NAMES,
  INDUSTRIES,
  INITIATIVE_THEMES,
  LAST_NAMES,
  LEGAL_FORMS,
  LOST_REASONS,
  OPPORTUNITY_THEMES,
  SUBSIDIARY_REGIONS,
} from './names.ts';

export interface DemoOptions {
  accounts: number;
  quarters: number;
  seed: number;
  /** The last quarter with data; the last finished quarter before today when omitted. */
  endQuarter?: string;
}

export interface DemoReport {
  accounts: number;
  keyAccounts: number;
  quarters: Quarter[];
  financialRows: number;
  /** Rows written per table (audit entries included). */
  rows: Record<string, number>;
  ms: number;
}

/** The last fully finished quarter before `now` (on 2026-11-23: 2026-Q3). */
export function defaultEndQuarter(now: Date = new Date()): Quarter {
  return lastEndedQuarter(now);
}

const BUSINESS_UNITS = [
  { code: 'NORDICS', name: 'Nordics', kind: 'GEOGRAPHY' },
  { code: 'DACH', name: 'DACH', kind: 'GEOGRAPHY' },
  { code: 'IBERIA', name: 'Iberia', kind: 'GEOGRAPHY' },
  { code: 'BENELUX', name: 'Benelux', kind: 'GEOGRAPHY' },
  { code: 'SERVICES', name: 'Services & Support', kind: 'OFFERING' },
  { code: 'DIGITAL', name: 'Digital Solutions', kind: 'OFFERING' },
] as const;

/** Segments (002, 004 step 2) by buyer orientation, scope, growth and size. */
const SEGMENTS = [
  {
    code: 'PRICE_LOCAL',
    name: 'Price-driven local buyers',
    buyerOrientation: 'PRICE',
    channel: 'Distributors',
    sizeClass: 'SMALL',
    scope: 'LOCAL',
    growthProfile: 'STABLE',
    description: 'Want the lowest price and a minimal standard package.',
  },
  {
    code: 'PRICE_INTERNATIONAL',
    name: 'Price-driven international buyers',
    buyerOrientation: 'PRICE',
    channel: 'Direct',
    sizeClass: 'LARGE',
    scope: 'INTERNATIONAL',
    growthProfile: 'STABLE',
    description: 'Central procurement, tenders and framework agreements.',
  },
  {
    code: 'LOYAL_GROWTH',
    name: 'Fast-growing partners',
    buyerOrientation: 'LOYALTY',
    channel: 'Direct',
    sizeClass: 'MEDIUM',
    scope: 'LOCAL',
    growthProfile: 'FAST_GROWING',
    description: 'Want joint innovation and a contact per function.',
  },
  {
    code: 'LOYAL_INTERNATIONAL',
    name: 'International partners',
    buyerOrientation: 'LOYALTY',
    channel: 'Direct',
    sizeClass: 'LARGE',
    scope: 'INTERNATIONAL',
    growthProfile: 'STABLE',
    description: 'Multinationals that want shared marketing and supply chain integration.',
  },
] as const;

/** The served markets whose share is measured each quarter. */
const MARKETS = ['Nordics', 'DACH', 'Iberia', 'Benelux'] as const;

const CHUNK = 1000;

class Random {
  readonly #rng: RandomGenerator;
  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }
  /** [0, 1) */
  next(): number {
    return uniformFloat64(this.#rng);
  }
  int(from: number, to: number): number {
    return uniformInt(this.#rng, from, to);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)] as T;
  }
  /** Approximately normal (Irwin–Hall of 4). */
  normal(mean: number, sd: number): number {
    return mean + sd * ((this.next() + this.next() + this.next() + this.next() - 2) / 0.5774);
  }
  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [values[i], values[j]] = [values[j] as T, values[i] as T];
    }
    return values;
  }
}

const money = (units: number): string => fromCents(BigInt(Math.round(units * 100)));
const isoDate = (date: Date): string => date.toISOString().slice(0, 10);
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}
const minDate = (a: string, b: string): string => (a < b ? a : b);
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
function addMonthsTo(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDate(d);
}

/** Everything inserted, per entity, with the audit records to write for it. */
class Writer {
  readonly counts: Record<string, number> = {};
  readonly #audit: AuditRecord[] = [];
  private readonly em: EntityManager;
  private readonly actor: Actor;
  private readonly stamp: Date;
  constructor(em: EntityManager, actor: Actor, stamp: Date) {
    this.em = em;
    this.actor = actor;
    this.stamp = stamp;
  }

  /** Inserts rows (entity property names) set-based and returns their ids in order. */
  async insert<T extends object>(entity: EntityClass<T>, rows: Record<string, unknown>[]): Promise<number[]> {
    const meta = this.em.getMetadata().get(entity);
    const properties = meta.properties as unknown as Record<
      string,
      {
        fieldNames?: string[];
        customType?: { convertToDatabaseValue(value: unknown, platform: unknown): unknown };
      }
    >;
    const platform = this.em.getPlatform();
    const name = meta.className;
    const keys = [...new Set(['createdAt', 'updatedAt', ...rows.flatMap(row => Object.keys(row))])];
    const columns = keys.map(key => {
      const column = properties[key]?.fieldNames?.[0];
      if (!column) throw new Error(`${name} has no property ${key}`);
      return column;
    });
    const convert = keys.map(key => {
      const type = properties[key]?.customType;
      return type
        ? (value: unknown) => (value == null ? null : type.convertToDatabaseValue(value, platform))
        : undefined;
    });
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const values = chunk.map(row =>
        keys.map((key, k) => {
          const value = key === 'createdAt' || key === 'updatedAt' ? (row[key] ?? this.stamp) : row[key];
          const fn = convert[k];
          return (fn ? fn(value) : value) as SqlValue;
        }),
      );
      const { rows: inserted } = await writeRowsReturning<{ id: number }>(
        this.em,
        meta.tableName,
        columns,
        values,
        {
          returning: ['id'],
        },
      );
      for (const [offset, { id }] of inserted.entries()) {
        ids.push(Number(id));
        const row = chunk[offset] as Record<string, unknown>;
        const changes: Record<string, { before: null; after: unknown }> = {};
        for (const [key, value] of Object.entries(row)) {
          if (value !== null && value !== undefined) changes[key] = { before: null, after: value };
        }
        this.#audit.push({ entityType: name, entityId: String(id), action: 'CREATE', changes });
      }
      if (this.#audit.length >= 20_000) await this.flushAudit();
    }
    this.counts[name] = (this.counts[name] ?? 0) + rows.length;
    return ids;
  }

  async flushAudit(): Promise<void> {
    const records = this.#audit.splice(0);
    await insertAuditEntries(this.em, this.actor, records);
    this.counts.AuditEntry = (this.counts.AuditEntry ?? 0) + records.length;
  }
}

interface DemoAccount {
  id: number;
  index: number;
  name: string;
  country: string;
  industry: string;
  /** Annual revenue at the start of the history, in whole euros; 0 for accounts that never bought. */
  annual: number;
  /** 0 = largest. */
  sizeRank: number;
  status: 'ACTIVE' | 'LAPSED' | 'PROSPECT' | 'SUSPECT';
  key: boolean;
  units: number[];
}

/**
 * Loads the demo portfolio into an empty, migrated database. Refuses a database that already
 * holds accounts (DEMO_DATABASE_NOT_EMPTY).
 */
export async function seedDemoPortfolio(
  em: EntityManager,
  options: DemoOptions,
  actor: Actor,
  onProgress?: (step: string, done: number, total: number) => void,
): Promise<DemoReport> {
  const started = performance.now();
  for (const [key, min, max] of [
    ['accounts', 10, 1_000_000],
    ['quarters', 1, 40],
  ] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `${key} must be a whole number from ${min} to ${max}; got ${value}.`,
        {
          issues: [
            { path: [key], message: `a whole number from ${min} to ${max}`, code: 'VALIDATION_FAILED' },
          ],
        },
      );
    }
  }
  const end = parseQuarter(options.endQuarter ?? defaultEndQuarter(), 'endQuarter');
  const quarters = Array.from({ length: options.quarters }, (_, i) =>
    addQuarters(end, i - options.quarters + 1),
  );
  if ((await em.fork().count(Account, {})) > 0) {
    throw new DomainError(
      'DEMO_DATABASE_NOT_EMPTY',
      'The database already holds accounts; the demo portfolio loads only into an empty database (use a new DATABASE_URL or `kam demo`, which starts afresh).',
    );
  }
  const steps = 8;
  let step = 0;
  const progress = (label: string) => onProgress?.(label, ++step, steps);
  const stamp = new Date(`${quarterEnd(end)}T18:00:00Z`);
  const random = new Random(options.seed);
  /** A day from `from` to `to`, both included. */
  const between = (from: string, to: string): string =>
    addDays(from, random.int(0, Math.max(0, dayNumber(to) - dayNumber(from))));

  const report = await writeAs(em, actor, async tx => {
    const w = new Writer(tx, actor, stamp);

    // Business units and people.
    const existingUnits = await tx.find(BusinessUnit, {}, { orderBy: { id: 'asc' } });
    const unitIds = existingUnits.length
      ? existingUnits.map(u => u.id)
      : await w.insert(
          BusinessUnit,
          BUSINESS_UNITS.map(u => ({ ...u })),
        );
    const unitCodes = existingUnits.length ? existingUnits.map(u => u.code) : BUSINESS_UNITS.map(u => u.code);
    const segmentIds =
      (await tx.count(Segment, {})) === 0
        ? await w.insert(
            Segment,
            SEGMENTS.map(s => ({ ...s })),
          )
        : [];
    const peopleCount = 40 + Math.ceil(options.accounts / 40);
    const people = Array.from({ length: peopleCount }, (_, i) => {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      return {
        name: `${first} ${last}`,
        email: `${`${first}.${last}.${i + 1}`.toLowerCase().replace(/[^a-z0-9.]/g, '')}@kam-demo.example`,
        title:
          i < 6
            ? 'Business Unit Director'
            : random.pick(['Key Account Manager', 'Account Director', 'Sales Engineer', 'Service Manager']),
        businessUnit: unitIds[i % unitIds.length],
        active: true,
      };
    });
    const personIds = await w.insert(Person, people);
    progress('business units and people');

    // Accounts: a Pareto-shaped base; group parents first so children can point at them.
    const n = options.accounts;
    const order = random.shuffle(Array.from({ length: n }, (_, i) => i));
    const activeShare = 0.45;
    const demo: DemoAccount[] = [];
    const groupParents = Math.max(1, Math.floor(n * 0.04));
    for (let index = 0; index < n; index++) {
      const rankSlot = order[index] as number; // 0 = would be the largest
      const roll = random.next();
      const status: DemoAccount['status'] =
        rankSlot < n * activeShare ? 'ACTIVE' : roll < 0.08 ? 'LAPSED' : roll < 0.4 ? 'PROSPECT' : 'SUSPECT';
      const sizeRank = status === 'ACTIVE' ? rankSlot : n;
      // Pareto-shaped: revenue ∝ e^(-1.5x) / (x + 0.01) at relative rank x, with noise; the
      // largest about EUR 30 M a year, the median about EUR 280 k. The top 20 % of the buying
      // accounts make about 78 % of the revenue at every portfolio size.
      const x =
        (status === 'ACTIVE' ? sizeRank : n * activeShare * (0.3 + 0.7 * random.next())) / (n * activeShare);
      const annual =
        status === 'ACTIVE' || status === 'LAPSED'
          ? Math.max(2_000, ((300_000 * Math.exp(-1.5 * x)) / (x + 0.01)) * Math.exp(random.normal(0, 0.15)))
          : 0;
      const industry = random.pick(INDUSTRIES);
      const country = random.pick(COUNTRIES);
      const stem = random.pick(COMPANY_STEMS);
      const kind = random.pick(COMPANY_KINDS[industry] as readonly string[]);
      const name = `${stem} ${kind} ${random.pick(LEGAL_FORMS[country] as readonly string[])}`;
      // Key accounts: mostly among the largest, some strategic picks further down (≈ 12 %).
      const key = status === 'ACTIVE' && (sizeRank < n * 0.12 ? random.chance(0.85) : random.chance(0.05));
      const unitCount =
        status === 'ACTIVE'
          ? Math.min(unitIds.length, 1 + (sizeRank < n * 0.1 ? random.int(1, 3) : random.int(0, 1)))
          : 1;
      const units = random.shuffle([...unitIds]).slice(0, unitCount);
      demo.push({ id: 0, index, name, country, industry, annual, sizeRank, status, key, units });
    }
    // Key and large accounts lean towards loyalty, the long tail towards price; half the
    // accounts that never bought are not segmented yet.
    const segmentFor = (a: DemoAccount): number | null => {
      if (segmentIds.length < 4) return null;
      const large = a.sizeRank < n * 0.1;
      const roll = random.next();
      if (a.status === 'PROSPECT' || a.status === 'SUSPECT') {
        return roll < 0.5 ? null : (segmentIds[roll < 0.8 ? 0 : 2] as number);
      }
      if (a.key) return segmentIds[roll < 0.2 ? (large ? 1 : 0) : large ? 3 : 2] as number;
      if (large) return segmentIds[roll < 0.6 ? 1 : 3] as number;
      return segmentIds[roll < 0.65 ? 0 : 2] as number;
    };
    const accountRows = demo.map((a, i) => {
      const isChild = i >= groupParents && random.chance(0.12);
      const parentIndex = isChild ? random.int(0, groupParents - 1) : -1;
      const name = isChild
        ? `${demo[parentIndex]?.name.split(' ').slice(0, 2).join(' ')} ${random.pick(SUBSIDIARY_REGIONS)}`
        : a.name;
      a.name = name;
      return {
        row: {
          externalRef: `CRM-${String(100_001 + i)}`,
          name,
          industry: a.industry,
          country: a.country,
          segment: segmentFor(a),
          customerSince:
            a.status === 'ACTIVE' || a.status === 'LAPSED'
              ? addDays(quarterStart(quarters[0] as Quarter), -random.int(60, 5000))
              : null,
        },
        parentIndex,
      };
    });
    // Parents (indices < groupParents) are inserted first, then the rest with their parent's id.
    const parentIds = await w.insert(
      Account,
      accountRows.slice(0, groupParents).map(r => r.row),
    );
    const restIds = await w.insert(
      Account,
      accountRows
        .slice(groupParents)
        .map(r => ({ ...r.row, parent: r.parentIndex >= 0 ? parentIds[r.parentIndex] : null })),
    );
    [...parentIds, ...restIds].forEach((id, i) => {
      (demo[i] as DemoAccount).id = id;
    });
    progress('accounts');

    // Financials: per account, quarter and business unit.
    // Written in blocks as they are generated, so the 100k-account history never sits in memory.
    const financials: Record<string, unknown>[] = [];
    let financialRows = 0;
    const writeFinancials = async () => {
      financialRows += financials.length;
      await w.insert(QuarterlyFinancial, financials.splice(0));
      await w.flushAudit();
    };
    const lastIndex = quarters.length - 1;
    for (const a of demo) {
      if (a.status !== 'ACTIVE' && a.status !== 'LAPSED') continue;
      const size = 1 - Math.min(1, a.sizeRank / (n * activeShare)); // 1 = largest
      const margin = 0.44 - 0.16 * size; // margins shrink with size
      const growth = a.key ? 0.026 + random.normal(0.006, 0.008) : 0.012 + random.normal(0, 0.008);
      const shares = a.units.map(() => 0.5 + random.next());
      const total = shares.reduce((s, v) => s + v, 0);
      // Lapsed accounts stopped buying early in the history.
      const lapsedAfter = a.status === 'LAPSED' ? random.int(0, Math.min(1, lastIndex)) : lastIndex;
      for (const [qi, quarter] of quarters.entries()) {
        if (qi > lapsedAfter) break;
        const seasonal =
          1 +
          0.06 * Math.sin(((quarter.endsWith('Q4') ? 3 : Number(quarter.slice(-1)) - 1) / 4) * 2 * Math.PI);
        const quarterly = (a.annual / 4) * (1 + growth) ** qi * seasonal * Math.exp(random.normal(0, 0.05));
        for (const [ui, unit] of a.units.entries()) {
          const revenue = Math.max(0, quarterly * ((shares[ui] as number) / total));
          const grossProfit = revenue * Math.max(0.05, margin + random.normal(0, 0.03));
          const costToServe = revenue * (a.key ? 0.06 : 0.035) * (1 + random.normal(0, 0.15) ** 2);
          financials.push({
            account: a.id,
            quarter,
            businessUnit: unit,
            revenue: money(revenue),
            grossProfit: money(grossProfit),
            costToServe: money(Math.max(0, costToServe)),
            potential: a.key ? money(revenue * (1.3 + random.next())) : null,
          });
        }
        // Whitespace: key accounts have potential with a unit they do not buy from yet.
        if (a.key && qi >= lastIndex - 3) {
          const other = unitIds.find(u => !a.units.includes(u));
          if (other !== undefined && a.index % 3 !== 0) {
            financials.push({
              account: a.id,
              quarter,
              businessUnit: other,
              revenue: '0.00',
              grossProfit: '0.00',
              costToServe: '0.00',
              potential: money(quarterly * (0.3 + random.next())),
            });
          }
        }
      }
      if (financials.length >= 20_000) await writeFinancials();
    }
    await writeFinancials();
    progress('financials');

    // Key accounts: selection, designation, tiers.
    const keys = demo.filter(a => a.key);
    const first = quarters[0] as Quarter;
    const assessments: Record<string, unknown>[] = [];
    const designations: Record<string, unknown>[] = [];
    const tiers: Record<string, unknown>[] = [];
    const endDate = quarterEnd(end);
    for (const a of keys) {
      const strong = random.next();
      const score = (bias: number) =>
        Math.max(1, Math.min(5, Math.round(random.normal(2.6 + bias * 2, 0.9))));
      assessments.push({
        account: a.id,
        assessedOn: addDays(quarterStart(addQuarters(end, -random.int(0, 3))), random.int(0, 80)),
        assessedBy: random.pick(personIds),
        marketLeadership: score(strong),
        innovationLeadership: score(strong),
        growthFit: score(strong),
        otherUnitsPotential: score(strong),
        loyalty: score(strong),
        informationSharing: score(strong),
        engagementDesire: score(strong),
        buyingBasis: score(strong - 0.2),
        sustainableRevenue: random.chance(0.85),
        defectionInfluencesOthers: random.chance(0.4),
        winningImprovesOthers: null,
        notes: null,
      });
      // Designated before the history starts for most; 10 % have a review that is already overdue.
      const designatedOn = addDays(quarterStart(first), -random.int(30, 900));
      const overdue = random.chance(0.1);
      const months = overdue ? 24 : 24 + random.int(0, 12);
      let reviewDueOn = addMonthsTo(designatedOn, months);
      if (!overdue && reviewDueOn <= endDate) reviewDueOn = addMonthsTo(endDate, random.int(1, 20));
      if (reviewDueOn < addMonthsTo(designatedOn, 24)) reviewDueOn = addMonthsTo(designatedOn, 24);
      designations.push({
        account: a.id,
        designatedOn,
        reviewDueOn,
        designatedBy: random.pick(personIds),
        reason: 'Attractive and strong relationship (selection matrix).',
      });
      // Tiers move over time, mostly towards TIER_1.
      let tier = random.chance(0.55) ? 0 : random.chance(0.7) ? 1 : 2;
      for (const quarter of quarters) {
        const move = random.next();
        if (move < 0.16 && tier < 3) tier += 1;
        else if (move > 0.97 && tier > 0) tier -= 1;
        tiers.push({
          account: a.id,
          quarter,
          tier: VALUE_TIERS[tier] as ValueTier,
          evidence: TIER_EVIDENCE[tier] as string,
          assessedBy: random.pick(personIds),
        });
      }
    }
    await w.insert(SelectionAssessment, assessments);
    await w.insert(KeyAccountDesignation, designations);
    await w.insert(TierAssessment, tiers);
    await w.flushAudit();
    progress('selection, designations and tiers');

    // Teams and contacts.
    const team: Record<string, unknown>[] = [];
    const contacts: Record<string, unknown>[] = [];
    const contactAccount: number[] = [];
    let contactNo = 0;
    for (const a of keys) {
      if (random.chance(0.95))
        team.push({
          account: a.id,
          person: random.pick(personIds),
          role: 'KEY_ACCOUNT_MANAGER',
          geography: null,
          since: addDays(quarterStart(first), -random.int(0, 700)),
        });
      if (random.chance(0.88))
        team.push({
          account: a.id,
          person: random.pick(personIds.slice(0, 6)),
          role: 'SPONSOR',
          geography: null,
          since: addDays(quarterStart(first), -random.int(0, 700)),
        });
      for (let i = random.int(1, 2); i > 0; i--) {
        team.push({
          account: a.id,
          person: random.pick(personIds),
          role: random.pick(['SUPPORT', 'COACH', 'BUSINESS_UNIT_LEAD'] as const),
          geography: random.chance(0.3) ? random.pick(SUBSIDIARY_REGIONS) : null,
          since: null,
        });
      }
      const procurementOnly = random.chance(0.08);
      for (let i = procurementOnly ? 1 : random.int(3, 6); i > 0; i--) {
        const fn = procurementOnly || i === 1 ? 'PROCUREMENT' : random.pick(CONTACT_FUNCTIONS);
        const first = random.pick(FIRST_NAMES);
        const last = random.pick(LAST_NAMES);
        contactNo += 1;
        contacts.push({
          externalRef: `CT-${String(contactNo).padStart(7, '0')}`,
          account: a.id,
          name: `${first} ${last}`,
          title: random.pick(CONTACT_TITLES[fn] as readonly string[]),
          email: `${`${first}.${last}.${contactNo}`.toLowerCase().replace(/[^a-z0-9.]/g, '')}@customer.example`,
          function: fn,
          influence: random.int(1, 5),
          stance: random.pick(CONTACT_STANCES),
          whatTheyValue: random.pick([
            'Reliability of supply',
            'Total cost',
            'Innovation',
            'Speed of response',
            'Sustainability',
          ]),
          lastContactOn: addDays(endDate, -random.int(0, 300)),
          counterpart: random.chance(0.7) ? random.pick(personIds) : null,
        });
        contactAccount.push(a.id);
      }
    }
    // One row per account, person and role (the team's unique key).
    const uniqueTeam = [
      ...new Map(team.map(row => [`${row.account}:${row.person}:${row.role}`, row])).values(),
    ];
    await w.insert(TeamMember, uniqueTeam);
    const contactIds = await w.insert(Contact, contacts);
    await w.flushAudit();
    progress('teams and contacts');

    // Plans for the current year in every status, with units, sign-offs, versions, reviews and actions.
    const year = Number(end.slice(0, 4));
    const plans: Record<string, unknown>[] = [];
    const planMeta: { account: DemoAccount; status: string; year: number }[] = [];
    for (const a of keys) {
      const roll = random.next();
      const status = roll < 0.12 ? 'DRAFT' : roll < 0.3 ? 'IN_REVIEW' : 'APPROVED';
      const annualTarget = a.annual * (1.05 + random.next() * 0.15);
      const section = (title: string) =>
        `${title} for ${a.name}: ${random.pick(['grow share of wallet', 'secure the framework renewal', 'expand into a second business unit', 'prove value through a joint initiative'])}.`;
      const base = {
        account: a.id,
        owner: random.pick(personIds),
        baselines: section('Baselines'),
        currentRelationship: section('Relationship'),
        growthOpportunities: section('Growth'),
        requiredActions: section('Actions'),
        customerValue: section('Customer value'),
        investmentAndCostToServe: section('Investment'),
        actionPlanAndDeal: section('Deal'),
        revenueTarget: money(annualTarget),
        marginTargetPercent: (28 + random.int(0, 10)).toFixed(2),
        inYearTarget: money(annualTarget * 0.95),
        estimatedCustomerValue: money(annualTarget * 0.05),
        estimatedInvestment: money(annualTarget * 0.01),
        estimatedCostToServe: money(annualTarget * 0.05),
      };
      plans.push({
        ...base,
        year,
        status,
        startsOn: `${year}-01-01`,
        endsOn: `${year}-12-31`,
        latestVersionNumber: status === 'DRAFT' ? 0 : 1,
        submittedOn: status === 'DRAFT' ? null : `${year}-01-${String(random.int(10, 28)).padStart(2, '0')}`,
        approvedOn: status === 'APPROVED' ? `${year}-02-${String(random.int(1, 27)).padStart(2, '0')}` : null,
        closedOn: null,
      });
      planMeta.push({ account: a, status, year });
      if (random.chance(0.35)) {
        plans.push({
          ...base,
          year: year - 1,
          status: 'CLOSED',
          startsOn: `${year - 1}-01-01`,
          endsOn: `${year - 1}-12-31`,
          latestVersionNumber: 1,
          submittedOn: `${year - 1}-01-15`,
          approvedOn: `${year - 1}-02-10`,
          closedOn: `${year}-01-20`,
        });
        planMeta.push({ account: a, status: 'CLOSED', year: year - 1 });
      }
    }
    const planIds = await w.insert(AccountPlan, plans);
    // Each plan's status history, as the plan workflows write it: drafted on 1 December of the
    // year before, then submitted, approved and closed on the plan's own dates.
    const statusChanges: Record<string, unknown>[] = [];
    for (const [i, meta] of planMeta.entries()) {
      const plan = planIds[i] as number;
      const row = plans[i] as Record<string, unknown>;
      const step = (step: string, fromStatus: string | null, status: string, changedOn: unknown, v: number) =>
        statusChanges.push({ plan, step, fromStatus, status, changedOn, versionNumber: v });
      step('CREATED', null, 'DRAFT', `${meta.year - 1}-12-01`, 0);
      if (meta.status === 'DRAFT') continue;
      step('SUBMITTED', 'DRAFT', 'IN_REVIEW', row.submittedOn, 1);
      if (meta.status === 'IN_REVIEW') continue;
      step('APPROVED', 'IN_REVIEW', 'APPROVED', row.approvedOn, 1);
      if (meta.status === 'CLOSED') step('CLOSED', 'APPROVED', 'CLOSED', row.closedOn, 1);
    }
    await w.insert(PlanStatusChange, statusChanges);
    const planUnits: Record<string, unknown>[] = [];
    const signOffs: Record<string, unknown>[] = [];
    const versions: Record<string, unknown>[] = [];
    const reviews: Record<string, unknown>[] = [];
    const actions: Record<string, unknown>[] = [];
    for (const [i, meta] of planMeta.entries()) {
      const plan = planIds[i] as number;
      const units = meta.account.units;
      for (const unit of units) planUnits.push({ plan, businessUnit: unit });
      if (meta.status === 'DRAFT') continue;
      const row = plans[i] as Record<string, unknown>;
      versions.push({
        plan,
        number: 1,
        frozenAt: new Date(`${row.submittedOn as string}T12:00:00Z`),
        submittedBy: row.owner,
        content: {
          sections: Object.fromEntries(PLAN_SECTIONS.map(k => [k, row[k] as string])),
          // Every target a version freezes (planContent), as the plan holds it.
          targets: Object.fromEntries(PLAN_TARGET_FIELDS.map(k => [k, row[k] as string])),
          businessUnits: units.map(u => unitCodes[unitIds.indexOf(u)] as string).sort(),
        },
      });
      const signing = meta.status === 'IN_REVIEW' ? units.slice(0, Math.max(0, units.length - 1)) : units;
      for (const unit of signing) {
        signOffs.push({
          plan,
          businessUnit: unit,
          signedBy: personIds[unitIds.indexOf(unit) % personIds.length],
          signedOn: row.submittedOn,
          planVersionNumber: 1,
          comment: null,
        });
      }
      if (meta.status === 'APPROVED' || meta.status === 'CLOSED') {
        // Quarterly reviews from the approval on; 15 % of the running plans have none (flagged).
        const planEnd = meta.status === 'CLOSED' ? `${meta.year}-12-31` : endDate;
        const skip = meta.status === 'APPROVED' && random.chance(0.15);
        for (let r = 0; !skip; r++) {
          const reviewedOn = addDays(row.approvedOn as string, 80 + r * 91 + random.int(-10, 10));
          if (reviewedOn > planEnd) break;
          reviews.push({
            plan,
            reviewedOn,
            reviewer: random.pick(personIds),
            assessment: random.pick(['ON_TRACK', 'ON_TRACK', 'AT_RISK', 'OFF_TRACK'] as const),
            progress: 'Quarterly review with the account team.',
            blockers: random.chance(0.3) ? 'Customer budget freeze in one region.' : '',
            helpNeeded: '',
            revenueToDate: null,
          });
        }
        for (let k = random.int(2, 4); k > 0; k--) {
          const dueOn = addDays(`${meta.year}-01-01`, random.int(30, 360));
          const completedOn = addDays(dueOn, -random.int(0, 20));
          const picked = random.pick(['OPEN', 'IN_PROGRESS', 'DONE', 'DONE', 'CANCELLED'] as const);
          // Nothing is done after the last day of the history.
          const status = picked === 'DONE' && completedOn > endDate ? 'IN_PROGRESS' : picked;
          actions.push({
            plan,
            description: random.pick([
              'Run the joint business review',
              'Map the buying centre',
              'Propose the service package',
              'Agree the value initiative pilot',
              'Introduce the sponsor to the customer CEO',
            ]),
            owner: random.pick(personIds),
            dueOn,
            status,
            completedOn: status === 'DONE' ? completedOn : null,
          });
        }
      }
    }
    await w.insert(PlanUnit, planUnits);
    await w.insert(PlanVersion, versions);
    await w.insert(PlanSignOff, signOffs);
    await w.insert(ExecutionReview, reviews);
    await w.insert(PlanAction, actions);
    await w.flushAudit();
    progress('plans');

    // Opportunities (key accounts and some prospects), value initiatives.
    const opportunities: Record<string, unknown>[] = [];
    let opportunityNo = 0;
    const historyStart = quarterStart(first);
    for (const a of demo) {
      const count = a.key
        ? random.int(2, 5)
        : a.status === 'PROSPECT'
          ? random.chance(0.5)
            ? 1
            : 0
          : a.status === 'ACTIVE' && random.chance(0.08)
            ? 1
            : 0;
      for (let i = 0; i < count; i++) {
        opportunityNo += 1;
        const qualified = random.chance(0.75);
        const roll = random.next();
        const outcome =
          !qualified || roll < 0.4
            ? 'OPEN'
            : roll < 0.75
              ? a.key
                ? 'WON'
                : random.pick(['WON', 'LOST'] as const)
              : 'LOST';
        const qualifiedOn = qualified
          ? addDays(historyStart, random.int(0, quarters.length * 91 - 60))
          : null;
        const decidedOn =
          outcome === 'OPEN' || !qualifiedOn ? null : addDays(qualifiedOn, random.int(10, 120));
        opportunities.push({
          externalRef: `OPP-${String(opportunityNo).padStart(7, '0')}`,
          account: a.id,
          businessUnit: random.pick(a.units),
          name: `${random.pick(OPPORTUNITY_THEMES)} — ${a.name}`,
          value: money(Math.max(5_000, (a.annual || 200_000) * (0.05 + random.next() * 0.3))),
          qualified,
          qualifiedOn,
          expectedCloseOn: addDays(qualifiedOn ?? endDate, random.int(30, 200)),
          outcome: decidedOn && decidedOn > endDate ? 'OPEN' : outcome,
          decidedOn: decidedOn && decidedOn > endDate ? null : decidedOn,
          lostReason:
            outcome === 'LOST' && decidedOn && decidedOn <= endDate ? random.pick(LOST_REASONS) : null,
        });
      }
    }
    await w.insert(Opportunity, opportunities);

    // Value initiatives: some running in every phase, the others ended or sent back to testing,
    // each in a state the value service could have reached (adopted only after the live test with
    // both gains positive and the customer's recognition; revised ones back at TEST_PLAN;
    // combined only into an initiative that is still running and had started by then).
    const initiatives: Record<string, unknown>[] = [];
    const combined: { account: number; row: Record<string, unknown> }[] = [];
    const liveTest = DESIGN_PHASES.indexOf('LIVE_TEST');
    let running = 0;
    for (const a of keys) {
      for (let i = random.int(1, 3); i > 0; i--) {
        const startedOn = addDays(endDate, -random.int(60, 240 + quarters.length * 91));
        const endedOn = minDate(addDays(startedOn, random.int(60, 300)), endDate);
        const roll = random.next();
        let phaseIndex: number;
        let outcome: InitiativeOutcome | null = null;
        if (roll < 0.34) {
          // Running: the first ten cover every phase once.
          phaseIndex = running < DESIGN_PHASES.length ? running : random.int(0, DESIGN_PHASES.length - 1);
          running += 1;
        } else if (roll < 0.66) {
          outcome = 'ADOPTED';
          phaseIndex = random.int(DESIGN_PHASES.indexOf('REVIEW_AND_REFINE'), DESIGN_PHASES.length - 1);
        } else if (roll < 0.82) {
          outcome = 'REJECTED';
          phaseIndex = random.int(0, DESIGN_PHASES.length - 1);
        } else if (roll < 0.92) {
          outcome = 'REVISED';
          phaseIndex = DESIGN_PHASES.indexOf('TEST_PLAN');
        } else {
          outcome = 'COMBINED';
          phaseIndex = random.int(0, DESIGN_PHASES.indexOf('LIVE_TEST'));
        }
        const tested = phaseIndex >= liveTest || outcome === 'REVISED';
        const adopted = outcome === 'ADOPTED';
        const customerGain =
          adopted || (tested && random.chance(0.7)) ? a.annual * (0.005 + random.next() * 0.03) : 0;
        const supplierGain =
          adopted || (tested && random.chance(0.7)) ? a.annual * (0.002 + random.next() * 0.02) : 0;
        const recognised = adopted || (outcome === null && tested && customerGain > 0 && random.chance(0.6));
        const copied = adopted && random.chance(0.1);
        const category = copied
          ? 'EXPECTED'
          : adopted
            ? 'PROVEN'
            : phaseIndex < liveTest
              ? random.pick(['UNTAPPED', 'UNTAPPED', 'PERCEIVED'] as const)
              : random.pick(['PERCEIVED', 'UNTAPPED', 'EXPECTED'] as const);
        const row = {
          name: random.pick(INITIATIVE_THEMES),
          account: a.id,
          owner: random.pick(personIds),
          category,
          phase: DESIGN_PHASES[phaseIndex] as DesignPhase,
          outcome,
          desiredGains: 'Lower total cost for the customer; a larger share of wallet for us.',
          customerGain: customerGain > 0 ? money(Math.max(1_000, customerGain)) : null,
          supplierGain: supplierGain > 0 ? money(Math.max(1_000, supplierGain)) : null,
          customerRecognised: recognised,
          recognisedOn: recognised ? between(startedOn, adopted ? endedOn : endDate) : null,
          recognitionNote: recognised ? 'Confirmed by the customer in the quarterly business review.' : null,
          copiedByCompetitor: copied,
          revisionCount: outcome === 'REVISED' ? random.int(1, 2) : 0,
          startedOn,
          endedOn: outcome === 'ADOPTED' || outcome === 'REJECTED' || outcome === 'COMBINED' ? endedOn : null,
        };
        if (outcome === 'COMBINED') combined.push({ account: a.id, row });
        else initiatives.push(row);
      }
    }
    const initiativeIds = await w.insert(ValueInitiative, initiatives);
    // Combined initiatives point at a running one that had started by the day of the combination,
    // on the same account where there is one.
    const runningInitiatives: { id: number; account: number; startedOn: string }[] = [];
    for (const [i, row] of initiatives.entries()) {
      if (row.outcome !== null && row.outcome !== 'REVISED') continue;
      runningInitiatives.push({
        id: initiativeIds[i] as number,
        account: row.account as number,
        startedOn: row.startedOn as string,
      });
    }
    const combinedRows = combined.map(({ account, row }) => {
      const started = runningInitiatives.filter(r => r.startedOn <= (row.endedOn as string));
      const into =
        started.find(r => r.account === account)?.id ??
        (started.length ? random.pick(started).id : undefined);
      return into === undefined ? { ...row, outcome: 'REJECTED' } : { ...row, combinedInto: into };
    });
    await w.insert(ValueInitiative, combinedRows);
    await w.flushAudit();
    progress('opportunities and value initiatives');
    // Signals, surveys and organisation measurements for every quarter.
    const signals: Record<string, unknown>[] = [];
    const surveys: Record<string, unknown>[] = [];
    let signalNo = 0;
    let surveyNo = 0;
    const contactsOf = new Map<number, number[]>();
    for (const [i, id] of contactIds.entries()) {
      const account = contactAccount[i] as number;
      contactsOf.set(account, [...(contactsOf.get(account) ?? []), id]);
    }
    for (const a of keys) {
      for (const [qi, quarter] of quarters.entries()) {
        const maturity = qi / Math.max(1, quarters.length - 1);
        const day = () => addDays(quarterStart(quarter), random.int(0, 85));
        const add = (kind: string, extra: Record<string, unknown>) => {
          signalNo += 1;
          signals.push({
            externalRef: `SIG-${String(signalNo).padStart(8, '0')}`,
            account: a.id,
            kind,
            occurredOn: day(),
            quarter,
            sentiment: null,
            topic: null,
            value: null,
            note: null,
            ...extra,
          });
        };
        for (let f = random.int(0, 2); f > 0; f--)
          add('FEEDBACK', {
            sentiment: random.chance(0.55 + 0.15 * maturity)
              ? 'POSITIVE'
              : random.pick(['NEUTRAL', 'NEGATIVE'] as const),
            topic: random.pick(['Delivery', 'Quality', 'Service', 'Price']),
          });
        if (random.chance(0.25 + 0.2 * maturity))
          add('ADVICE_REQUEST', { topic: random.pick(['Process redesign', 'Market outlook', 'Regulation']) });
        if (random.chance(0.15 + 0.15 * maturity))
          add('EXPANSION_REQUEST', {
            topic: random.pick(['New site', 'New product line', 'Another region']),
          });
        if (random.chance(0.05 + 0.06 * maturity))
          add('REFERRAL', {
            value: money(50_000 + random.next() * 400_000),
            topic: 'Introduced us to a peer company',
          });
        const contactsHere = contactsOf.get(a.id) ?? [];
        if (contactsHere.length && random.chance(0.8)) {
          surveyNo += 1;
          surveys.push({
            externalRef: `SRV-${String(surveyNo).padStart(8, '0')}`,
            account: a.id,
            contact: random.pick(contactsHere),
            respondedOn: day(),
            quarter,
            score: Math.max(1, Math.min(5, Math.round(random.normal(3.4 + 0.5 * maturity, 0.8)))),
            comment: null,
          });
        }
      }
    }
    await w.insert(CustomerSignal, signals);
    await w.insert(SurveyResponse, surveys);
    const measurements: Record<string, unknown>[] = [];
    for (const [qi, quarter] of quarters.entries()) {
      for (const [ui, unit] of unitIds.entries()) {
        measurements.push({
          kind: 'PEOPLE_SATISFACTION',
          quarter,
          businessUnit: unit,
          market: null,
          scopeKey: `bu:${unitCodes[ui]}`,
          value: (68 + qi * 0.6 + random.normal(0, 2)).toFixed(2),
        });
      }
      for (const [mi, market] of MARKETS.entries()) {
        measurements.push({
          kind: 'MARKET_SHARE',
          quarter,
          businessUnit: null,
          market,
          scopeKey: marketScopeKey(market),
          value: (8 + mi * 2.5 + qi * 0.15 + random.normal(0, 0.2)).toFixed(2),
        });
      }
    }
    await w.insert(OrganisationMeasurement, measurements);
    await w.flushAudit();
    progress('signals, surveys and measurements');

    return {
      accounts: n,
      keyAccounts: keys.length,
      quarters,
      financialRows,
      rows: w.counts,
    };
  });
  return { ...report, ms: Math.round(performance.now() - started) };
}

const TIER_EVIDENCE = [
  'Every deal is a price negotiation with procurement; no access beyond the buyer.',
  'Our quality and delivery are recognised as better than the alternatives.',
  'The customer asks our advice and involves us early in their planning.',
  'Joint initiatives create value both sides can measure; access at executive level.',
] as const;
