/**
 * The whitespace of a group larger than a statement can bind (SQLite 32,766 parameters,
 * PostgreSQL 65,535): its 40,001 members go to the database as one set, not as a list of ids
 * (twice, once per branch of the query), and every member's figures count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  longestStatement,
  makeAccount,
  makeBusinessUnit,
  statementLog,
  type TestDatabase,
} from '../testing/index.ts';
import { computeWhitespace } from './rollup.ts';

const CHILDREN = 40_000;

let db: TestDatabase;
let rootId: number;
const log = statementLog();

beforeAll(async () => {
  db = await createTestDatabase({ onQuery: log.onQuery });
  const em = db.em();
  const unit = await makeBusinessUnit(em, { code: 'WS' });
  rootId = (await makeAccount(em, { externalRef: 'GROUP' })).id;
  const outsider = await makeAccount(em, { externalRef: 'OUTSIDER' });
  const connection = em.getConnection();
  const now = new Date('2026-07-01T00:00:00Z');
  // Child i (1 … 40,000) of the group: a 2026-Q2 line with the unit (revenue 1.00, potential
  // 2.00), and for even i an open qualified bid of 3.00 with it.
  await connection.execute(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${CHILDREN})
     insert into account (created_at, updated_at, version, external_ref, name, parent_id)
     select ?, ?, 1, 'WS-' || i, 'Member ' || i, ? from n`,
    [now, now, rootId],
    'run',
  );
  await connection.execute(
    `insert into quarterly_financial
       (created_at, updated_at, version, account_id, quarter, business_unit_id, revenue, gross_profit, cost_to_serve, potential)
     select ?, ?, 1, id, '2026-Q2', ?, 100, 40, 10, 200 from account where parent_id = ?`,
    [now, now, unit.id, rootId],
    'run',
  );
  await connection.execute(
    `insert into opportunity (created_at, updated_at, version, external_ref, account_id, business_unit_id, name, value, qualified)
     select ?, ?, 1, 'BID-' || external_ref, id, ?, 'Bid', 300, ? from account
     where parent_id = ? and cast(substr(external_ref, 4) as integer) % 2 = 0`,
    [now, now, unit.id, true, rootId],
    'run',
  );
  // Outside the group: not counted.
  await connection.execute(
    `insert into quarterly_financial
       (created_at, updated_at, version, account_id, quarter, business_unit_id, revenue, gross_profit, cost_to_serve)
     values (?, ?, 1, ?, '2026-Q2', ?, 99900, 0, 0)`,
    [now, now, outsider.id, unit.id],
    'run',
  );
});
afterAll(async () => {
  await db.close();
});

describe('computeWhitespace of a group of 40,001 accounts', () => {
  it('counts every member, with a statement as short as for a small group', async () => {
    const { result: cells, statements } = await log.during(() =>
      computeWhitespace(db.em(), '2026-Q2', rootId, { group: true }),
    );
    // Revenue 40,000 × 1.00; potential 40,000 × 2.00; pipeline 20,000 even members × 3.00.
    expect(cells).toEqual([
      {
        businessUnitCode: 'WS',
        businessUnitName: expect.any(String),
        ttmRevenue: '40000.00',
        potential: '80000.00',
        openQualifiedPipeline: '60000.00',
        wonValueTtm: '0.00',
        whiteSpace: false,
      },
    ]);
    // A list of the members' ids would be 40,001 × "?, " twice.
    expect(longestStatement(statements)).toBeLessThan(8_000);
  });
});
