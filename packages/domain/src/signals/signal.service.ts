import type { EntityManager } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, lockOnPostgreSql } from '../common/lookup.ts';
import { assertQuarterStarted, quarterOf } from '../common/quarter.ts';
import { assertVersion, notRecorded, writeAs } from '../common/unit-of-work.ts';
import { parseInput } from '../common/validation.ts';
import { quoted } from '../common/words.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Contact } from '../team/contact.entity.ts';
import { marketName, marketScopeKey } from './market.ts';
import { CustomerSignal, OrganisationMeasurement, SurveyResponse } from './signal.entity.ts';
import {
  type RecordMeasurementInput,
  type RecordSignalInput,
  type RecordSurveyInput,
  recordMeasurementSchema,
  recordSignalSchema,
  recordSurveySchema,
  SIGNAL_HAPPENED,
  SURVEY_GIVEN,
  signalValues,
} from './signal.schemas.ts';

function refTaken(what: string, ref: string): DomainError {
  return new DomainError('EXTERNAL_REF_TAKEN', `A ${what} with external ref ${ref} already exists.`, {
    issues: [{ path: ['externalRef'], message: 'already used', code: 'EXTERNAL_REF_TAKEN' }],
  });
}

/**
 * Records a customer signal: feedback (with sentiment), advice or expansion request, referral (with
 * value). It records what has happened: `occurredOn` is not after today (DATE_IN_FUTURE).
 */
export async function recordSignal(em: EntityManager, input: RecordSignalInput, actor: Actor) {
  const data = parseInput(recordSignalSchema, input, 'signal');
  assertNotAfterToday('occurredOn', data.occurredOn, SIGNAL_HAPPENED);
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const externalRef = data.externalRef ?? `kam-signal-${crypto.randomUUID()}`;
    if (await tx.count(CustomerSignal, { externalRef })) throw refTaken('signal', externalRef);
    return tx.create(CustomerSignal, { externalRef, account, ...signalValues(data) });
  });
}

/** Records one satisfaction survey response (score 1–5), given by today (`respondedOn`, else DATE_IN_FUTURE). */
export async function recordSurveyResponse(em: EntityManager, input: RecordSurveyInput, actor: Actor) {
  const data = parseInput(recordSurveySchema, input, 'survey response');
  assertNotAfterToday('respondedOn', data.respondedOn, SURVEY_GIVEN);
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const contact = data.contactId ? await findOrFail(tx, Contact, data.contactId, 'Contact') : null;
    if (contact && contact.account.id !== account.id) {
      await tx.populate(contact, ['account']);
      const message = `Contact ${quoted(contact.name)} belongs to ${contact.account.externalRef}, not ${account.externalRef}.`;
      throw new DomainError('VALIDATION_FAILED', message, {
        issues: [{ path: ['contactId'], message: 'contact of another account', code: 'VALIDATION_FAILED' }],
      });
    }
    const externalRef = data.externalRef ?? `kam-survey-${crypto.randomUUID()}`;
    if (await tx.count(SurveyResponse, { externalRef })) throw refTaken('survey response', externalRef);
    return tx.create(SurveyResponse, {
      externalRef,
      account,
      contact,
      respondedOn: data.respondedOn,
      quarter: quarterOf(data.respondedOn),
      score: data.score,
      comment: data.comment ?? null,
    });
  });
}

/** The scope key column's length (`MeasurementSchema`). */
const SCOPE_KEY_LENGTH = 160;

/**
 * Records (or corrects, with `expectedVersion`) an organisation measurement for a quarter:
 * people satisfaction of a business unit, market share of a market (the schema refuses one
 * without its scope). An `expectedVersion` for a measurement not recorded is VERSION_CONFLICT
 * with `currentVersion: null`, writing nothing.
 * Markets compare by their key (market.ts): "Dach " in a quarter that has "DACH" is the same
 * measurement, refused without `expectedVersion` and corrected with it, and keeps the name it
 * was first recorded under; a market's new measurement takes that market's first name too.
 */
export async function recordMeasurement(em: EntityManager, input: RecordMeasurementInput, actor: Actor) {
  const data = parseInput(recordMeasurementSchema, input, 'measurement');
  // It measures what was, as financials are actuals: a quarter to come has nothing to measure.
  assertQuarterStarted(data.quarter, 'quarter');
  return writeAs(em, actor, async tx => {
    const businessUnit = data.businessUnitId
      ? await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit')
      : null;
    // The schema requires PEOPLE_SATISFACTION's unit and MARKET_SHARE's market: no scope is not an option.
    const scopeKey = businessUnit ? `bu:${businessUnit.code}` : marketScopeKey(data.market ?? '');
    if (scopeKey.length > SCOPE_KEY_LENGTH) {
      // Only compatibility characters that NFKC expands (a ligature to its letters) can get here.
      throw new DomainError('VALIDATION_FAILED', `Market ${quoted(data.market ?? '')} is too long.`, {
        issues: [{ path: ['market'], message: 'too long once normalised', code: 'TOO_BIG' }],
      });
    }
    // Held until the end (PostgreSQL): a first value of the same scope sent at the same time waits,
    // then finds this one and is answered as it would be after it, not by the unique key with the
    // database's text; and a market's first name is the one of the value recorded first.
    await lockOnPostgreSql(tx, 'select pg_advisory_xact_lock(hashtext(?))', [`kam:measurement:${scopeKey}`]);
    const existing = await tx.findOne(OrganisationMeasurement, {
      kind: data.kind,
      quarter: data.quarter,
      scopeKey,
    });
    if (!existing && data.expectedVersion !== undefined) {
      // An expectedVersion says the caller read a stored measurement: recording a new one would
      // hide that they are looking at another quarter, unit or market than they think.
      const scope = businessUnit
        ? `business unit ${businessUnit.code}`
        : `market ${quoted(marketName(data.market ?? ''))}`;
      throw notRecorded(
        `${data.kind} for ${scope} in ${data.quarter}`,
        data.expectedVersion,
        `the quarter and the ${businessUnit ? 'business unit' : 'market'}`,
      );
    }
    if (existing) {
      const label = `${data.kind} for ${existing.market ? `market ${quoted(existing.market)}` : scopeKey} in ${data.quarter}`;
      if (data.expectedVersion === undefined) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `${label} is already recorded (version ${existing.version}); send expectedVersion ${existing.version} to correct it.`,
          { details: { currentVersion: existing.version } },
        );
      }
      assertVersion('OrganisationMeasurement', existing, data.expectedVersion, label);
      existing.value = data.value;
      return existing;
    }
    const market = data.market ? await firstMarketName(tx, scopeKey, data.market) : null;
    return tx.create(OrganisationMeasurement, {
      kind: data.kind,
      quarter: data.quarter,
      businessUnit,
      market,
      scopeKey,
      value: data.value,
    });
  });
}

/** The name a market was first measured under (any quarter), else `written` as `marketName` writes it. */
async function firstMarketName(tx: EntityManager, scopeKey: string, written: string): Promise<string> {
  const first = await tx.findOne(
    OrganisationMeasurement,
    { scopeKey, market: { $ne: null } },
    { orderBy: { id: 'asc' } },
  );
  return first?.market ?? marketName(written);
}
