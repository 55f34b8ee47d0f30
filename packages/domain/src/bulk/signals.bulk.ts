import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { quarterOf } from '../common/quarter.ts';
import { selectIn } from '../db/sql-writer.ts';
import {
  type SignalRow,
  type SurveyRow,
  signalRowSchema,
  signalValues,
  surveyRowSchema,
} from '../signals/signal.schemas.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import { type TableSpec, upsertByExternalRef } from './bulk-engine.ts';

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
  return upsertByExternalRef(em, input, options, actor, {
    operation: 'recordSignals',
    schema: signalRowSchema,
    spec: SIGNALS,
    what: 'signal',
    lookups: async () => undefined,
    build: ({ data }, account) => ({ externalRef: data.externalRef, account, ...signalValues(data) }),
  });
}

/** Records satisfaction survey responses (score 1–5) keyed by `externalRef`. */
export async function recordSurveyResponses(
  em: EntityManager,
  input: readonly SurveyRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  return upsertByExternalRef(em, input, options, actor, {
    operation: 'recordSurveyResponses',
    schema: surveyRowSchema,
    spec: SURVEYS,
    what: 'survey response',
    lookups: async (tx, rows) => {
      const contactRefs = [...new Set(rows.flatMap(r => (r.data.contactRef ? [r.data.contactRef] : [])))];
      const contacts = new Map<string, { id: number; account: number }>();
      for (const c of await selectIn<{ id: number; external_ref: string; account_id: number }>(
        tx,
        'select id, external_ref, account_id from contact where external_ref in',
        contactRefs,
      )) {
        contacts.set(c.external_ref, { id: Number(c.id), account: Number(c.account_id) });
      }
      return contacts;
    },
    build: ({ index, data }, account, contacts, reject) => {
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
        return undefined;
      }
      return {
        externalRef: data.externalRef,
        account,
        contact: contact?.id ?? null,
        respondedOn: data.respondedOn,
        quarter: quarterOf(data.respondedOn),
        score: data.score,
        comment: data.comment ?? null,
      };
    },
  });
}
