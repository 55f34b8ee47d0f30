import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday, happenedOn } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, lockRow } from '../common/lookup.ts';
import { assertVersionNamed, writeAs } from '../common/unit-of-work.ts';
import {
  externalRefSchema,
  influenceSchema,
  isoDateSchema,
  nameSchema,
  optionalEmail,
  optionalText,
  parseInput,
  versionSchema,
} from '../common/validation.ts';
import { CONTACT_FUNCTIONS, CONTACT_STANCES, TEAM_ROLES } from '../common/vocabulary.ts';
import { nameKey, quoted } from '../common/words.ts';
import { SurveyResponse } from '../signals/signal.entity.ts';
import { Contact } from './contact.entity.ts';
import { activePerson } from './team.errors.ts';
import { TeamMember } from './team-member.entity.ts';

/** A blank geography is none: the member covers the whole account (and a blank clears it). */
const geographySchema = optionalText(80);

export const addTeamMemberSchema = z.object({
  accountId: z.number().int().positive(),
  personId: z.number().int().positive(),
  role: z.enum(TEAM_ROLES),
  geography: geographySchema,
  reportsToId: z.number().int().positive().nullish(),
  since: isoDateSchema.nullish(),
});
export type AddTeamMemberInput = z.input<typeof addTeamMemberSchema>;

async function assertSingleLead(
  em: EntityManager,
  accountId: number,
  geography: string | null,
  exceptId: number | null,
): Promise<void> {
  // Geographies are free text: "DACH", "Dach" and " dach " are one (compared as markets are).
  const key = geography === null ? null : nameKey(geography);
  const leads = await em.find(TeamMember, { account: accountId, role: 'KEY_ACCOUNT_MANAGER' });
  const lead = leads.find(
    l => l.id !== exceptId && (l.geography == null ? null : nameKey(l.geography)) === key,
  );
  if (lead) {
    await em.populate(lead, ['person', 'account']);
    const { name } = lead.person;
    // A lead who has left still counts: made active again, there would be two leads. The analytics
    // ignore them, so the message says who it is and how to clear the way.
    const how = lead.person.active
      ? 'A multinational may have one per geography: set a geography, or remove the current lead first.'
      : `Remove ${name} from the team first (removeTeamMember), then name the new lead.`;
    throw new DomainError(
      'TEAM_LEAD_ALREADY_ASSIGNED',
      `${lead.account.externalRef} already has a lead key account manager${lead.geography ? ` for ${lead.geography}` : ''}: ${name}${lead.person.active ? '' : ', who is no longer active'}. ${how}`,
      { issues: [{ path: ['role'], message: 'one lead per geography', code: 'TEAM_LEAD_ALREADY_ASSIGNED' }] },
    );
  }
}

/** A person holds each role on a team once. */
function roleTaken(personName: string, role: string, accountRef: string): DomainError {
  return new DomainError(
    'DUPLICATE_ROW',
    `${personName} already has the role ${role} on the team of ${accountRef}; a person holds each role once. Change or remove that membership instead.`,
    { issues: [{ path: ['role'], message: 'already held by this person', code: 'DUPLICATE_ROW' }] },
  );
}

function otherTeam(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'reportsToId must be a member of the same account team.', {
    issues: [{ path: ['reportsToId'], message: 'not on this account team', code: 'VALIDATION_FAILED' }],
  });
}

/** Why a team member's `since` is not after today (`assertNotAfterToday`). */
const SINCE_HAPPENED =
  'a member is added once they hold the role (an account manager on the team writes to the account from then on)';

/**
 * Adds a person to an account team. One lead key account manager per geography; the person is
 * active (PERSON_INACTIVE at personId) and `since` is not after today (DATE_IN_FUTURE at since).
 */
export async function addTeamMember(
  em: EntityManager,
  input: AddTeamMemberInput,
  actor: Actor,
): Promise<TeamMember> {
  const data = parseInput(addTeamMemberSchema, input, 'team member');
  if (data.since) assertNotAfterToday('since', data.since, SINCE_HAPPENED);
  return writeAs(em, actor, async tx => {
    // Locked: two leads added at once would both find no lead and both be added.
    const account = await findOrFail(tx, Account, data.accountId, 'Account', {
      lock: data.role === 'KEY_ACCOUNT_MANAGER',
    });
    const person = await activePerson(tx, data.personId, 'personId', `on the team of ${account.externalRef}`);
    const geography = data.geography ?? null;
    if (await tx.count(TeamMember, { account, person, role: data.role })) {
      throw roleTaken(person.name, data.role, account.externalRef);
    }
    if (data.role === 'KEY_ACCOUNT_MANAGER') await assertSingleLead(tx, account.id, geography, null);
    const reportsTo = data.reportsToId
      ? await findOrFail(tx, TeamMember, data.reportsToId, 'Team member')
      : null;
    if (reportsTo && reportsTo.account.id !== account.id) throw otherTeam();
    return tx.create(TeamMember, {
      account,
      person,
      role: data.role,
      geography,
      reportsTo,
      since: data.since ?? null,
    });
  });
}

/** "The team member Sam Sponsor (SPONSOR) of CRM-100003", loading its person and account. */
async function teamMemberName(em: EntityManager, member: TeamMember): Promise<string> {
  await em.populate(member, ['person', 'account']);
  return `The team member ${member.person.name} (${member.role}) of ${member.account.externalRef}`;
}

export const updateTeamMemberSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  role: z.enum(TEAM_ROLES).optional(),
  geography: geographySchema,
  reportsToId: z.number().int().positive().nullish(),
});
export type UpdateTeamMemberInput = z.input<typeof updateTeamMemberSchema>;

/**
 * Changes a team member's role, geography or reporting line. A member who is no longer active
 * keeps their place but takes no new role or geography (PERSON_INACTIVE at id): they would count
 * as the lead, which the analytics ignore; remove them (removeTeamMember) or make them active again.
 */
export async function updateTeamMember(em: EntityManager, input: UpdateTeamMemberInput, actor: Actor) {
  const data = parseInput(updateTeamMemberSchema, input, 'team member');
  return writeAs(em, actor, async tx => {
    const member = await findOrFail(tx, TeamMember, data.id, 'Team member');
    await assertVersionNamed('TeamMember', member, data.expectedVersion, () => teamMemberName(tx, member));
    const changesRole = data.role !== undefined && data.role !== member.role;
    const changesGeography =
      data.geography !== undefined && (data.geography ?? null) !== (member.geography ?? null);
    if (changesRole || changesGeography) {
      await tx.populate(member, ['account']);
      await activePerson(
        tx,
        member.person.id,
        'id',
        `given another role or geography on the team of ${member.account.externalRef}`,
        'Remove them from the team instead (removeTeamMember)',
      );
    }
    if (changesRole && data.role !== undefined) {
      if (await tx.count(TeamMember, { account: member.account, person: member.person, role: data.role })) {
        await tx.populate(member, ['person', 'account']);
        throw roleTaken(member.person.name, data.role, member.account.externalRef);
      }
      member.role = data.role;
    }
    if (data.geography !== undefined) member.geography = data.geography ?? null;
    if (member.role === 'KEY_ACCOUNT_MANAGER') {
      // As in addTeamMember: the account is locked while its leads are checked.
      await lockRow(tx, Account, member.account.id);
      await assertSingleLead(tx, member.account.id, member.geography ?? null, member.id);
    }
    if (data.reportsToId !== undefined) {
      if (data.reportsToId === member.id) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'A team member cannot report to themselves: choose someone else on the account team, or send reportsToId null for no reporting line.',
          {
            issues: [
              {
                path: ['reportsToId'],
                message: 'cannot be the member themselves',
                code: 'VALIDATION_FAILED',
              },
            ],
          },
        );
      }
      const reportsTo = data.reportsToId
        ? await findOrFail(tx, TeamMember, data.reportsToId, 'Team member')
        : null;
      if (reportsTo && reportsTo.account.id !== member.account.id) throw otherTeam();
      if (reportsTo) await assertNoReportingLoop(tx, member, reportsTo);
      member.reportsTo = reportsTo;
    }
    return member;
  });
}

/** A reporting line never loops: `member` may not report to someone who already reports to them. */
async function assertNoReportingLoop(
  em: EntityManager,
  member: TeamMember,
  reportsTo: TeamMember,
): Promise<void> {
  const seen = new Set<number>();
  for (let current: TeamMember | null = reportsTo; current && !seen.has(current.id); ) {
    if (current.id === member.id) {
      await em.populate(member, ['person']);
      await em.populate(reportsTo, ['person']);
      throw new DomainError(
        'VALIDATION_FAILED',
        `${member.person.name} cannot report to ${reportsTo.person.name}, who already reports (directly or through others) to ${member.person.name}; a reporting line never loops. Change ${reportsTo.person.name}'s reporting line first, or choose someone above ${member.person.name}.`,
        {
          issues: [
            {
              path: ['reportsToId'],
              message: 'would make the reporting line loop',
              code: 'VALIDATION_FAILED',
            },
          ],
        },
      );
    }
    seen.add(current.id);
    const next: number | undefined = current.reportsTo?.id;
    current = next === undefined ? null : await em.findOne(TeamMember, next);
  }
}

/** Removes a person from an account team (the audit trail keeps the record). */
export async function removeTeamMember(
  em: EntityManager,
  input: { id: number; expectedVersion: number },
  actor: Actor,
) {
  return writeAs(em, actor, async tx => {
    const member = await findOrFail(tx, TeamMember, input.id, 'Team member');
    await assertVersionNamed('TeamMember', member, input.expectedVersion, () => teamMemberName(tx, member));
    // Through the unit of work, not a bulk update: each report's change is versioned and audited.
    for (const report of await tx.find(TeamMember, { reportsTo: member.id })) report.reportsTo = null;
    tx.remove(member);
    return { id: input.id };
  });
}

/** Why a contact's lastContactOn is not after today (`assertNotAfterToday`). */
const LAST_CONTACT = 'it records when we last spoke with them';

export const contactFieldsSchema = z.object({
  name: nameSchema,
  title: optionalText(200),
  email: optionalEmail,
  function: z.enum(CONTACT_FUNCTIONS),
  influence: influenceSchema,
  stance: z.enum(CONTACT_STANCES).default('UNKNOWN'),
  whatTheyValue: optionalText(20_000),
  lastContactOn: isoDateSchema.nullish(),
});

export const createContactSchema = contactFieldsSchema.extend({
  accountId: z.number().int().positive(),
  externalRef: externalRefSchema.optional(),
  counterpartId: z.number().int().positive().nullish(),
});
export type CreateContactInput = z.input<typeof createContactSchema>;

/** One row of a bulk contact upsert, keyed by the contact's `externalRef`. */
export const contactRowSchema = contactFieldsSchema
  .extend({
    externalRef: externalRefSchema,
    accountRef: externalRefSchema,
    /** Our counterpart, by e-mail. */
    counterpartEmail: optionalEmail,
    lastContactOn: happenedOn('lastContactOn', LAST_CONTACT).nullish(),
    // A row is the whole record: a stance sent as null (an empty field) is left out, UNKNOWN.
    stance: z
      .enum(CONTACT_STANCES)
      .nullish()
      .transform(v => v ?? 'UNKNOWN'),
  })
  .strict();
export type ContactRow = z.input<typeof contactRowSchema>;

/** What is stored of a contact's own fields, from either the single or the bulk input. */
export function contactValues(data: z.output<typeof contactFieldsSchema>) {
  return {
    name: data.name,
    title: data.title ?? null,
    email: data.email ?? null,
    function: data.function,
    influence: data.influence,
    stance: data.stance,
    whatTheyValue: data.whatTheyValue ?? null,
    lastContactOn: data.lastContactOn ?? null,
  };
}

/** A contact's counterpart: one of our people, still active. */
const activeCounterpart = (em: EntityManager, id: number) =>
  activePerson(em, id, 'counterpartId', "a contact's counterpart");

/** Adds a contact to an account's stakeholder map (influence 1–5). */
export async function createContact(
  em: EntityManager,
  input: CreateContactInput,
  actor: Actor,
): Promise<Contact> {
  const data = parseInput(createContactSchema, input, 'contact');
  if (data.lastContactOn) assertNotAfterToday('lastContactOn', data.lastContactOn, LAST_CONTACT);
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const counterpart = data.counterpartId ? await activeCounterpart(tx, data.counterpartId) : null;
    const externalRef = data.externalRef ?? `kam-contact-${crypto.randomUUID()}`;
    if (await tx.count(Contact, { externalRef })) {
      throw new DomainError(
        'EXTERNAL_REF_TAKEN',
        `A contact with external ref ${externalRef} already exists.`,
        {
          issues: [{ path: ['externalRef'], message: 'already used', code: 'EXTERNAL_REF_TAKEN' }],
        },
      );
    }
    return tx.create(Contact, { externalRef, account, counterpart, ...contactValues(data) });
  });
}

export const updateContactSchema = contactFieldsSchema.partial().extend({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  // Without the create default: an update that leaves the stance out keeps the stored one.
  stance: z.enum(CONTACT_STANCES).optional(),
  counterpartId: z.number().int().positive().nullish(),
});
export type UpdateContactInput = z.input<typeof updateContactSchema>;

/** 'Contact "Dana Buyer" of CRM-100003', loading its account. */
async function contactName(em: EntityManager, contact: Contact): Promise<string> {
  await em.populate(contact, ['account']);
  return `Contact ${quoted(contact.name)} of ${contact.account.externalRef}`;
}

export async function updateContact(
  em: EntityManager,
  input: UpdateContactInput,
  actor: Actor,
): Promise<Contact> {
  const data = parseInput(updateContactSchema, input, 'contact');
  if (data.lastContactOn) assertNotAfterToday('lastContactOn', data.lastContactOn, LAST_CONTACT);
  return writeAs(em, actor, async tx => {
    const contact = await findOrFail(tx, Contact, data.id, 'Contact');
    await assertVersionNamed('Contact', contact, data.expectedVersion, () => contactName(tx, contact));
    const { id: _id, expectedVersion: _v, counterpartId, ...fields } = data;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (contact as unknown as Record<string, unknown>)[key] = value;
    }
    // A counterpart who has left stays where they are named: only naming them anew is refused.
    if (counterpartId !== undefined && counterpartId !== (contact.counterpart?.id ?? null)) {
      contact.counterpart = counterpartId ? await activeCounterpart(tx, counterpartId) : null;
    }
    return contact;
  });
}

export async function removeContact(
  em: EntityManager,
  input: { id: number; expectedVersion: number },
  actor: Actor,
) {
  return writeAs(em, actor, async tx => {
    const contact = await findOrFail(tx, Contact, input.id, 'Contact');
    await assertVersionNamed('Contact', contact, input.expectedVersion, () => contactName(tx, contact));
    // As removeTeamMember does for reports: each survey response's contact is cleared through the
    // unit of work (versioned and audited), not by the foreign key's on-delete set null.
    for (const response of await tx.find(SurveyResponse, { contact: contact.id })) response.contact = null;
    tx.remove(contact);
    return { id: input.id };
  });
}
