import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  expectRejected,
  makeBusinessUnit,
  makePerson,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { BusinessUnit } from './business-unit.entity.ts';
import {
  createBusinessUnit,
  createPerson,
  updateBusinessUnit,
  updatePerson,
} from './organisation.service.ts';
import { Person } from './person.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('business units and people', () => {
  it('business unit codes and e-mail addresses are unique (e-mail case-insensitively)', async () => {
    await makeBusinessUnit(db.em(), { code: 'ORG-EMEA' });
    await expectRejected(
      db.em(),
      'CODE_TAKEN',
      () => createBusinessUnit(db.em(), { code: 'ORG-EMEA', name: 'Again', kind: 'GEOGRAPHY' }, testActor),
      ['business_unit'],
    );
    await makePerson(db.em(), { email: 'sam@example.test' });
    await expectRejected(
      db.em(),
      'CODE_TAKEN',
      () => createPerson(db.em(), { name: 'Sam Again', email: 'SAM@example.test' }, testActor),
      ['person'],
    );
  });

  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const unit = await makeBusinessUnit(db.em(), { name: 'Before' });
    await updateBusinessUnit(db.em(), { id: unit.id, expectedVersion: 1, name: 'First' }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateBusinessUnit(db.em(), { id: unit.id, expectedVersion: 1, name: 'Second' }, testActor),
      ['business_unit'],
    );
    expect((await db.em().findOneOrFail(BusinessUnit, unit.id)).name).toBe('First');

    const person = await makePerson(db.em(), { name: 'Pat' });
    await updatePerson(db.em(), { id: person.id, expectedVersion: 1, title: 'KAM' }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updatePerson(db.em(), { id: person.id, expectedVersion: 1, active: false }, testActor),
      ['person'],
    );
    const reloaded = await db.em().findOneOrFail(Person, person.id);
    expect([reloaded.title, reloaded.active, reloaded.version]).toEqual(['KAM', true, 2]);
  });
});

describe('a blank optional text is no value', () => {
  it('createPerson stores a blank title as null; updatePerson clears one with a blank', async () => {
    const blank = await createPerson(
      db.em(),
      { name: 'Bo', email: 'bo@example.test', title: ' ' },
      testActor,
    );
    expect((await db.em().findOneOrFail(Person, blank.id)).title).toBeNull();
    const kam = await createPerson(
      db.em(),
      { name: 'Kit', email: 'kit@example.test', title: 'Key account manager' },
      testActor,
    );
    await updatePerson(db.em(), { id: kam.id, expectedVersion: 1, title: '  ' }, testActor);
    const reloaded = await db.em().findOneOrFail(Person, kam.id);
    expect([reloaded.title, reloaded.version]).toEqual([null, 2]);
  });
});
