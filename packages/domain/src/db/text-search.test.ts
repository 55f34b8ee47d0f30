import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { Person } from '../organisation/person.entity.ts';
import { createTestDatabase, makeAccount, makePerson, type TestDatabase } from '../testing/index.ts';
import { findRowsByCursor } from './read-rows.ts';
import { containsIgnoringCase } from './text-search.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await makeAccount(db.em(), { externalRef: 'AT-ÖL-1', name: 'Österreich Ölwerke' });
  await makeAccount(db.em(), { externalRef: 'DE-1', name: 'Straße & Söhne' });
  await makeAccount(db.em(), { externalRef: 'GR-1', name: 'ΑΘΗΝΑ Logistics' });
  await makeAccount(db.em(), { externalRef: 'PCT-1', name: '100% Fresh' });
  await makeAccount(db.em(), { externalRef: 'PCT-2', name: '1000 Fresh' });
  await makePerson(db.em(), { name: 'Zoë Ærø', email: 'zoe@example.test' });
  // ö written as o and a combining diaeresis (NFD), as macOS and some CRM exports write it.
  await makeAccount(db.em(), { externalRef: 'SE-NFD', name: 'Bergstro\u0308m Trading' });
  await makeAccount(db.em(), { externalRef: 'TR-1', name: 'İSTANBUL GIDA A.Ş.' });
  await makeAccount(db.em(), { externalRef: 'TR-2', name: 'istanbul Gıda' });
  await makeAccount(db.em(), { externalRef: 'GR-2', name: 'ΑΘΗΝΑΣ ΤΕΧΝΙΚΗ' });
});
afterAll(async () => {
  await db.close();
});

async function accountsMatching(text: string): Promise<string[]> {
  const accounts = await db.em().find(Account, containsIgnoringCase(db.em(), ['name', 'externalRef'], text), {
    orderBy: { externalRef: 'asc' },
  });
  return accounts.map(a => a.externalRef);
}

describe('containsIgnoringCase', () => {
  it('ignores the case of letters beyond A–Z on both databases', async () => {
    expect(await accountsMatching('österreich')).toEqual(['AT-ÖL-1']);
    expect(await accountsMatching('ÖLWERKE')).toEqual(['AT-ÖL-1']);
    expect(await accountsMatching('at-öl')).toEqual(['AT-ÖL-1']);
    expect(await accountsMatching('SÖHNE')).toEqual(['DE-1']);
    expect(await accountsMatching('αθηνα logistics')).toEqual(['GR-1']);
    expect(await accountsMatching('logistics')).toEqual(['GR-1']);
    // The API counts a search's matches with the same filter (the decomposed Bergström too).
    expect(await db.em().count(Account, containsIgnoringCase(db.em(), ['name', 'externalRef'], 'ö'))).toBe(3);
  });

  it('finds a letter whichever Unicode form either side writes it in (composed or decomposed)', async () => {
    expect(await accountsMatching('bergström')).toEqual(['SE-NFD']);
    expect(await accountsMatching('BERGSTRÖM TRADING')).toEqual(['SE-NFD']);
    expect(await accountsMatching('Bergstro\u0308m')).toEqual(['SE-NFD']);
    expect(await accountsMatching('o\u0308lwerke')).toEqual(['AT-ÖL-1']);
  });

  it('folds every letter on its own, the same on both databases (İ, a final sigma)', async () => {
    // A capital dotted İ is an i, as PostgreSQL folds it (JavaScript's toLowerCase adds a
    // combining dot, so SQLite found "İstanbul" only where it was written with İ).
    expect(await accountsMatching('istanbul')).toEqual(['TR-1', 'TR-2']);
    expect(await accountsMatching('İstanbul')).toEqual(['TR-1', 'TR-2']);
    // Σ folds to σ, and a final ς typed at the end of a word is the same letter.
    expect(await accountsMatching('αθηνας')).toEqual(['GR-2']);
    expect(await accountsMatching('ΑΘΗΝΑΣ')).toEqual(['GR-2']);
    expect(await accountsMatching('αθηνα')).toEqual(['GR-1', 'GR-2']);
  });

  it('matches % and _ as themselves, not as wildcards', async () => {
    expect(await accountsMatching('100%')).toEqual(['PCT-1']);
    expect(await accountsMatching('1_0')).toEqual([]);
  });

  it('works in the read-row pages the API lists with', async () => {
    const page = await findRowsByCursor<Person>(db.em(), Person, {
      where: containsIgnoringCase(db.em(), ['name', 'email'], 'ZOË ÆRØ'),
      orderBy: { name: 'asc', id: 'asc' },
      first: 10,
    });
    expect(page.items.map(p => p.email)).toEqual(['zoe@example.test']);
  });
});
