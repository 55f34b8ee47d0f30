import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../analytics/selection.ts';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { upsertContacts } from '../bulk/contacts.bulk.ts';
import { today } from '../common/lookup.ts';
import { writeAs } from '../common/unit-of-work.ts';
import type { TeamRole } from '../common/vocabulary.ts';
import { updatePerson } from '../organisation/organisation.service.ts';
import type { Person } from '../organisation/person.entity.ts';
import { SurveyResponse } from '../signals/signal.entity.ts';
import { recordSurveyResponse } from '../signals/signal.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makePerson,
  overlap,
  type TestDatabase,
  tableCounts,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { Contact } from './contact.entity.ts';
import {
  addTeamMember,
  createContact,
  removeContact,
  removeTeamMember,
  updateContact,
  updateTeamMember,
} from './team.service.ts';
import { TeamMember } from './team-member.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** A new person on the account's team in `role`, reporting to `reportsToId` when given. */
const newMember = async (accountId: number, role: TeamRole, reportsToId?: number) =>
  addTeamMember(
    db.em(),
    { accountId, personId: (await makePerson(db.em())).id, role, ...(reportsToId ? { reportsToId } : {}) },
    testActor,
  );

const contactInput = (accountId: number, influence: number, externalRef?: string) => ({
  accountId,
  externalRef,
  name: 'Erin Engineer',
  function: 'TECHNICAL' as const,
  influence,
  stance: 'SUPPORTER' as const,
});

describe('a contact’s influence is a whole number 1–5', () => {
  it.each([0, 6, 3.5])(
    'createContact rejects influence %s with SCORE_OUT_OF_RANGE and writes nothing',
    async influence => {
      const account = await makeAccount(db.em());
      const error = await expectRejected(
        db.em(),
        'SCORE_OUT_OF_RANGE',
        () => createContact(db.em(), contactInput(account.id, influence), testActor),
        ['contact'],
      );
      expect(error.issues.map(i => i.path)).toEqual([['influence']]);
    },
  );

  it('updateContact rejects influence 7 and keeps the stored value', async () => {
    const account = await makeAccount(db.em());
    const contact = await createContact(db.em(), contactInput(account.id, 5), testActor);
    await expectRejected(
      db.em(),
      'SCORE_OUT_OF_RANGE',
      () => updateContact(db.em(), { id: contact.id, expectedVersion: 1, influence: 7 }, testActor),
      ['contact'],
    );
    const reloaded = await db.em().findOneOrFail(Contact, contact.id);
    expect([reloaded.influence, reloaded.version]).toEqual([5, 1]);
  });

  it('the database refuses influence outside 1–5 as well', async () => {
    const account = await makeAccount(db.em());
    const contact = await createContact(db.em(), contactInput(account.id, 2), testActor);
    await expect(
      writeAs(db.em(), testActor, async tx => {
        (await tx.findOneOrFail(Contact, contact.id)).influence = 0;
      }),
    ).rejects.toThrow(/influence|check/i);
    expect((await db.em().findOneOrFail(Contact, contact.id)).influence).toBe(2);
  });

  it('the bulk path rejects the row, not the call', async () => {
    const account = await makeAccount(db.em(), { externalRef: 'TEAM-BULK' });
    const row = {
      accountRef: 'TEAM-BULK',
      name: 'Bulk contact',
      function: 'FINANCE' as const,
      stance: 'NEUTRAL' as const,
    };
    const result = await upsertContacts(
      db.em(),
      [
        { ...row, externalRef: 'TB-1', influence: 1 },
        { ...row, externalRef: 'TB-2', influence: 0 },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.created).toBe(1);
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [1, 'influence', 'SCORE_OUT_OF_RANGE'],
    ]);
    expect(await db.em().count(Contact, { account: account.id })).toBe(1);
  });

  it('a contact externalRef is unique', async () => {
    const account = await makeAccount(db.em());
    await createContact(db.em(), contactInput(account.id, 3, 'CT-UNIQUE'), testActor);
    await expectRejected(
      db.em(),
      'EXTERNAL_REF_TAKEN',
      () => createContact(db.em(), contactInput(account.id, 3, 'CT-UNIQUE'), testActor),
      ['contact'],
    );
  });
});

describe('the account team', () => {
  it('tells geographies apart ignoring case and spacing, as markets are', async () => {
    const account = await makeAccount(db.em());
    const [a, b] = [await makePerson(db.em()), await makePerson(db.em())];
    await addTeamMember(
      db.em(),
      { accountId: account.id, personId: a.id, role: 'KEY_ACCOUNT_MANAGER', geography: 'DACH' },
      testActor,
    );
    for (const geography of ['Dach', ' dach ', 'ＤＡＣＨ']) {
      const error = await expectRejected(
        db.em(),
        'TEAM_LEAD_ALREADY_ASSIGNED',
        () =>
          addTeamMember(
            db.em(),
            { accountId: account.id, personId: b.id, role: 'KEY_ACCOUNT_MANAGER', geography },
            testActor,
          ),
        ['team_member'],
      );
      expect(error.message).toContain(`already has a lead key account manager for DACH: ${a.name}.`);
    }
    const other = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: b.id, role: 'KEY_ACCOUNT_MANAGER', geography: 'DACH North' },
      testActor,
    );
    await expectRejected(
      db.em(),
      'TEAM_LEAD_ALREADY_ASSIGNED',
      () => updateTeamMember(db.em(), { id: other.id, expectedVersion: 1, geography: 'dach' }, testActor),
      ['team_member'],
    );
  });

  it('one lead key account manager per geography', async () => {
    const account = await makeAccount(db.em());
    const [a, b, c] = [await makePerson(db.em()), await makePerson(db.em()), await makePerson(db.em())];
    await addTeamMember(
      db.em(),
      { accountId: account.id, personId: a.id, role: 'KEY_ACCOUNT_MANAGER' },
      testActor,
    );
    const second = await expectRejected(
      db.em(),
      'TEAM_LEAD_ALREADY_ASSIGNED',
      () =>
        addTeamMember(
          db.em(),
          { accountId: account.id, personId: b.id, role: 'KEY_ACCOUNT_MANAGER' },
          testActor,
        ),
      ['team_member'],
    );
    expect(second.message).toMatch(
      new RegExp(
        `^${account.externalRef} already has a lead key account manager: ${a.name}\\. A multinational`,
      ),
    );
    // A multinational may have one per geography.
    await addTeamMember(
      db.em(),
      { accountId: account.id, personId: b.id, role: 'KEY_ACCOUNT_MANAGER', geography: 'APAC' },
      testActor,
    );
    const support = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: c.id, role: 'SUPPORT', geography: 'APAC' },
      testActor,
    );
    // Promoting the APAC support member to lead would make two APAC leads.
    await expectRejected(
      db.em(),
      'TEAM_LEAD_ALREADY_ASSIGNED',
      () =>
        updateTeamMember(
          db.em(),
          { id: support.id, expectedVersion: 1, role: 'KEY_ACCOUNT_MANAGER' },
          testActor,
        ),
      ['team_member'],
    );
    expect((await db.em().findOneOrFail(TeamMember, support.id)).role).toBe('SUPPORT');
  });

  it('changing a member to a role the person already holds on the team says so, and writes nothing', async () => {
    const account = await makeAccount(db.em());
    const person = await makePerson(db.em());
    await addTeamMember(db.em(), { accountId: account.id, personId: person.id, role: 'SPONSOR' }, testActor);
    const coach = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: person.id, role: 'COACH' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'DUPLICATE_ROW',
      () => updateTeamMember(db.em(), { id: coach.id, expectedVersion: 1, role: 'SPONSOR' }, testActor),
      ['team_member'],
    );
    // The same words on both databases, not the database's own message.
    expect(error.message).toBe(
      `${person.name} already has the role SPONSOR on the team of ${account.externalRef}; a person holds each role once. Change or remove that membership instead.`,
    );
    expect(error.issues).toEqual([
      { path: ['role'], message: 'already held by this person', code: 'DUPLICATE_ROW' },
    ]);
    expect((await db.em().findOneOrFail(TeamMember, coach.id)).role).toBe('COACH');
  });

  it('a member reports to someone on the same account team, never to themselves', async () => {
    const account = await makeAccount(db.em());
    const other = await makeAccount(db.em());
    const lead = await newMember(account.id, 'SPONSOR');
    const elsewhere = await newMember(other.id, 'SPONSOR');
    const member = await newMember(account.id, 'SUPPORT', lead.id);
    const coach = await makePerson(db.em());
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      async () =>
        addTeamMember(
          db.em(),
          { accountId: account.id, personId: coach.id, role: 'COACH', reportsToId: elsewhere.id },
          testActor,
        ),
      ['team_member'],
    );
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, reportsToId: member.id }, testActor),
      ['team_member'],
    );
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateTeamMember(
          db.em(),
          { id: member.id, expectedVersion: 1, reportsToId: elsewhere.id },
          testActor,
        ),
      ['team_member'],
    );
    expect(error.issues[0]?.path).toEqual(['reportsToId']);
    const reloaded = await db.em().findOneOrFail(TeamMember, member.id);
    expect([reloaded.reportsTo?.id, reloaded.version]).toEqual([lead.id, 1]);
  });

  it('a reporting line never loops: a lead cannot report to someone who reports (indirectly) to them', async () => {
    const account = await makeAccount(db.em());
    const lead = await newMember(account.id, 'KEY_ACCOUNT_MANAGER');
    const regional = await newMember(account.id, 'SUPPORT', lead.id);
    const local = await newMember(account.id, 'SUPPORT', regional.id);
    for (const reportsToId of [regional.id, local.id]) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => updateTeamMember(db.em(), { id: lead.id, expectedVersion: 1, reportsToId }, testActor),
        ['team_member'],
      );
      expect(error.issues[0]?.path).toEqual(['reportsToId']);
      expect(error.message).toMatch(/reports? .*to .*already/i);
    }
    const reloaded = await db.em().findOneOrFail(TeamMember, lead.id);
    expect([reloaded.reportsTo, reloaded.version]).toEqual([null, 1]);
  });
});

describe('changing part of a record keeps the rest', () => {
  it('updateContact without a stance keeps the stored stance (it is UNKNOWN only on creation)', async () => {
    const account = await makeAccount(db.em());
    const contact = await createContact(db.em(), contactInput(account.id, 4), testActor);
    await updateContact(db.em(), { id: contact.id, expectedVersion: 1, influence: 5 }, testActor);
    await updateContact(db.em(), { id: contact.id, expectedVersion: 2, counterpartId: null }, testActor);
    const reloaded = await db.em().findOneOrFail(Contact, contact.id);
    expect([reloaded.influence, reloaded.stance]).toEqual([5, 'SUPPORTER']);
    const trail = await db.em().find(AuditEntry, { entityType: 'Contact', entityId: String(contact.id) });
    expect(trail.filter(t => 'stance' in t.changes && t.action === 'UPDATE')).toEqual([]);
  });

  it('removing a member clears their reports’ reporting line as a change of their own: versioned and audited', async () => {
    const account = await makeAccount(db.em());
    const lead = await newMember(account.id, 'KEY_ACCOUNT_MANAGER');
    const report = await newMember(account.id, 'SUPPORT', lead.id);
    await removeTeamMember(db.em(), { id: lead.id, expectedVersion: 1 }, testActor);
    const reloaded = await db.em().findOneOrFail(TeamMember, report.id);
    // Its version moves on, so an edit based on the old reporting line conflicts.
    expect([reloaded.reportsTo, reloaded.version]).toEqual([null, 2]);
    const trail = await db
      .em()
      .find(
        AuditEntry,
        { entityType: 'TeamMember', entityId: String(report.id) },
        { orderBy: { id: 'asc' } },
      );
    expect(trail.map(t => t.action)).toEqual(['CREATE', 'UPDATE']);
    expect(trail[1]?.changes.reportsTo).toEqual({ before: lead.id, after: null });
  });
});

describe('a blank optional text is no value', () => {
  it('createContact stores a blank title and whatTheyValue as null; updateContact clears them with blanks', async () => {
    const account = await makeAccount(db.em());
    const blank = await createContact(
      db.em(),
      { ...contactInput(account.id, 3), title: '  ', whatTheyValue: '\n \n' },
      testActor,
    );
    const stored = await db.em().findOneOrFail(Contact, blank.id);
    expect([stored.title, stored.whatTheyValue]).toEqual([null, null]);

    const cfo = await createContact(
      db.em(),
      { ...contactInput(account.id, 3), title: ' CFO ', whatTheyValue: 'Predictable cost' },
      testActor,
    );
    expect([cfo.title, cfo.whatTheyValue]).toEqual(['CFO', 'Predictable cost']);
    await updateContact(db.em(), { id: cfo.id, expectedVersion: 1, influence: 4 }, testActor);
    await updateContact(
      db.em(),
      { id: cfo.id, expectedVersion: 2, title: '', whatTheyValue: '   ' },
      testActor,
    );
    const reloaded = await db.em().findOneOrFail(Contact, cfo.id);
    expect([reloaded.title, reloaded.whatTheyValue, reloaded.influence]).toEqual([null, null, 4]);
  });
});

describe('optimistic locking of the team and the stakeholder map', () => {
  it('team members: a stale expectedVersion is VERSION_CONFLICT for an update and a removal', async () => {
    const account = await makeAccount(db.em());
    const person = await makePerson(db.em());
    const member = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: person.id, role: 'COACH' },
      testActor,
    );
    await updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, geography: 'EMEA' }, testActor);
    const stale = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, geography: 'APAC' }, testActor),
      ['team_member'],
    );
    // Named as the team knows the member, not by a database id.
    expect(stale.message).toBe(
      `The team member ${person.name} (COACH) of ${account.externalRef} was changed by someone else: you sent version 1, the current version is 2. Reload it, reapply your change and send version 2.`,
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => removeTeamMember(db.em(), { id: member.id, expectedVersion: 1 }, testActor),
      ['team_member'],
    );
    const reloaded = await db.em().findOneOrFail(TeamMember, member.id);
    expect([reloaded.geography, reloaded.version]).toEqual(['EMEA', 2]);
  });

  it('contacts: a stale expectedVersion is VERSION_CONFLICT; a removal with the right one is audited', async () => {
    const account = await makeAccount(db.em());
    const contact = await createContact(db.em(), contactInput(account.id, 4), testActor);
    await updateContact(db.em(), { id: contact.id, expectedVersion: 1, stance: 'CHAMPION' }, testActor);
    const stale = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateContact(db.em(), { id: contact.id, expectedVersion: 1, stance: 'DETRACTOR' }, testActor),
      ['contact'],
    );
    expect(stale.message).toMatch(
      new RegExp(`^Contact "Erin Engineer" of ${account.externalRef} was changed by someone else: `),
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => removeContact(db.em(), { id: contact.id, expectedVersion: 1 }, testActor),
      ['contact'],
    );
    // A removal must name the version it was based on: leaving it out does not skip the lock.
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        removeContact(
          db.em(),
          { id: contact.id } as unknown as { id: number; expectedVersion: number },
          testActor,
        ),
      ['contact'],
    );
    expect((await db.em().findOneOrFail(Contact, contact.id)).stance).toBe('CHAMPION');
    const before = await tableCounts(db.em(), ['contact']);
    await removeContact(db.em(), { id: contact.id, expectedVersion: 2 }, testActor);
    expect(await tableCounts(db.em(), ['contact'])).toEqual({ contact: (before.contact ?? 0) - 1 });
    const trail = await db
      .em()
      .find(AuditEntry, { entityType: 'Contact', entityId: String(contact.id) }, { orderBy: { id: 'asc' } });
    expect(trail.map(t => t.action)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(trail[2]?.changes.stance).toEqual({ before: 'CHAMPION', after: null });
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('two leads named at the same time', () => {
  const addLead = (em: EntityManager, accountId: number, personId: number) =>
    addTeamMember(em, { accountId, personId, role: 'KEY_ACCOUNT_MANAGER' }, testActor);

  it('adds one lead key account manager and refuses the other', async () => {
    // Each checked for a lead before the other committed, found none and added theirs: the
    // account had two leads for the same geography.
    const account = await makeAccount(db.em());
    const [one, two] = [await makePerson(db.em()), await makePerson(db.em())];
    const [first, second] = await overlap(
      db,
      tx => addLead(tx, account.id, one.id),
      em => addLead(em, account.id, two.id),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two leads' : second.error).toMatchObject({ code: 'TEAM_LEAD_ALREADY_ASSIGNED' });
    expect(await db.em().count(TeamMember, { account: account.id, role: 'KEY_ACCOUNT_MANAGER' })).toBe(1);
  });

  it('refuses to make a member the lead while another lead is being added', async () => {
    const account = await makeAccount(db.em());
    const member = await newMember(account.id, 'SPONSOR');
    const lead = await makePerson(db.em());
    const [first, second] = await overlap(
      db,
      tx => addLead(tx, account.id, lead.id),
      em =>
        updateTeamMember(
          em,
          { id: member.id, expectedVersion: member.version, role: 'KEY_ACCOUNT_MANAGER' },
          testActor,
        ),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two leads' : second.error).toMatchObject({ code: 'TEAM_LEAD_ALREADY_ASSIGNED' });
    expect(await db.em().count(TeamMember, { account: account.id, role: 'KEY_ACCOUNT_MANAGER' })).toBe(1);
  });
});

describe('removing a contact clears it from its survey responses through the unit of work', () => {
  it('each response’s contact is cleared as a change of its own: versioned and audited', async () => {
    const account = await makeAccount(db.em());
    const contact = await createContact(db.em(), contactInput(account.id, 4), testActor);
    const responses = [];
    for (const respondedOn of ['2026-02-01', '2026-05-01']) {
      responses.push(
        await recordSurveyResponse(
          db.em(),
          { accountId: account.id, contactId: contact.id, respondedOn, score: 4 },
          testActor,
        ),
      );
    }
    await removeContact(db.em(), { id: contact.id, expectedVersion: 1 }, testActor);
    for (const response of responses) {
      const reloaded = await db.em().findOneOrFail(SurveyResponse, response.id);
      // Its version moves on, so an edit based on the old contact conflicts.
      expect([reloaded.contact, reloaded.version]).toEqual([null, 2]);
      const trail = await db
        .em()
        .find(
          AuditEntry,
          { entityType: 'SurveyResponse', entityId: String(response.id) },
          { orderBy: { id: 'asc' } },
        );
      expect(trail.map(t => t.action)).toEqual(['CREATE', 'UPDATE']);
      expect(trail[1]?.changes.contact).toEqual({ before: contact.id, after: null });
    }
  });
});

describe('only an active person joins a team or is a counterpart', () => {
  const inactivePerson = async (): Promise<Person> => {
    const person = await makePerson(db.em());
    return updatePerson(db.em(), { id: person.id, expectedVersion: 1, active: false }, testActor);
  };

  it('addTeamMember refuses an inactive person: a ValidationError with PERSON_INACTIVE on personId, nothing written', async () => {
    const account = await makeAccount(db.em());
    const person = await inactivePerson();
    const error = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        addTeamMember(
          db.em(),
          { accountId: account.id, personId: person.id, role: 'KEY_ACCOUNT_MANAGER' },
          testActor,
        ),
      ['team_member'],
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toContain(`${person.name} is no longer active`);
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['personId'], 'PERSON_INACTIVE']]);
  });

  it('createContact and updateContact refuse an inactive counterpart on counterpartId', async () => {
    const account = await makeAccount(db.em());
    const person = await inactivePerson();
    const created = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => createContact(db.em(), { ...contactInput(account.id, 5), counterpartId: person.id }, testActor),
      ['contact'],
    );
    expect(created.category).toBe('VALIDATION');
    expect(created.issues.map(i => [i.path, i.code])).toEqual([[['counterpartId'], 'PERSON_INACTIVE']]);
    const contact = await createContact(db.em(), contactInput(account.id, 5), testActor);
    const updated = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        updateContact(db.em(), { id: contact.id, expectedVersion: 1, counterpartId: person.id }, testActor),
      ['contact'],
    );
    expect(updated.issues.map(i => [i.path, i.code])).toEqual([[['counterpartId'], 'PERSON_INACTIVE']]);
    const reloaded = await db.em().findOneOrFail(Contact, contact.id);
    expect([reloaded.counterpart, reloaded.version]).toEqual([null, 1]);
  });

  it('upsertContacts rejects the row whose counterpartEmail is an inactive person, not the call', async () => {
    const account = await makeAccount(db.em(), { externalRef: 'TEAM-INACTIVE' });
    const [active, inactive] = [await makePerson(db.em()), await inactivePerson()];
    const row = {
      accountRef: 'TEAM-INACTIVE',
      name: 'Bulk contact',
      function: 'FINANCE' as const,
      influence: 4,
    };
    const result = await upsertContacts(
      db.em(),
      [
        { ...row, externalRef: 'TI-1', counterpartEmail: active.email },
        { ...row, externalRef: 'TI-2', counterpartEmail: inactive.email.toUpperCase() },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result.created).toBe(1);
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [1, 'counterpartEmail', 'PERSON_INACTIVE'],
    ]);
    expect(result.rejections[0]?.message).toContain(`${inactive.name} is no longer active`);
    expect(await db.em().count(Contact, { account: account.id })).toBe(1);
  });
});

describe('a counterpart who has since left stays on the contacts that name them', () => {
  it('upsertContacts takes a stored row again (unchanged, or changing other fields) and refuses it only where the row newly names them', async () => {
    await makeAccount(db.em(), { externalRef: 'TEAM-LEFT' });
    const [leaver, colleague] = [await makePerson(db.em()), await makePerson(db.em())];
    const row = {
      accountRef: 'TEAM-LEFT',
      name: 'Kept contact',
      function: 'FINANCE' as const,
      influence: 4,
      stance: 'NEUTRAL' as const,
    };
    const stored = [
      { ...row, externalRef: 'TL-1', counterpartEmail: leaver.email },
      { ...row, externalRef: 'TL-2', counterpartEmail: leaver.email },
      { ...row, externalRef: 'TL-3', counterpartEmail: colleague.email },
      { ...row, externalRef: 'TL-4' },
    ];
    expect(await upsertContacts(db.em(), stored, { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 4,
    });
    await updatePerson(db.em(), { id: leaver.id, expectedVersion: 1, active: false }, testActor);

    // The stored contacts, exported, import again as they are (kam export … then kam import --mode ATOMIC).
    expect(await upsertContacts(db.em(), stored, { mode: 'ATOMIC' }, testActor)).toMatchObject({
      unchanged: 4,
      rejected: 0,
      written: false,
    });
    const result = await upsertContacts(
      db.em(),
      [
        // The same counterpart (e-mail in capitals) and another influence: an update.
        { ...row, externalRef: 'TL-1', counterpartEmail: leaver.email.toUpperCase(), influence: 5 },
        // The leaver newly named, instead of an active colleague or of no counterpart: refused.
        { ...row, externalRef: 'TL-3', counterpartEmail: leaver.email },
        { ...row, externalRef: 'TL-4', counterpartEmail: leaver.email },
        // A new contact naming the leaver: refused.
        { ...row, externalRef: 'TL-5', counterpartEmail: leaver.email },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, updated: 1, rejected: 3 });
    expect(result.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [1, 'counterpartEmail', 'PERSON_INACTIVE'],
      [2, 'counterpartEmail', 'PERSON_INACTIVE'],
      [3, 'counterpartEmail', 'PERSON_INACTIVE'],
    ]);
    expect(result.rejections[0]?.message).toContain(`${leaver.name} is no longer active`);
    const contacts = await db
      .em()
      .fork()
      .find(Contact, { externalRef: { $like: 'TL-%' } });
    expect(
      contacts
        .map(c => [c.externalRef, c.counterpart?.id ?? null, c.influence, c.version])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['TL-1', leaver.id, 5, 2],
      ['TL-2', leaver.id, 4, 1],
      ['TL-3', colleague.id, 4, 1],
      ['TL-4', null, 4, 1],
    ]);
  });

  it('updateContact keeps a counterpart who has left when it is sent again, and refuses to name them anew', async () => {
    const account = await makeAccount(db.em());
    const leaver = await makePerson(db.em());
    const kept = await createContact(
      db.em(),
      { ...contactInput(account.id, 3), counterpartId: leaver.id },
      testActor,
    );
    const other = await createContact(db.em(), contactInput(account.id, 3), testActor);
    await updatePerson(db.em(), { id: leaver.id, expectedVersion: 1, active: false }, testActor);
    const updated = await updateContact(
      db.em(),
      { id: kept.id, expectedVersion: 1, counterpartId: leaver.id, influence: 4 },
      testActor,
    );
    expect([updated.counterpart?.id, updated.influence, updated.version]).toEqual([leaver.id, 4, 2]);
    const refused = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => updateContact(db.em(), { id: other.id, expectedVersion: 1, counterpartId: leaver.id }, testActor),
      ['contact'],
    );
    expect(refused.issues.map(i => [i.path, i.code])).toEqual([[['counterpartId'], 'PERSON_INACTIVE']]);
  });
});

describe('the day we last spoke with a contact has happened: lastContactOn is not after today', () => {
  const tomorrow = () => addDays(today(), 1);
  const refusal = (day: string) =>
    `lastContactOn (${day}) is after today (${today()}): it records when we last spoke with them. Date it today or earlier.`;

  it('createContact and updateContact refuse it with DATE_IN_FUTURE at lastContactOn, writing nothing; today is fine', async () => {
    const account = await makeAccount(db.em());
    const day = tomorrow();
    const created = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () => createContact(db.em(), { ...contactInput(account.id, 3), lastContactOn: day }, testActor),
      ['contact'],
    );
    expect(created.category).toBe('VALIDATION');
    expect(created.message).toBe(refusal(day));
    expect(created.issues).toEqual([
      { path: ['lastContactOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
    ]);
    const contact = await createContact(
      db.em(),
      { ...contactInput(account.id, 3), lastContactOn: today() },
      testActor,
    );
    const updated = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () =>
        updateContact(
          db.em(),
          { id: contact.id, expectedVersion: 1, lastContactOn: '2029-01-01' },
          testActor,
        ),
      ['contact'],
    );
    expect(updated.issues.map(i => [i.path, i.code])).toEqual([[['lastContactOn'], 'DATE_IN_FUTURE']]);
    const reloaded = await db.em().fork().findOneOrFail(Contact, contact.id);
    expect([reloaded.lastContactOn, reloaded.version]).toEqual([today(), 1]);
  });

  it('upsertContacts rejects the row with DATE_IN_FUTURE at lastContactOn and the same message', async () => {
    await makeAccount(db.em(), { externalRef: 'TEAM-FUTURE' });
    const row = {
      accountRef: 'TEAM-FUTURE',
      name: 'Dated contact',
      function: 'FINANCE' as const,
      influence: 3,
    };
    const day = tomorrow();
    const result = await upsertContacts(
      db.em(),
      [
        { ...row, externalRef: 'TF-1', lastContactOn: today() },
        { ...row, externalRef: 'TF-2', lastContactOn: day },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({ created: 1, rejected: 1 });
    expect(result.rejections).toEqual([
      { index: 1, path: ['lastContactOn'], code: 'DATE_IN_FUTURE', message: refusal(day) },
    ]);
  });
});

describe('a team member’s geography', () => {
  it('a blank geography is no geography (the whole account); a blank clears it in an update', async () => {
    const account = await makeAccount(db.em());
    for (const geography of ['', '  ']) {
      const member = await addTeamMember(
        db.em(),
        { accountId: account.id, personId: (await makePerson(db.em())).id, role: 'SUPPORT', geography },
        testActor,
      );
      expect((await db.em().findOneOrFail(TeamMember, member.id)).geography).toBeNull();
    }
    const member = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: (await makePerson(db.em())).id, role: 'COACH', geography: ' EMEA ' },
      testActor,
    );
    expect(member.geography).toBe('EMEA');
    await updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, geography: ' ' }, testActor);
    const reloaded = await db.em().findOneOrFail(TeamMember, member.id);
    expect([reloaded.geography, reloaded.version]).toEqual([null, 2]);
  });

  it('a geography over 80 characters says so', async () => {
    const account = await makeAccount(db.em());
    const person = await makePerson(db.em());
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        addTeamMember(
          db.em(),
          {
            accountId: account.id,
            personId: person.id,
            role: 'SUPPORT',
            geography: 'x'.repeat(81),
          },
          testActor,
        ),
      ['team_member'],
    );
    expect(error.issues.map(i => [i.path, i.message])).toEqual([
      [['geography'], 'must be at most 80 characters'],
    ]);
  });
});

describe('reporting to oneself', () => {
  it('is refused on the field reportsToId', async () => {
    const account = await makeAccount(db.em());
    const member = await newMember(account.id, 'SUPPORT');
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, reportsToId: member.id }, testActor),
      ['team_member'],
    );
    expect(error.issues).toEqual([
      { path: ['reportsToId'], message: 'cannot be the member themselves', code: 'VALIDATION_FAILED' },
    ]);
    expect((await db.em().findOneOrFail(TeamMember, member.id)).version).toBe(1);
  });
});

describe('a member who is no longer active keeps their place on the team but takes no new one', () => {
  /** A member of the account's team in `role`, whose person is then made inactive. */
  const leaverMember = async (accountId: number, role: TeamRole, geography?: string) => {
    const person = await makePerson(db.em());
    const member = await addTeamMember(
      db.em(),
      { accountId, personId: person.id, role, ...(geography ? { geography } : {}) },
      testActor,
    );
    await updatePerson(db.em(), { id: person.id, expectedVersion: 1, active: false }, testActor);
    return { person, member };
  };

  it('updateTeamMember refuses a new role or geography for them (PERSON_INACTIVE at id), writing nothing; removing them is fine', async () => {
    const account = await makeAccount(db.em());
    const { person, member } = await leaverMember(account.id, 'SUPPORT', 'DACH');
    for (const change of [
      { role: 'KEY_ACCOUNT_MANAGER' as const },
      { geography: 'APAC' },
      { geography: null },
    ]) {
      const error = await expectRejected(
        db.em(),
        'PERSON_INACTIVE',
        () => updateTeamMember(db.em(), { id: member.id, expectedVersion: 1, ...change }, testActor),
        ['team_member'],
      );
      expect(error.category).toBe('VALIDATION');
      expect(error.message).toBe(
        `${person.name} is no longer active and cannot be given another role or geography on the team of ${account.externalRef}. Remove them from the team instead (removeTeamMember), or make ${person.name} active again first (updatePerson).`,
      );
      expect(error.issues.map(i => [i.path, i.code])).toEqual([[['id'], 'PERSON_INACTIVE']]);
    }
    const reloaded = await db.em().fork().findOneOrFail(TeamMember, member.id);
    expect([reloaded.role, reloaded.geography, reloaded.version]).toEqual(['SUPPORT', 'DACH', 1]);
    // Sending what they already have changes nothing, and is no new role.
    const same = await updateTeamMember(
      db.em(),
      { id: member.id, expectedVersion: 1, role: 'SUPPORT', geography: 'DACH' },
      testActor,
    );
    expect(same.version).toBe(1);
    await removeTeamMember(db.em(), { id: member.id, expectedVersion: 1 }, testActor);
    expect(await db.em().fork().count(TeamMember, { id: member.id })).toBe(0);
  });

  it('a new lead where the current one is no longer active is still TEAM_LEAD_ALREADY_ASSIGNED, saying so and to remove them first', async () => {
    const account = await makeAccount(db.em());
    const { person: gone, member: lead } = await leaverMember(account.id, 'KEY_ACCOUNT_MANAGER', 'DACH');
    const next = await makePerson(db.em());
    const error = await expectRejected(
      db.em(),
      'TEAM_LEAD_ALREADY_ASSIGNED',
      () =>
        addTeamMember(
          db.em(),
          { accountId: account.id, personId: next.id, role: 'KEY_ACCOUNT_MANAGER', geography: 'Dach' },
          testActor,
        ),
      ['team_member'],
    );
    expect(error.message).toBe(
      `${account.externalRef} already has a lead key account manager for DACH: ${gone.name}, who is no longer active. Remove ${gone.name} from the team first (removeTeamMember), then name the new lead.`,
    );
    // The same when an active member is promoted.
    const support = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: next.id, role: 'SUPPORT', geography: 'DACH' },
      testActor,
    );
    const promoted = await expectRejected(
      db.em(),
      'TEAM_LEAD_ALREADY_ASSIGNED',
      () =>
        updateTeamMember(
          db.em(),
          { id: support.id, expectedVersion: 1, role: 'KEY_ACCOUNT_MANAGER' },
          testActor,
        ),
      ['team_member'],
    );
    expect(promoted.message).toBe(error.message);
    // Removed, the new lead is named.
    await removeTeamMember(db.em(), { id: lead.id, expectedVersion: 1 }, testActor);
    const named = await updateTeamMember(
      db.em(),
      { id: support.id, expectedVersion: 1, role: 'KEY_ACCOUNT_MANAGER' },
      testActor,
    );
    expect(named.role).toBe('KEY_ACCOUNT_MANAGER');
  });
});

describe('a member is on the team from a day that has come: since is not after today', () => {
  it('addTeamMember refuses a since after today with DATE_IN_FUTURE at since, writing nothing; today is fine', async () => {
    const account = await makeAccount(db.em());
    const person = await makePerson(db.em());
    const day = addDays(today(), 1);
    for (const since of [day, '2030-01-01']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () =>
          addTeamMember(
            db.em(),
            { accountId: account.id, personId: person.id, role: 'KEY_ACCOUNT_MANAGER', since },
            testActor,
          ),
        ['team_member'],
      );
      expect(error.category).toBe('VALIDATION');
      expect(error.message).toMatch(new RegExp(`^since \\(${since}\\) is after today \\(${today()}\\): `));
      expect(error.issues).toEqual([
        { path: ['since'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
    }
    const member = await addTeamMember(
      db.em(),
      { accountId: account.id, personId: person.id, role: 'KEY_ACCOUNT_MANAGER', since: today() },
      testActor,
    );
    expect(member.since).toBe(today());
  });
});
