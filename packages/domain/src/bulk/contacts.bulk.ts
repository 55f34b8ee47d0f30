import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { selectIn } from '../db/sql-writer.ts';
import { personInactive } from '../team/team.errors.ts';
import { type ContactRow, contactRowSchema, contactValues } from '../team/team.service.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import { type TableSpec, upsertByExternalRef } from './bulk-engine.ts';

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
    lookups: async (tx, rows) => {
      const emails = [
        ...new Set(
          rows.flatMap(r => (r.data.counterpartEmail ? [r.data.counterpartEmail.toLowerCase()] : [])),
        ),
      ];
      const people = new Map<string, { id: number; name: string; active: boolean }>();
      for (const p of await selectIn<{ id: number; email: string; name: string; active: unknown }>(
        tx,
        'select id, email, name, active from person where email in',
        emails,
      )) {
        const active = p.active === true || p.active === 1 || p.active === '1';
        people.set(String(p.email), { id: Number(p.id), name: String(p.name), active });
      }
      return people;
    },
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
      // An inactive person would count as coverage of the contact: refused, as createContact does.
      if (counterpart && !counterpart.active) {
        const refused = personInactive(counterpart.name, 'counterpartEmail', "a contact's counterpart");
        reject({ index, path: ['counterpartEmail'], code: 'PERSON_INACTIVE', message: refused.message });
        return undefined;
      }
      return {
        externalRef: data.externalRef,
        account,
        ...contactValues(data),
        counterpart: counterpart?.id ?? null,
      };
    },
  });
}
