import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { type ContactRow, contactRowSchema, contactValues } from '../team/team.service.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import { idsByKey, type TableSpec, upsertByExternalRef } from './bulk-engine.ts';

const SPEC: TableSpec = {
  table: 'contact',
  entityType: 'Contact',
  keyColumns: ['external_ref'],
  columns: [
    { property: 'externalRef', column: 'external_ref', kind: 'text' },
    { property: 'account', column: 'account_id', kind: 'int' },
    { property: 'name', column: 'name', kind: 'text' },
    { property: 'title', column: 'title', kind: 'text' },
    { property: 'email', column: 'email', kind: 'text' },
    { property: 'function', column: 'function', kind: 'text' },
    { property: 'influence', column: 'influence', kind: 'int' },
    { property: 'stance', column: 'stance', kind: 'text' },
    { property: 'whatTheyValue', column: 'what_they_value', kind: 'text' },
    { property: 'lastContactOn', column: 'last_contact_on', kind: 'date' },
    { property: 'counterpart', column: 'counterpart_id', kind: 'int' },
  ],
  keyOf: v => String(v.externalRef),
  versioned: true,
};

/** Creates or updates stakeholder-map contacts keyed by their `externalRef` (influence 1–5). */
export async function upsertContacts(
  em: EntityManager,
  input: readonly ContactRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  return upsertByExternalRef(em, input, options, actor, {
    operation: 'upsertContacts',
    schema: contactRowSchema,
    spec: SPEC,
    what: 'contact',
    lookups: (tx, rows) =>
      idsByKey(
        tx,
        'person',
        'email',
        rows.flatMap(r => (r.data.counterpartEmail ? [r.data.counterpartEmail.toLowerCase()] : [])),
      ),
    build: ({ index, data }, account, people, reject) => {
      const email = data.counterpartEmail?.toLowerCase();
      const counterpart = email ? people.get(email) : null;
      if (email && counterpart === undefined) {
        reject({
          index,
          path: ['counterpartEmail'],
          code: 'NOT_FOUND',
          message: `None of our people has e-mail ${email}.`,
        });
        return undefined;
      }
      return {
        externalRef: data.externalRef,
        account,
        ...contactValues(data),
        counterpart: counterpart ?? null,
      };
    },
  });
}
