import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { quarterOf } from '../common/quarter.ts';
import { selectIn } from '../db/sql-writer.ts';
import {
  type SignalRow,
  type SurveyRow,
  signalRowSchema,
  surveyRowSchema,
} from '../signals/signal.schemas.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import {
  applyChanges,
  classify,
  idsByKey,
  loadStored,
  type ResolvedRow,
  rejectDuplicates,
  runBulk,
  type TableSpec,
  unknownAccountRef,
  validateRows,
} from './bulk-engine.ts';

const SIGNALS: TableSpec = {
  table: 'customer_signal',
  entityType: 'CustomerSignal',
  keyColumns: ['external_ref'],
  columns: [
    { property: 'externalRef', column: 'external_ref', kind: 'text' },
    { property: 'account', column: 'account_id', kind: 'int' },
    { property: 'kind', column: 'kind', kind: 'text' },
    { property: 'occurredOn', column: 'occurred_on', kind: 'date' },
    { property: 'quarter', column: 'quarter', kind: 'text' },
    { property: 'sentiment', column: 'sentiment', kind: 'text' },
    { property: 'topic', column: 'topic', kind: 'text' },
    { property: 'value', column: 'value', kind: 'money' },
    { property: 'note', column: 'note', kind: 'text' },
  ],
  keyOf: v => String(v.externalRef),
  versioned: true,
};

const SURVEYS: TableSpec = {
  table: 'survey_response',
  entityType: 'SurveyResponse',
  keyColumns: ['external_ref'],
  columns: [
    { property: 'externalRef', column: 'external_ref', kind: 'text' },
    { property: 'account', column: 'account_id', kind: 'int' },
    { property: 'contact', column: 'contact_id', kind: 'int' },
    { property: 'respondedOn', column: 'responded_on', kind: 'date' },
    { property: 'quarter', column: 'quarter', kind: 'text' },
    { property: 'score', column: 'score', kind: 'int' },
    { property: 'comment', column: 'comment', kind: 'text' },
  ],
  keyOf: v => String(v.externalRef),
  versioned: true,
};

/** Records customer signals (feedback, advice and expansion requests, referrals) keyed by `externalRef`. */
export async function recordSignals(
  em: EntityManager,
  input: readonly SignalRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  const operation = 'recordSignals';
  const validated = validateRows(input, signalRowSchema, options, operation);
  rejectDuplicates(validated, r => r.externalRef, ['externalRef'], 'signal');
  return runBulk(
    em,
    actor,
    operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const accounts = await idsByKey(
        tx,
        'account',
        'external_ref',
        rows.map(r => r.data.accountRef),
      );
      const resolved: ResolvedRow[] = [];
      for (const { index, data } of rows) {
        const account = accounts.get(data.accountRef);
        if (account === undefined) {
          reject(unknownAccountRef(index, data.accountRef));
          continue;
        }
        const values = {
          externalRef: data.externalRef,
          account,
          kind: data.kind,
          occurredOn: data.occurredOn,
          quarter: quarterOf(data.occurredOn),
          sentiment: data.sentiment ?? null,
          topic: data.topic ?? null,
          value: data.value ?? null,
          note: data.note ?? null,
        };
        resolved.push({ index, key: data.externalRef, values });
      }
      return classify(
        SIGNALS,
        resolved,
        await loadStored(
          tx,
          SIGNALS,
          resolved.map(r => r.key),
        ),
      );
    },
    async (tx, plan) => {
      await applyChanges(tx, SIGNALS, plan, actor);
      return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    },
  );
}

/** Records satisfaction survey responses (score 1–5) keyed by `externalRef`. */
export async function recordSurveyResponses(
  em: EntityManager,
  input: readonly SurveyRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  const operation = 'recordSurveyResponses';
  const validated = validateRows(input, surveyRowSchema, options, operation);
  rejectDuplicates(validated, r => r.externalRef, ['externalRef'], 'survey response');
  return runBulk(
    em,
    actor,
    operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const accounts = await idsByKey(
        tx,
        'account',
        'external_ref',
        rows.map(r => r.data.accountRef),
      );
      const contactRefs = [...new Set(rows.flatMap(r => (r.data.contactRef ? [r.data.contactRef] : [])))];
      const contacts = new Map<string, { id: number; account: number }>();
      for (const c of await selectIn<{ id: number; external_ref: string; account_id: number }>(
        tx,
        'select id, external_ref, account_id from contact where external_ref in',
        contactRefs,
      )) {
        contacts.set(c.external_ref, { id: Number(c.id), account: Number(c.account_id) });
      }
      const resolved: ResolvedRow[] = [];
      for (const { index, data } of rows) {
        const account = accounts.get(data.accountRef);
        if (account === undefined) {
          reject(unknownAccountRef(index, data.accountRef));
          continue;
        }
        const contact = data.contactRef ? contacts.get(data.contactRef) : undefined;
        if (data.contactRef && (!contact || contact.account !== account)) {
          reject({
            index,
            path: ['contactRef'],
            code: contact ? 'VALIDATION_FAILED' : 'NOT_FOUND',
            message: contact
              ? `Contact ${data.contactRef} belongs to another account than ${data.accountRef}.`
              : `No contact has external ref ${data.contactRef}.`,
          });
          continue;
        }
        const values = {
          externalRef: data.externalRef,
          account,
          contact: contact?.id ?? null,
          respondedOn: data.respondedOn,
          quarter: quarterOf(data.respondedOn),
          score: data.score,
          comment: data.comment ?? null,
        };
        resolved.push({ index, key: data.externalRef, values });
      }
      return classify(
        SURVEYS,
        resolved,
        await loadStored(
          tx,
          SURVEYS,
          resolved.map(r => r.key),
        ),
      );
    },
    async (tx, plan) => {
      await applyChanges(tx, SURVEYS, plan, actor);
      return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    },
  );
}
