import type { EntityClass } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { writeAs } from '../common/unit-of-work.ts';
import { seedDemoPortfolio } from '../demo/demo.ts';
import { Person } from '../organisation/person.entity.ts';
import { AccountPlan } from '../plans/account-plan.entity.ts';
import { KeyAccountDesignation } from '../selection/designation.entity.ts';
import { Contact } from '../team/contact.entity.ts';
import { TeamMember } from '../team/team-member.entity.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { findRowsByCursor, isReadRow, placeholders, selectRows, selectRowsJoined } from './read-rows.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoPortfolio(db.em(), { accounts: 60, quarters: 3, seed: 11, endQuarter: '2026-Q3' }, testActor);
});
afterAll(async () => {
  await db.close();
});

/** What a hydrated entity holds for its stored fields, owning relations as `{ id }`. */
function fieldsOf(entity: object, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = (entity as Record<string, unknown>)[name];
    out[name] =
      value && typeof value === 'object' && !(value instanceof Date) && 'id' in value
        ? { id: (value as { id: number }).id }
        : (value ?? null);
  }
  return out;
}

const ENTITIES: [string, EntityClass<object>][] = [
  ['Account', Account],
  ['QuarterlyFinancial', QuarterlyFinancial],
  ['Person', Person],
  ['TeamMember', TeamMember],
  ['Contact', Contact],
  ['AccountPlan', AccountPlan],
  ['KeyAccountDesignation', KeyAccountDesignation],
];

describe('read rows', () => {
  it.each(ENTITIES)('hold exactly what a hydrated %s holds', async (name, entity) => {
    const entities = (await db.em().find(entity, {}, { orderBy: { id: 'asc' } as never, limit: 40 })) as {
      id: number;
    }[];
    expect(entities.length).toBeGreaterThan(0);
    const ids = entities.map(e => e.id);
    const rows = await selectRows(db.em(), entity, `where id in (${placeholders(ids)}) order by id`, ids);
    expect(rows).toHaveLength(entities.length);
    const meta = db.orm.getMetadata().get(entity);
    const names = meta.props
      .filter(
        p =>
          p.persist !== false && (p.kind === 'scalar' || p.kind === 'm:1' || (p.kind === '1:1' && p.owner)),
      )
      .map(p => p.name);
    for (const [i, row] of rows.entries()) {
      expect(isReadRow(row, name)).toBe(true);
      expect(fieldsOf(row, names)).toEqual(fieldsOf(entities[i] as object, names));
    }
  });

  it('page exactly as em.findByCursor does: the same rows, cursors and page flags both ways', async () => {
    const accountNames = db.orm
      .getMetadata()
      .get(Account)
      .props.filter(p => p.persist !== false && (p.kind === 'scalar' || p.kind === 'm:1'))
      .map(p => p.name);
    const orderBy = { externalRef: 'asc', id: 'asc' } as const;
    const pages = [
      { first: 7 },
      { first: 7, after: undefined as string | undefined },
      { last: 5, before: undefined as string | undefined },
    ];
    const first = await db.em().findByCursor(Account, { where: {}, orderBy, first: 7, includeCount: false });
    pages[1] = { first: 7, after: first.endCursor ?? undefined };
    pages[2] = { last: 5, before: first.endCursor ?? undefined };
    for (const page of pages) {
      const where = { name: { $like: '%' } };
      const expected = await db.em().findByCursor(Account, { where, orderBy, ...page, includeCount: false });
      const actual = await findRowsByCursor(db.em(), Account, { where, orderBy, ...page });
      expect(actual.items.map(r => fieldsOf(r, accountNames))).toEqual(
        expected.items.map(e => fieldsOf(e, accountNames)),
      );
      expect(actual.items.length).toBeGreaterThan(0);
      expect([actual.startCursor, actual.endCursor, actual.hasNextPage, actual.hasPrevPage]).toEqual([
        expected.startCursor,
        expected.endCursor,
        expected.hasNextPage,
        expected.hasPrevPage,
      ]);
    }
  });

  it('are told apart from entities and from rows of another type', async () => {
    const [row] = await selectRows(db.em(), Account, 'order by id limit 1');
    const entity = await db.em().findOne(Account, { id: { $gt: 0 } });
    expect(isReadRow(row, 'Account')).toBe(true);
    expect(isReadRow(row, 'Person')).toBe(false);
    expect(isReadRow(entity, 'Account')).toBe(false);
  });

  it('joined to a many-to-one relation hold the related read row in its place, in one statement', async () => {
    const members = await selectRows(db.em(), TeamMember, 'order by id limit 30');
    expect(members.length).toBeGreaterThan(0);
    const ids = members.map(m => m.id);
    const joined = await selectRowsJoined(
      db.em(),
      TeamMember,
      'person',
      `where t.id in (${placeholders(ids)}) order by t.id`,
      ids,
    );
    const personIds = [...new Set(members.map(m => m.person.id))];
    const people = await selectRows(db.em(), Person, `where id in (${placeholders(personIds)})`, personIds);
    const personById = new Map(people.map(p => [p.id, p]));
    expect(joined).toHaveLength(members.length);
    for (const [i, row] of joined.entries()) {
      const member = members[i] as TeamMember;
      expect(isReadRow(row, 'TeamMember')).toBe(true);
      expect(isReadRow(row.person, 'Person')).toBe(true);
      expect({ ...row, person: { id: row.person.id } }).toEqual(member);
      expect(row.person).toEqual(personById.get(member.person.id));
    }
  });

  it('joined to a nullable relation of their own type hold null where it is empty', async () => {
    const [child, parent, orphan] = await writeAs(db.em(), testActor, async tx => {
      const accounts = await tx.find(Account, {}, { orderBy: { id: 'desc' }, limit: 3 });
      const [first, second, third] = accounts;
      if (!first || !second || !third) throw new Error('fixture accounts missing');
      first.parent = second;
      third.parent = undefined;
      return accounts;
    });
    if (!child || !parent || !orphan) throw new Error('fixture accounts missing');
    const ids = [child.id, orphan.id];
    const rows = await selectRowsJoined(
      db.em(),
      Account,
      'parent',
      `where t.id in (${placeholders(ids)}) order by t.id desc`,
      ids,
    );
    const [parentRow] = await selectRows(db.em(), Account, 'where id = ?', [parent.id]);
    expect(rows.map(r => r.id)).toEqual([child.id, orphan.id]);
    expect(rows[0]?.parent).toEqual(parentRow);
    expect(rows[0]?.name).toBe(child.name);
    expect(rows[1]?.parent ?? null).toBeNull();
    await expect(selectRowsJoined(db.em(), Account, 'name', '')).rejects.toThrow(
      'Account.name is not a many-to-one relation',
    );
  });
});
