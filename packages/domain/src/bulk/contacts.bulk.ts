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

/**
 * Creates or updates stakeholder-map contacts keyed by their `externalRef` (influence 1–5). A
 * stored contact stays on its account: its survey responses are answered for that account.
 */
export async function upsertContacts(
  em: EntityManager,
  input: readonly ContactRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  // What `accept` checks against the stored contacts, by row index: the account the row names,
  // and the inactive counterpart it names (the row is refused only if it names them anew).
  const accountRefs = new Map<number, string>();
  const inactiveCounterparts = new Map<number, string>();
  // The external refs of the accounts the stored contacts are on, by account id.
  const storedAccountRefs = new Map<number, string>();
  return upsertByExternalRef(em, input, options, actor, {
    operation: 'upsertContacts',
    schema: contactRowSchema,
    spec: SPEC,
    what: 'contact',
    lookups: async (tx, rows) => {
      for (const a of await selectIn<{ id: number; external_ref: string }>(
        tx,
        'select distinct a.id, a.external_ref from account a join contact c on c.account_id = a.id where c.external_ref in',
        rows.map(r => r.data.externalRef),
      )) {
        storedAccountRefs.set(Number(a.id), String(a.external_ref));
      }
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
      if (counterpart && !counterpart.active) inactiveCounterparts.set(index, counterpart.name);
      accountRefs.set(index, data.accountRef);
      return {
        externalRef: data.externalRef,
        account,
        ...contactValues(data),
        counterpart: counterpart?.id ?? null,
      };
    },
    accept: (resolved, stored, reject) =>
      resolved.filter(row => {
        const current = stored.get(row.key);
        let accepted = true;
        // bulk-engine's update writes every column: a new account_id would move the contact,
        // leaving its survey responses answered by a contact of another account.
        if (current && current.values.account !== row.values.account) {
          const from =
            storedAccountRefs.get(Number(current.values.account)) ?? `account ${current.values.account}`;
          const to = accountRefs.get(row.index);
          reject({
            index: row.index,
            path: ['accountRef'],
            code: 'CONTACT_ACCOUNT_CHANGE',
            message: `Contact ${row.key} belongs to ${from}; a contact cannot move to another account. Create a new contact on ${to} (another externalRef) and remove this one if it left.`,
          });
          accepted = false;
        }
        // An inactive person would count as coverage of the contact: refused where the row names
        // them anew, as createContact and updateContact do; a counterpart already stored stays.
        const inactive = inactiveCounterparts.get(row.index);
        if (inactive !== undefined && (current?.values.counterpart ?? null) !== row.values.counterpart) {
          const refused = personInactive(inactive, 'counterpartEmail', "a contact's counterpart");
          reject({
            index: row.index,
            path: ['counterpartEmail'],
            code: refused.code,
            message: refused.message,
          });
          accepted = false;
        }
        return accepted;
      }),
  });
}
