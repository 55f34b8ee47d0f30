import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import {
  createScratchSchema,
  createTestDatabase,
  dropScratchSchema,
  makeAccount,
  type TestDatabase,
  tableCounts,
  testDialect,
} from '../testing/index.ts';
import { migrateDatabase, pendingMigrations } from './migrate.ts';
import { openOrm } from './orm-config.ts';

let db: TestDatabase;
beforeAll(async () => {
  // createTestDatabase migrates the fresh database once.
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const APPEND_ONLY = [
  'audit_entry',
  'quarter_snapshot',
  'account_snapshot',
  'plan_version',
  'plan_status_change',
  'designation_review',
];
const REFERENCE_TABLES = ['settings', 'service_standard', 'service_element', 'kpi_definition'];
const BLANK_OPTIONAL_TEXTS = 'Migration20261207100000_blank_optional_texts';
const MARKET_SCOPE_KEYS = 'Migration20261207110000_market_scope_keys';
const SETTINGS_SINGLETON = 'Migration20261207110001_settings_singleton';

/** Reverts the migrations from `name` on, leaving the database as it was just before `name` ran. */
async function migrateDownToBefore(name: string): Promise<void> {
  const executed = (await db.orm.migrator.getExecuted()).map(m => m.name);
  const index = executed.indexOf(name);
  if (index < 1) throw new Error(`${name} has not been applied (applied: ${executed.join(', ')})`);
  await db.orm.migrator.down({ to: executed[index - 1] });
}

async function triggerNames(): Promise<string[]> {
  const connection = db.em().getConnection();
  const rows: { name: string }[] =
    db.dialect === 'sqlite'
      ? await connection.execute<{ name: string }[]>(
          "select name from sqlite_master where type = 'trigger' order by name",
        )
      : await connection.execute<{ name: string }[]>(
          `select t.tgname as name
             from pg_trigger t
             join pg_class c on c.oid = t.tgrelid
             join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = current_schema() and not t.tgisinternal
            order by t.tgname`,
        );
  return rows.map(r => String(r.name));
}

interface IndexColumns {
  table: string;
  name: string;
  columns: string[];
  /** A partial index (with a WHERE clause) covers only some rows. */
  partial: boolean;
}

/** Every index of this database's own tables with its columns in order (primary keys excluded). */
async function indexColumns(): Promise<IndexColumns[]> {
  const connection = db.em().getConnection();
  if (db.dialect === 'sqlite') {
    type Row = { tbl: string; name: string; cols: string; sql: string };
    const rows: Row[] = await connection.execute<Row[]>(
      `select m.tbl_name as tbl, m.name as name, m.sql as sql,
              (select group_concat(c.name, ',') from (select name from pragma_index_info(m.name) order by seqno) c) as cols
         from sqlite_master m
        where m.type = 'index' and m.sql is not null`,
    );
    return rows.map(r => ({
      table: r.tbl,
      name: r.name,
      columns: r.cols.split(','),
      partial: / where /i.test(r.sql),
    }));
  }
  type Row = { tbl: string; name: string; def: string };
  const rows: Row[] = await connection.execute<Row[]>(
    `select tablename as tbl, indexname as name, indexdef as def
       from pg_indexes where schemaname = current_schema() and indexname not like '%_pkey'`,
  );
  return rows.map(r => ({
    table: r.tbl,
    name: r.name,
    columns: (/\((.*?)\)/.exec(r.def)?.[1] ?? '').split(',').map(c => c.trim().replaceAll('"', '')),
    partial: / WHERE /.test(r.def),
  }));
}

describe('migrations', () => {
  it('have all been applied to a fresh database', async () => {
    expect(await pendingMigrations(db.orm)).toEqual([]);
    const executed = (await db.orm.migrator.getExecuted()).map(m => m.name);
    expect(executed).toEqual([
      'Migration20261123000000_initial',
      'Migration20261123000001_append_only',
      'Migration20261123000002_account_health',
      // SQLite only: PostgreSQL never had the indexes it drops.
      ...(db.dialect === 'sqlite' ? ['Migration20261206000000_covered_fk_indexes'] : []),
      'Migration20261206000001_plan_status_history',
      // PostgreSQL only: SQLite had these indexes from the start.
      ...(db.dialect === 'postgresql' ? ['Migration20261207000000_foreign_key_indexes'] : []),
      BLANK_OPTIONAL_TEXTS,
      MARKET_SCOPE_KEYS,
      SETTINGS_SINGLETON,
      'Migration20261207170000_initiative_copied_on',
      'Migration20261207180000_designation_review_history',
    ]);
  });

  it('fill the health of snapshots closed before the health column, and keep them append-only', async () => {
    await db.orm.migrator.down({ to: 'Migration20261123000001_append_only' });
    const connection = db.em().getConnection();
    const [snapshot] = await connection.execute<{ id: number }[]>(
      `insert into quarter_snapshot (quarter, revision, closed_at, closed_by, account_count, checksum, payload)
       values ('2020-Q1', 1, ?, 'migration test', 2, 'x', '{}') returning id`,
      [new Date()],
    );
    const health = { score: 71.5, status: 'GREEN', components: [{ key: 'growth', value: 80 }] };
    await connection.execute(
      `insert into account_snapshot (snapshot_id, account_id, external_ref, position, is_key_account, payload)
       values (?, 1, 'A', 1, ?, ?), (?, 2, 'B', 2, ?, ?)`,
      [
        snapshot?.id,
        true,
        JSON.stringify({ a: 1, health }),
        snapshot?.id,
        false,
        JSON.stringify({ health: null }),
      ],
    );
    await migrateDatabase(db.orm);
    const rows = await connection.execute<{ external_ref: string; health: string | null }[]>(
      'select external_ref, health from account_snapshot where snapshot_id = ? order by position',
      [snapshot?.id],
    );
    expect(
      rows.map((r: { external_ref: string; health: string | null }) => [
        r.external_ref,
        r.health === null ? null : JSON.parse(r.health),
      ]),
    ).toEqual([
      ['A', health],
      ['B', null],
    ]);
    await expect(connection.execute("update account_snapshot set health = 'x'")).rejects.toThrow(
      /append-only/,
    );
  });

  it('leave one settings row of a database that had two: the lowest id, the one reads used', async () => {
    await migrateDownToBefore(SETTINGS_SINGLETON);
    const connection = db.em().getConnection();
    const [kept] = await connection.execute<{ id: number }[]>('select min(id) as id from settings');
    // Two first changes at the same time could each insert a row (there was no unique key).
    const usd = { ...DEFAULT_SETTINGS, currency: 'USD' };
    await connection.execute(
      'insert into settings (created_at, updated_at, version, document) values (?, ?, 2, ?)',
      [new Date(), new Date(), JSON.stringify(usd)],
    );
    expect(await tableCounts(db.em(), ['settings'])).toEqual({ settings: 2 });
    await migrateDatabase(db.orm);
    const rows = await connection.execute<{ id: number; document: unknown }[]>(
      'select id, document from settings',
    );
    expect(rows.map((r: { id: number }) => Number(r.id))).toEqual([Number(kept?.id)]);
    const document = typeof rows[0]?.document === 'string' ? JSON.parse(rows[0].document) : rows[0]?.document;
    expect(document.currency).toBe(DEFAULT_SETTINGS.currency);
    // And from now on the table holds no second row.
    await expect(
      connection.execute(
        'insert into settings (created_at, updated_at, version, document) values (?, ?, 1, ?)',
        [new Date(), new Date(), JSON.stringify(usd)],
      ),
    ).rejects.toThrow(/unique|constraint/i);
  });

  it('compare market names by their normalised form: one measurement per market, the latest recorded kept', async () => {
    await migrateDownToBefore(MARKET_SCOPE_KEYS);
    const connection = db.em().getConnection();
    const at = (minute: number) => new Date(Date.UTC(2019, 3, 1, 9, minute));
    // [quarter, market (as written, trimmed), value, version, last written]; market null: no market.
    const rows: [string, string | null, string, number, Date][] = [
      ['2019-Q1', 'DACH', '10.00', 1, at(1)],
      ['2019-Q1', 'Dach', '11.00', 1, at(3)],
      ['2019-Q1', 'dach', '12.00', 3, at(2)],
      ['2019-Q1', 'North  America', '20.00', 1, at(1)],
      ['2019-Q1', 'Nordics', '7.25', 2, at(1)],
      ['2019-Q1', null, '30.00', 1, at(1)],
      ['2019-Q2', 'dach', '13.00', 1, at(5)],
      ['2019-Q2', 'north america', '21.00', 1, at(5)],
    ];
    for (const [quarter, market, value, version, written] of rows) {
      await connection.execute(
        `insert into organisation_measurement (created_at, updated_at, version, kind, quarter, market, scope_key, value)
         values (?, ?, ?, 'MARKET_SHARE', ?, ?, ?, ?)`,
        [written, written, version, quarter, market, market === null ? 'all' : `market:${market}`, value],
      );
    }
    await migrateDatabase(db.orm);
    type Row = { quarter: string; market: string | null; scope_key: string; value: string; version: number };
    const after = await connection.execute<Row[]>(
      `select quarter, market, scope_key, cast(value as text) as value, version from organisation_measurement
        where quarter in ('2019-Q1', '2019-Q2') order by quarter, scope_key`,
    );
    expect(
      after.map((r: Row) => [r.quarter, r.market, r.scope_key, Number(r.value), Number(r.version)]),
    ).toEqual([
      ['2019-Q1', null, 'all', 30, 1],
      // DACH, Dach and dach were one market: Dach's 11.00 was written last and stays, under the
      // market's first spelling, with a version above all three (a client that read any of them reloads).
      ['2019-Q1', 'DACH', 'market:dach', 11, 4],
      ['2019-Q1', 'Nordics', 'market:nordics', 7.25, 2],
      ['2019-Q1', 'North America', 'market:north america', 20, 1],
      ['2019-Q2', 'DACH', 'market:dach', 13, 1],
      ['2019-Q2', 'North America', 'market:north america', 21, 1],
    ]);
  });

  it('store the blank optional texts written before as null, and leave the others as they were', async () => {
    // Before the inputs took a blank optional text as no value, "" and "  " were stored as text.
    const blank = await makeAccount(db.em());
    const spaces = await makeAccount(db.em());
    const food = await makeAccount(db.em());
    const connection = db.em().getConnection();
    const setIndustry = (id: number, industry: string) =>
      connection.execute('update account set industry = ? where id = ?', [industry, id]);
    await setIndustry(blank.id, '');
    await setIndustry(spaces.id, ' \t\n\u00a0 ');
    await setIndustry(food.id, ' Food ');
    await db.orm.migrator.down({ migrations: [BLANK_OPTIONAL_TEXTS] });
    await migrateDatabase(db.orm);
    const rows: { industry: string | null }[] = await connection.execute<{ industry: string | null }[]>(
      'select industry from account where id in (?, ?, ?) order by id',
      [blank.id, spaces.id, food.id],
    );
    expect(rows.map(r => r.industry)).toEqual([null, null, ' Food ']);
  });

  it('created the reference data once: 1 settings row, 7 service standards, 10 elements, 13 KPIs', async () => {
    expect(await tableCounts(db.em(), REFERENCE_TABLES)).toEqual({
      settings: 1,
      service_standard: 7,
      service_element: 10,
      kpi_definition: 13,
    });
  });

  it('migrating again is a no-op: nothing applied, no reference row created, nothing pending', async () => {
    const before = await tableCounts(db.em(), [...REFERENCE_TABLES, 'audit_entry']);
    const again = await migrateDatabase(db.orm);
    expect(again).toEqual({ applied: [], referenceData: { created: 0 } });
    const third = await migrateDatabase(db.orm);
    expect(third).toEqual({ applied: [], referenceData: { created: 0 } });
    expect(await pendingMigrations(db.orm)).toEqual([]);
    expect(await tableCounts(db.em(), [...REFERENCE_TABLES, 'audit_entry'])).toEqual(before);
  });

  it('leave the schema exactly as the entities describe it (no drift)', async () => {
    const drift = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    // On PostgreSQL the other test files' scratch schemas (kam_t_…) live in the same database
    // while this runs; the diff must be empty for this file's own schema.
    const own = db.orm.config.get('schema');
    const lines = drift
      .split('\n')
      .map(line => line.trim())
      .filter(line => line && !(own && /"kam_t_[a-z0-9_]+"/.test(line) && !line.includes(`"${own}"`)));
    expect(lines).toEqual([]);
  });

  it('keep no index whose columns another index of the table starts with', async () => {
    const indexes = await indexColumns();
    const covered = indexes
      .filter(index => !index.partial)
      .flatMap(index =>
        indexes
          .filter(other => other.table === index.table)
          .filter(other => other.name !== index.name && other.columns.length > index.columns.length)
          .filter(other => index.columns.every((column, i) => other.columns[i] === column))
          .map(other => `${index.name} (covered by ${other.name})`),
      );
    expect(covered).toEqual([]);
    // The foreign-key columns those indexes were on are still the first column of an index.
    const leading = new Set(indexes.map(index => `${index.table}.${index.columns[0]}`));
    expect([...leading]).toEqual(
      expect.arrayContaining([
        'team_member.account_id',
        'quarterly_financial.account_id',
        'plan_action.plan_id',
      ]),
    );
  });

  it('index every foreign-key column (the first column of an index), on both databases', async () => {
    // MikroORM's SQLite schema put an index on each many-to-one column; its PostgreSQL schema
    // put none, so on PostgreSQL a page of contacts, signals or an opportunity's unit read the
    // whole table, and deleting or locking a parent row scanned its children.
    const leading = new Set((await indexColumns()).map(index => `${index.table}.${index.columns[0]}`));
    const foreignKeys = [...db.orm.getMetadata().getAll().values()]
      .filter(meta => !meta.virtual && !meta.embeddable && meta.tableName)
      .flatMap(meta =>
        meta.relations
          .filter(prop => prop.kind === 'm:1' || (prop.kind === '1:1' && prop.owner))
          .flatMap(prop => (prop.fieldNames ?? []).slice(0, 1).map(column => `${meta.tableName}.${column}`)),
      );
    expect(foreignKeys.length).toBeGreaterThan(30);
    expect(foreignKeys.filter(column => !leading.has(column)).sort()).toEqual([]);
  });

  it('install the append-only triggers', async () => {
    const names = await triggerNames();
    const expected =
      db.dialect === 'sqlite'
        ? [
            'key_account_designation_no_delete',
            ...APPEND_ONLY.flatMap(t => [`${t}_no_update`, `${t}_no_delete`]),
          ]
        : [
            'key_account_designation_no_delete',
            ...APPEND_ONLY.flatMap(t => [`${t}_append_only`, `${t}_no_truncate`]),
          ];
    expect(names).toEqual(expected.sort());
  });
});

// Several API instances may run `kam migrate` as they start (docs/operations.md): on PostgreSQL
// each is its own session, and two creating the same table at once failed with a raw
// `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`.
describe.runIf(testDialect() === 'postgresql')(
  'migrating from several processes at once (PostgreSQL)',
  () => {
    it('applies the migrations once; the others wait and find the database up to date', async () => {
      const url = process.env.KAM_TEST_DATABASE_URL as string;
      const schema = await createScratchSchema(url, 'kam_migrate');
      const orms = await Promise.all([1, 2, 3].map(() => openOrm({ url, schema, poolSize: 2 })));
      try {
        const reports = await Promise.all(orms.map(orm => migrateDatabase(orm)));
        const all =
          (await pendingMigrations(orms[0]!)).length + (await orms[0]!.migrator.getExecuted()).length;
        // One run applied every migration and created the reference data; the others found nothing to do.
        expect(reports.map(r => r.applied.length).sort((a, b) => b - a)).toEqual([all, 0, 0]);
        expect(reports.map(r => r.referenceData.created).filter(n => n > 0)).toHaveLength(1);
        expect(await pendingMigrations(orms[1]!)).toEqual([]);
        expect(await tableCounts(orms[2]!.em.fork(), REFERENCE_TABLES)).toEqual({
          settings: 1,
          service_standard: 7,
          service_element: 10,
          kpi_definition: 13,
        });
      } finally {
        await Promise.all(orms.map(orm => orm.close(true)));
        await dropScratchSchema(url, schema);
      }
    });
  },
);
