import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  createBusinessUnit,
  createPerson,
  importFinancials,
  migrateDatabase,
  openOrm,
  systemActor,
  upsertAccounts,
} from '@kam/domain';
import { createTestDatabase, type TestDatabase, tableCounts, testDialect } from '@kam/domain/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileErrorMessage, main } from '../src/cli/main.ts';
import { CSV_KINDS, type CsvKind } from '../src/io/csv-formats.ts';
import { exportCsv, exportCsvToFile } from '../src/io/export.ts';
import { importCsv } from '../src/io/import.ts';
import { cliOn } from './cli.ts';
import { KAM_MAIN, runKam } from './reliability/processes.ts';

const actor = systemActor('test import');
const dir = mkdtempSync(path.join(tmpdir(), 'kam-io-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function seedReference(db: TestDatabase) {
  await createBusinessUnit(db.em(), { code: 'EMEA', name: 'Europe', kind: 'GEOGRAPHY' }, actor);
  await createBusinessUnit(db.em(), { code: 'SVC', name: 'Services', kind: 'OFFERING' }, actor);
  await createPerson(db.em(), { name: 'Kim Lead', email: 'kim@example.test' }, actor);
}

const ACCOUNTS = `externalRef,name,parentRef,segmentCode,industry,country,customerSince
C-LOCAL,"Local, Ltd",C-REGION,,Chemicals,FR,2019-03-01
C-REGION,Region GmbH,C-ROOT,,Chemicals,DE,
C-ROOT,Root Holding,,,Chemicals,DE,2010-01-15
D-1,Delta,,,"Food ""&"" Drink",NL,
`;
const FINANCIALS = `accountRef,quarter,businessUnitCode,revenue,grossProfit,costToServe,potential,pricePremium
C-ROOT,2026-Q1,EMEA,1000.10,300.00,50.5,5000,
C-ROOT,2026-Q1,SVC,0.10,0.05,0,,
D-1,2026-Q2,,42,10,1.25,,2.5
`;
const CONTACTS = `externalRef,accountRef,name,title,email,function,influence,stance,whatTheyValue,lastContactOn,counterpartEmail
K-1,C-ROOT,Ann Buyer,Head of procurement,ann@c.test,PROCUREMENT,4,NEUTRAL,Price and reliability,2026-05-02,kim@example.test
`;
const OPPORTUNITIES = `externalRef,accountRef,businessUnitCode,name,value,qualified,qualifiedOn,expectedCloseOn,outcome,decidedOn,lostReason
O-1,C-ROOT,EMEA,Line retrofit,25000,true,2026-01-10,,WON,2026-03-01,
O-2,D-1,SVC,Service contract,1200.5,false,,2026-12-01,OPEN,,
`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedReference(db);
});
afterAll(async () => {
  await db.close();
});

/** How many accounts the SQLite database at `database` holds. */
async function accountsIn(database: string): Promise<number> {
  const orm = await openOrm({ url: database });
  try {
    return (await tableCounts(orm.em.fork(), ['account'])).account ?? 0;
  } finally {
    await orm.close(true);
  }
}

describe('kam import / export', () => {
  it('needs parents before their children across batches, and says so', async () => {
    const report = await importCsv(
      db.em(),
      'accounts',
      file('accounts.csv', ACCOUNTS),
      { mode: 'ATOMIC', batchSize: 2 },
      actor,
    );
    expect(report).toMatchObject({ rows: 4, created: 0, rejected: 2, written: false });
    // Line 3's parent (line 4) is in a later batch; line 2 is under line 3, which was rejected.
    expect(report.rejections.map(r => [r.line, r.path.join('.'), r.code])).toEqual([
      [2, 'parentRef', 'ACCOUNT_PARENT_ROW_REJECTED'],
      [3, 'parentRef', 'NOT_FOUND'],
    ]);
    expect(report.rejections[0]?.message).toMatch(/fix line 3 and import both rows again/);
    expect(report.rejections[1]?.message).toMatch(/parents before their children/);
  });

  it('imports accounts with children before parents inside one batch', async () => {
    const report = await importCsv(
      db.em(),
      'accounts',
      file('accounts.csv', ACCOUNTS),
      { mode: 'ATOMIC', batchSize: 4 },
      actor,
    );
    expect(report).toMatchObject({ rows: 4, created: 4, rejected: 0, written: true });
  });

  it('imports financials, contacts and opportunities through the bulk operations', async () => {
    expect(
      await importCsv(
        db.em(),
        'financials',
        file('f.csv', FINANCIALS),
        { mode: 'ATOMIC', batchSize: 10 },
        actor,
      ),
    ).toMatchObject({ created: 3 });
    expect(
      await importCsv(db.em(), 'contacts', file('c.csv', CONTACTS), { mode: 'ATOMIC', batchSize: 10 }, actor),
    ).toMatchObject({ created: 1 });
    expect(
      await importCsv(
        db.em(),
        'opportunities',
        file('o.csv', OPPORTUNITIES),
        { mode: 'ATOMIC', batchSize: 10 },
        actor,
      ),
    ).toMatchObject({ created: 2 });
  });

  it('round-trips: export, import into a fresh database, export again gives identical files', async () => {
    const other = await createTestDatabase();
    try {
      await seedReference(other);
      for (const kind of ['accounts', 'financials', 'contacts', 'opportunities'] as const) {
        const first = path.join(dir, `${kind}-1.csv`);
        await exportCsvToFile(db.em(), kind, first);
        const report = await importCsv(other.em(), kind, first, { mode: 'ATOMIC', batchSize: 1 }, actor);
        expect(report.rejected, `${kind}: ${JSON.stringify(report.rejections)}`).toBe(0);
        const second = path.join(dir, `${kind}-2.csv`);
        await exportCsvToFile(other.em(), kind, second);
        expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
      }
      expect(readFileSync(path.join(dir, 'financials-1.csv'), 'utf8')).toContain(
        'C-ROOT,2026-Q1,SVC,0.10,0.05,0.00,,',
      );
      expect(readFileSync(path.join(dir, 'accounts-1.csv'), 'utf8').split('\n')[1]).toMatch(/^C-ROOT,/);
    } finally {
      await other.close();
    }
  });

  it('exports text a spreadsheet would run as a formula behind an apostrophe, and imports it back as written', async () => {
    const source = await createTestDatabase();
    const other = await createTestDatabase();
    try {
      await seedReference(source);
      await seedReference(other);
      const names = [
        '=HYPERLINK("http://evil.test","Open")',
        '@SUM(1+1)',
        "'=already quoted",
        "'plain quote",
        '-5',
      ];
      await upsertAccounts(
        source.em(),
        names.map((name, i) => ({ externalRef: `F-${i}`, name, industry: i === 0 ? '+cmd|calc' : null })),
        { mode: 'ATOMIC' },
        actor,
      );
      await importFinancials(
        source.em(),
        [
          {
            accountRef: 'F-1',
            quarter: '2026-Q1',
            revenue: '10.00',
            grossProfit: '-12.50',
            costToServe: '1.00',
          },
        ],
        { mode: 'ATOMIC' },
        actor,
      );
      const accounts = path.join(dir, 'formulas.csv');
      await exportCsvToFile(source.em(), 'accounts', accounts);
      const text = readFileSync(accounts, 'utf8');
      expect(text.split('\n').slice(1, 6)).toEqual([
        `F-0,"'=HYPERLINK(""http://evil.test"",""Open"")",,,'+cmd|calc,,`,
        "F-1,'@SUM(1+1),,,,,",
        "F-2,''=already quoted,,,,,",
        "F-3,'plain quote,,,,,",
        'F-4,-5,,,,,',
      ]);
      const financials = path.join(dir, 'formulas-financials.csv');
      await exportCsvToFile(source.em(), 'financials', financials);
      // A negative amount is a number, not a formula: left as it is.
      expect(readFileSync(financials, 'utf8')).toContain('F-1,2026-Q1,,10.00,-12.50,1.00,,');
      const report = await importCsv(
        other.em(),
        'accounts',
        accounts,
        { mode: 'ATOMIC', batchSize: 10 },
        actor,
      );
      expect(report).toMatchObject({ created: 5, rejected: 0 });
      type Row = { external_ref: string; name: string; industry: string | null };
      const rows: Row[] = await other
        .em()
        .getConnection()
        .execute<Row[]>(
          `select external_ref, name, industry from account where external_ref like 'F-%' order by external_ref`,
        );
      expect(rows.map(r => [r.name, r.industry])).toEqual(
        names.map((name, i) => [name, i === 0 ? '+cmd|calc' : null]),
      );
      const again = path.join(dir, 'formulas-2.csv');
      await exportCsvToFile(other.em(), 'accounts', again);
      expect(readFileSync(again, 'utf8')).toBe(text);
    } finally {
      await source.close();
      await other.close();
    }
  });

  it('exports the same rows whatever the page size (keyset pages across the hierarchy)', async () => {
    const collect = async (kind: CsvKind, pageSize?: number) => {
      let text = '';
      const out = new Writable({
        write(chunk, _encoding, done) {
          text += String(chunk);
          done();
        },
      });
      const rows = await exportCsv(db.em(), kind, out, { pageSize });
      return { rows, text };
    };
    for (const kind of CSV_KINDS) {
      const whole = await collect(kind);
      expect(whole.rows, kind).toBeGreaterThan(0);
      for (const pageSize of [1, 2, 3])
        expect(await collect(kind, pageSize), `${kind} by ${pageSize}`).toEqual(whole);
    }
    // Parents before children: every parent ref appears on an earlier line.
    const records = parse((await collect('accounts', 2)).text, { columns: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThanOrEqual(4);
    const seen = new Set<string>();
    for (const { externalRef, parentRef } of records) {
      if (parentRef) expect(seen.has(parentRef), `${externalRef} after its parent ${parentRef}`).toBe(true);
      seen.add(externalRef as string);
    }
  });

  it('imports a text cell of spaces as an empty cell: no value, exported empty', async () => {
    const other = await createTestDatabase();
    try {
      const csv = `externalRef,name,parentRef,segmentCode,industry,country,customerSince
E-1,Echo,,,   ,DE,
E-2,Foxtrot,,,,DE,
`;
      const report = await importCsv(
        other.em(),
        'accounts',
        file('blank.csv', csv),
        { mode: 'ATOMIC', batchSize: 10 },
        actor,
      );
      expect(report).toMatchObject({ created: 2, rejected: 0 });
      type Row = { external_ref: string; industry: string | null };
      const rows: Row[] = await other
        .em()
        .getConnection()
        .execute<Row[]>('select external_ref, industry from account order by external_ref');
      expect(rows.map(r => [r.external_ref, r.industry])).toEqual([
        ['E-1', null],
        ['E-2', null],
      ]);
      const exported = path.join(dir, 'blank-export.csv');
      await exportCsvToFile(other.em(), 'accounts', exported);
      expect(readFileSync(exported, 'utf8').split('\n').slice(1, 3)).toEqual([
        'E-1,Echo,,,,DE,',
        'E-2,Foxtrot,,,,DE,',
      ]);
    } finally {
      await other.close();
    }
  });

  it('ATOMIC: one bad row in a later batch writes nothing at all, and names its line', async () => {
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    const report = await importCsv(
      db.em(),
      'accounts',
      file('bad.csv', 'externalRef,name,country\nN-1,New one,DE\nN-2,New two,DE\nN-3,,Germany\n'),
      { mode: 'ATOMIC', batchSize: 2 },
      actor,
    );
    expect(report).toMatchObject({ rows: 3, created: 0, rejected: 1, written: false });
    expect(report.rejections.map(r => [r.line, r.path.join('.')])).toEqual([
      [4, 'name'],
      [4, 'country'],
    ]);
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
  });

  it('PARTIAL: writes the good rows', async () => {
    const report = await importCsv(
      db.em(),
      'accounts',
      file('partial.csv', 'externalRef,name\nP-1,Good\nP-2,\n'),
      { mode: 'PARTIAL', batchSize: 10 },
      actor,
    );
    expect(report).toMatchObject({ created: 1, rejected: 1 });
    expect(report.rejections[0]).toMatchObject({
      line: 3,
      path: ['name'],
      code: 'REQUIRED',
      message: 'is required',
    });
  });

  it('names the line of the first copy of a duplicated row, not its index in the batch', async () => {
    // The message used to say "first at row 0": its index in the bulk call, a row no one can
    // find in the file (whose line 1 is the header).
    const inOneBatch = await importCsv(
      db.em(),
      'accounts',
      file('dup2.csv', 'externalRef,name\nR-0,Zero\nR-1,One\nR-0,Zero again\n'),
      { mode: 'PARTIAL', batchSize: 10 },
      actor,
    );
    expect(inOneBatch.rejections).toEqual([
      {
        index: 2,
        line: 4,
        path: ['externalRef'],
        code: 'DUPLICATE_ROW',
        message:
          'external ref R-0 appears twice in this file (first on line 2); send each external ref once.',
      },
    ]);
  });

  it('rejects a malformed CSV record by its line, like a bad row, in both modes', async () => {
    const text = [
      'externalRef,name,country',
      'M-1,First,DE',
      'M-2,Too,many,fields',
      'M-3,Short',
      'M-4,"Fourth, Ltd",FR',
      'M-5,"Unclosed,DE',
      '',
    ].join('\n');
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    const atomic = await importCsv(
      db.em(),
      'accounts',
      file('malformed.csv', text),
      { mode: 'ATOMIC', batchSize: 2 },
      actor,
    );
    expect(atomic).toMatchObject({ rows: 5, created: 0, rejected: 3, written: false });
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
    const expected = [
      [3, 'CSV_RECORD_INCONSISTENT_COLUMNS'],
      [4, 'CSV_RECORD_INCONSISTENT_COLUMNS'],
      [6, 'CSV_QUOTE_NOT_CLOSED'],
    ];
    expect(atomic.rejections.map(r => [r.line, r.code])).toEqual(expected);
    expect(atomic.rejections[0]?.message).toMatch(
      /^Invalid Record Length: columns length is 3, got 4 on line 3\. Check this line's quotes and commas against the header\.$/,
    );
    const partial = await importCsv(
      db.em(),
      'accounts',
      file('malformed.csv', text),
      { mode: 'PARTIAL', batchSize: 2 },
      actor,
    );
    expect(partial).toMatchObject({ rows: 5, created: 2, rejected: 3, written: true });
    expect(partial.rejections.map(r => [r.line, r.code])).toEqual(expected);
  });

  it('rejects a field holding a NUL character (neither database stores it) and imports the rest', async () => {
    const report = await importCsv(
      db.em(),
      'accounts',
      file('nul.csv', 'externalRef,name\nZ-1,Clean\nZ-2,Nul\u0000name\n'),
      { mode: 'PARTIAL', batchSize: 10 },
      actor,
    );
    expect(report).toMatchObject({ rows: 2, created: 1, rejected: 1 });
    expect(report.rejections).toEqual([
      expect.objectContaining({ line: 3, path: ['name'], code: 'UNSTORABLE_TEXT' }),
    ]);
  });

  it('refuses a file with unknown or missing columns before writing anything', async () => {
    await expect(
      importCsv(
        db.em(),
        'financials',
        file('hdr.csv', 'account,quarter\nX,2026-Q1\n'),
        { mode: 'PARTIAL', batchSize: 10 },
        actor,
      ),
    ).rejects.toThrow(
      /unknown column\(s\) account; missing column\(s\) accountRef, revenue, grossProfit, costToServe/,
    );
  });

  it('ATOMIC: refuses a bad header the clean way even when the transaction is slow to begin', async () => {
    // On PostgreSQL, beginning the transaction is a round trip: the parser had already rejected
    // the header by then, with no one listening, and about half the runs crashed the process
    // with "Unhandled 'error' event" instead of this message. A slow begin makes it certain.
    const em = db.em();
    const transactional = em.transactional.bind(em);
    const slowBegin = vi.spyOn(em, 'transactional').mockImplementation(async (work, options) => {
      await new Promise(resolve => setTimeout(resolve, 200));
      return transactional(work, options);
    });
    try {
      await expect(
        importCsv(
          em,
          'accounts',
          file('slow-begin.csv', 'externalRef,name,extra1\nB-1,Begin\n'),
          { mode: 'ATOMIC', batchSize: 10 },
          actor,
        ),
      ).rejects.toThrow(
        /slow-begin\.csv: unknown column\(s\) extra1\. Expected the header externalRef,name,.*Nothing was imported\.$/,
      );
      expect(slowBegin).toHaveBeenCalledOnce();
    } finally {
      slowBegin.mockRestore();
    }
  });

  it('names the column meant when only its case differs, and a header split by another separator', async () => {
    const run = (name: string, content: string) =>
      importCsv(db.em(), 'accounts', file(name, content), { mode: 'PARTIAL', batchSize: 10 }, actor);
    await expect(run('case.csv', 'externalref,name\nA-9,X\n')).rejects.toThrow(
      /unknown column\(s\) externalref \(did you mean externalRef\?\); missing column\(s\) externalRef\./,
    );
    await expect(run('semicolons.csv', 'externalRef;name;country\nA-9;X;DE\n')).rejects.toThrow(
      /: the header is separated by ";", but kam reads comma-separated files: save it as CSV with commas\. Expected the header externalRef,name,/,
    );
    await expect(run('tabs.csv', 'externalRef\tname\nA-9\tX\n')).rejects.toThrow(/separated by tabs/);
    // "externalRef, name" (a space after the comma) was "unknown column(s)  name; missing column(s)
    // name": the space is invisible in the message.
    await expect(run('spaces.csv', 'externalRef, name ,country\nA-9,X,DE\n')).rejects.toThrow(
      /: unknown column\(s\) " name " \(did you mean name\? remove the spaces around it\); missing column\(s\) name\./,
    );
  });

  it('refuses a header that names a column twice or leaves one unnamed', async () => {
    const run = (name: string, content: string) =>
      importCsv(db.em(), 'accounts', file(name, content), { mode: 'PARTIAL', batchSize: 10 }, actor);
    // Both used to import: the last "name" silently won, and an unnamed column read as
    // "unknown column(s) ." (an empty name, invisible).
    await expect(run('twice.csv', 'externalRef,name,name\nH-1,First,Second\n')).rejects.toThrow(
      /: column name appears more than once; give each column once\. Expected the header/,
    );
    await expect(run('unnamed.csv', 'externalRef,name,\nH-2,X,\n')).rejects.toThrow(
      /: column 3 has no name \(a comma too many at the end of the header\?\)\. Expected the header/,
    );
    const refs = await db
      .em()
      .getConnection()
      .execute("select external_ref from account where external_ref like 'H-%'");
    expect(refs).toEqual([]);
  });

  it('refuses a file that is not UTF-8 before writing anything, and says how to save it', async () => {
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    const run = (p: string) => importCsv(db.em(), 'accounts', p, { mode: 'PARTIAL', batchSize: 1 }, actor);
    // "Müller" saved by a spreadsheet as Windows-1252: ü is the single byte 0xFC. It used to be
    // stored as "M\uFFFDller", without a word.
    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(
      latin1,
      Buffer.concat([
        Buffer.from('externalRef,name\nE-1,Good\nE-2,M'),
        Buffer.from([0xfc]),
        Buffer.from('ller\n'),
      ]),
    );
    await expect(run(latin1)).rejects.toThrow(
      `${latin1} is not UTF-8 text: line 3 holds bytes that are not UTF-8 (a file saved as Windows-1252 or Latin-1, say). Save it as "CSV UTF-8" and import it again. Nothing was imported.`,
    );
    // Far into the file (the stream reads 64 KiB at a time), and on a last line without a newline.
    const far = path.join(dir, 'far.csv');
    const good = Array.from({ length: 5000 }, (_, i) => `F-${i},Name ${i}\n`).join('');
    writeFileSync(far, Buffer.concat([Buffer.from(`externalRef,name\n${good}F-x,M`), Buffer.from([0xfc])]));
    await expect(run(far)).rejects.toThrow(`${far} is not UTF-8 text: line 5002 holds bytes`);
    writeFileSync(
      far,
      Buffer.concat([
        Buffer.from(`externalRef,name\n${good}`),
        Buffer.from([0xfc]),
        Buffer.from(`\n${good}`),
      ]),
    );
    await expect(run(far)).rejects.toThrow(`${far} is not UTF-8 text: line 5002 holds bytes`);
    const utf16 = path.join(dir, 'utf16.csv');
    writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('externalRef,name\nE-3,X\n', 'utf16le')]),
    );
    await expect(run(utf16)).rejects.toThrow(
      `${utf16} is UTF-16 text ("Unicode text"), but kam reads UTF-8: save it as "CSV UTF-8" and import it again. Nothing was imported.`,
    );
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
    // UTF-8 text is read as written, also where a character spans two chunks of the stream.
    const names = Array.from({ length: 3000 }, (_, i) => `E-${1000 + i},Müller Ünïcödé € ${i}`);
    const report = await importCsv(
      db.em(),
      'accounts',
      file('utf8.csv', `\uFEFFexternalRef,name\n${names.join('\n')}\n`),
      { mode: 'ATOMIC', batchSize: 10_000 },
      actor,
    );
    expect(report).toMatchObject({ rows: 3000, created: 3000, rejected: 0 });
    const [stored] = await db
      .em()
      .getConnection()
      .execute<{ name: string }[]>("select name from account where external_ref = 'E-3999'");
    expect(stored?.name).toBe('Müller Ünïcödé € 2999');
  });

  it('rejects a row repeated in a later batch as in the same one, whatever the batch size', async () => {
    const text = 'externalRef,name\nQ-1,First\nQ-2,Other\nQ-1,Second\n';
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    for (const batchSize of [1, 2, 10]) {
      const report = await importCsv(
        db.em(),
        'accounts',
        file('dup-batches.csv', text),
        { mode: 'ATOMIC', batchSize },
        actor,
      );
      // With batches of 1 or 2 the second Q-1 used to update the first: "2 created, 1 updated".
      expect(report, `batch ${batchSize}`).toMatchObject({ rows: 3, created: 0, updated: 0, rejected: 1 });
      expect(
        report.rejections.map(r => [r.line, r.path, r.code, r.message]),
        `batch ${batchSize}`,
      ).toEqual([
        [
          4,
          ['externalRef'],
          'DUPLICATE_ROW',
          'external ref Q-1 appears twice in this file (first on line 2); send each external ref once.',
        ],
      ]);
    }
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
    await importCsv(
      db.em(),
      'accounts',
      file('q-9.csv', 'externalRef,name\nQ-9,Nine\n'),
      { mode: 'ATOMIC', batchSize: 1 },
      actor,
    );
    const financials = await importCsv(
      db.em(),
      'financials',
      file(
        'dup-financials.csv',
        'accountRef,quarter,businessUnitCode,revenue,grossProfit,costToServe\nQ-9,2025-Q1,SVC,1,1,0\nQ-9,2025-Q2,SVC,1,1,0\nQ-9,2025-Q1,SVC,2,2,0\n',
      ),
      { mode: 'PARTIAL', batchSize: 1 },
      actor,
    );
    expect(financials.rejections.map(r => [r.line, r.message])).toEqual([
      [
        4,
        'financial line Q-9/2025-Q1/SVC appears twice in this file (first on line 2); send each financial line once.',
      ],
    ]);
    expect(financials).toMatchObject({ rows: 3, created: 2, rejected: 1 });
  });

  it('says what is wrong with a path that is missing, a directory or an empty file', async () => {
    const run = (p: string) => importCsv(db.em(), 'financials', p, { mode: 'PARTIAL', batchSize: 10 }, actor);
    await expect(run(path.join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    // A directory used to crash the process with an unhandled stream error (EISDIR).
    await expect(run(dir)).rejects.toThrow(/is not a file; give the CSV file's path/);
    await expect(run(file('empty.csv', ''))).rejects.toThrow(
      /has no header line: its first line must name the columns/,
    );
    await expect(run(file('blank.csv', '\n\n'))).rejects.toThrow(/has no header line/);
  });
});

describe('kam import on the command line', () => {
  it('words file errors plainly, before opening any database', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    try {
      const missing = path.join(dir, 'nowhere.csv');
      expect(await main(['node', 'kam', 'import', 'financials', missing])).toBe(1);
      expect(await main(['node', 'kam', 'import', 'financials', dir])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([
      `kam: ${path.join(dir, 'nowhere.csv')}: no such file or directory; check the path.`,
      `kam: ${dir} is not a file; give the CSV file's path.`,
    ]);
  });

  it('turns Node file errors into a sentence with the path first', () => {
    const error = Object.assign(new Error("EACCES: permission denied, open '/x.csv'"), {
      code: 'EACCES',
      path: '/x.csv',
    });
    expect(fileErrorMessage(error)).toBe('/x.csv: permission denied; check who may read or write it.');
    expect(fileErrorMessage(new Error('plain'))).toBeNull();
    expect(fileErrorMessage(Object.assign(new Error('x'), { code: 'ECONNREFUSED', path: '/x' }))).toBeNull();
  });
});

// The command line on its own SQLite file: once is enough (not again in the PostgreSQL project).
describe.runIf(testDialect() === 'sqlite')('kam export into a pipe whose reader stops early', () => {
  it('stops quietly with exit code 0, as `kam export accounts | head` expects', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-pipe-'));
    const env = { DATABASE_URL: path.join(dir, 'kam.sqlite') };
    await runKam(['migrate'], env);
    await runKam(['seed', 'demo', '--accounts', '3000', '--quarters', '1'], env);
    const child = spawn(process.execPath, [KAM_MAIN, 'export', 'accounts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KAM_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    // Read the header line, then close our end, as `head -1` does (3,000 rows are ~200 KB,
    // more than a pipe holds, so kam is still writing).
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(first.toString().split('\n')[0]).toBe(
      'externalRef,name,parentRef,segmentCode,industry,country,customerSince',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

// The command line in process on its own SQLite file: once is enough (not again for PostgreSQL).
describe.runIf(testDialect() === 'sqlite')('kam import --errors', () => {
  it('writes every rejection to the file, counts the ones not shown, and checks the file before importing', async () => {
    const cliDir = mkdtempSync(path.join(tmpdir(), 'kam-errors-'));
    // `kam import` sets process.exitCode (2 when rows were rejected): `kam` gives it.
    const database = path.join(cliDir, 'kam.sqlite');
    const cli = cliOn(database);
    const { kam, errors } = cli;
    const csv = (name: string, content: string) => {
      const p = path.join(cliDir, name);
      writeFileSync(p, content);
      return p;
    };
    try {
      expect(await kam('migrate')).toBe(0);
      // 15 rows with two problems each: 30 rejections, 20 shown. The count of the rest was taken
      // from the 15 rows, so "… and N more" was missing and 10 rejections went unsaid.
      const twice = csv(
        'twice.csv',
        `externalRef,name,country\n${Array.from({ length: 15 }, (_, i) => `T-${i},,Germany`).join('\n')}\n`,
      );
      expect(await kam('import', 'accounts', twice)).toBe(2);
      expect(errors.at(-1)).toBe('  … and 10 more (use --errors FILE for all of them)');

      // More rejections than the report keeps (10,000): the file used to stop there.
      const many = csv(
        'many.csv',
        `externalRef,name\n${Array.from({ length: 10_050 }, (_, i) => `M-${i},`).join('\n')}\n`,
      );
      const errorsFile = path.join(cliDir, 'errors.csv');
      expect(await kam('import', 'accounts', many, '--errors', errorsFile)).toBe(2);
      const written = parse(readFileSync(errorsFile, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(written).toHaveLength(10_050);
      expect(written[0]).toEqual({ line: '2', field: 'name', code: 'REQUIRED', message: 'is required' });
      expect(written.at(-1)?.line).toBe('10051');

      // An --errors file that cannot be written is said before anything is imported (it used to
      // be said after the rows were committed, with exit code 1).
      errors.length = 0;
      const good = csv('good.csv', 'externalRef,name\nG-1,Good\n');
      const nowhere = path.join(cliDir, 'no', 'such', 'errors.csv');
      expect(await kam('import', 'accounts', good, '--errors', nowhere)).toBe(1);
      expect(errors).toEqual([`kam: ${nowhere}: no such file or directory; check the path.`]);
      expect(await accountsIn(database)).toBe(0);
    } finally {
      cli.restore();
    }
  });
});

describe.runIf(testDialect() === 'sqlite')(
  'kam import --errors and kam export --out naming a file kam reads',
  () => {
    it('refuses the CSV being imported and the database as the errors file (and the database as the export), and leaves both as they were', async () => {
      const cliDir = mkdtempSync(path.join(tmpdir(), 'kam-errors-self-'));
      const database = path.join(cliDir, 'kam.sqlite');
      const cli = cliOn(database);
      const { kam, errors } = cli;
      try {
        expect(await kam('migrate')).toBe(0);
        const input = path.join(cliDir, 'accounts.csv');
        const content = 'externalRef,name\nS-1,Self\n';
        writeFileSync(input, content);
        const databaseBytes = readFileSync(database);
        errors.length = 0;
        // `--errors accounts.csv` (a slip of tab completion) emptied the file before it was read.
        expect(await kam('import', 'accounts', input, '--errors', path.relative(process.cwd(), input))).toBe(
          1,
        );
        expect(await kam('import', 'accounts', input, '--errors', database)).toBe(1);
        expect(errors).toEqual([
          `kam: --errors ${path.relative(process.cwd(), input)} is the CSV file being imported; give another file for the rejections. Nothing was imported.`,
          `kam: --errors ${database} is the database (DATABASE_URL); give another file for the rejections. Nothing was imported.`,
        ]);
        expect(readFileSync(input, 'utf8')).toBe(content);
        expect(readFileSync(database).equals(databaseBytes)).toBe(true);
        // `kam export --out` replaces its file: it renamed the CSV over the database.
        errors.length = 0;
        expect(await kam('export', 'accounts', '--out', database)).toBe(1);
        expect(errors).toEqual([
          `kam: --out ${database} is the database (DATABASE_URL); the export would replace it. Give another file.`,
        ]);
        expect(readFileSync(database).equals(databaseBytes)).toBe(true);
        expect(await accountsIn(database)).toBe(0);
      } finally {
        cli.restore();
      }
    });
  },
);

describe.runIf(testDialect() === 'sqlite')(
  'kam import --errors and kam export --out naming a journal file of the database',
  () => {
    it('refuses the -wal, -shm and -journal files before they exist (also through a linked folder), and the database stays readable', async () => {
      const cliDir = mkdtempSync(path.join(tmpdir(), 'kam-journal-'));
      const database = path.join(cliDir, 'kam.sqlite');
      // The same folder by another name: the check compares resolved paths, not only existing files.
      const linked = path.join(mkdtempSync(path.join(tmpdir(), 'kam-journal-link-')), 'db');
      symlinkSync(cliDir, linked);
      const cli = cliOn(database);
      const { kam, errors } = cli;
      try {
        expect(await kam('migrate')).toBe(0);
        const input = path.join(cliDir, 'accounts.csv');
        // A rejected row: the rejection text is what overwrote the WAL frames.
        writeFileSync(input, 'externalRef,name\nJ-1,Kept\nJ-2,\n');
        // Nobody has the database open: its journal files do not exist, so comparing existing
        // files (by inode) let `--errors kam.sqlite-wal` through, and SQLite then used the
        // rejections file as its WAL: the text ended up in the database file.
        expect(readdirSync(cliDir).sort()).toEqual(['accounts.csv', 'kam.sqlite']);
        const journals = ['-wal', '-shm', '-journal'].flatMap(suffix => [
          `${database}${suffix}`,
          path.join(linked, `kam.sqlite${suffix}`),
        ]);
        for (const file of journals) {
          errors.length = 0;
          expect(await kam('import', 'accounts', input, '--mode', 'PARTIAL', '--errors', file)).toBe(1);
          expect(errors).toEqual([
            `kam: --errors ${file} is a journal file of the database (DATABASE_URL); give another file for the rejections. Nothing was imported.`,
          ]);
          errors.length = 0;
          // SQLite deletes its WAL when the database closes: the export was reported, then gone.
          expect(await kam('export', 'accounts', '--out', file)).toBe(1);
          expect(errors).toEqual([
            `kam: --out ${file} is a journal file of the database (DATABASE_URL); the export would replace it. Give another file.`,
          ]);
        }
        expect(readdirSync(cliDir).sort()).toEqual(['accounts.csv', 'kam.sqlite']);
        expect(readFileSync(database).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
        const out = path.join(cliDir, 'export.csv');
        expect(await kam('export', 'accounts', '--out', out)).toBe(0);
        expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
          'externalRef,name,parentRef,segmentCode,industry,country,customerSince',
        );
        // The import itself still works, with the rejections written where asked.
        const rejections = path.join(cliDir, 'rejections.csv');
        expect(await kam('import', 'accounts', input, '--mode', 'PARTIAL', '--errors', rejections)).toBe(2);
        expect(readFileSync(rejections, 'utf8')).toMatch(/^line,field,code,message\n3,name,REQUIRED,/);
        expect(await accountsIn(database)).toBe(1);
      } finally {
        cli.restore();
      }
    });
  },
);

describe.runIf(testDialect() === 'sqlite')('kam export --out FILE that fails', () => {
  it('keeps the file it would have replaced, and leaves no partial file behind', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'kam-export-fail-'));
    const orm = await openOrm({ url: path.join(outDir, 'kam.sqlite') });
    await migrateDatabase(orm);
    // A value that fails on the second page, after 5,000 rows are on disk: the export used to
    // leave them there, a file that looks whole, in place of last night's export.
    const refs = Array.from({ length: 5001 }, (_, i) => `X-${String(i).padStart(5, '0')}`);
    await upsertAccounts(
      orm.em.fork(),
      refs.map(externalRef => ({ externalRef, name: externalRef })),
      { mode: 'ATOMIC' },
      actor,
    );
    await importFinancials(
      orm.em.fork(),
      refs.map(accountRef => ({
        accountRef,
        quarter: '2026-Q1',
        revenue: '1',
        grossProfit: '1',
        costToServe: '0',
      })),
      { mode: 'ATOMIC' },
      actor,
    );
    await orm.em
      .getConnection()
      .execute(
        "update quarterly_financial set revenue = 'not cents' where account_id = (select id from account where external_ref = 'X-05000')",
      );
    const target = path.join(outDir, 'financials.csv');
    writeFileSync(target, 'last night\n');
    try {
      await expect(exportCsvToFile(orm.em.fork(), 'financials', target)).rejects.toThrow();
    } finally {
      await orm.close(true);
    }
    expect(readFileSync(target, 'utf8')).toBe('last night\n');
    expect(readdirSync(outDir).filter(f => f.endsWith('.csv') || f.includes('.part'))).toEqual([
      'financials.csv',
    ]);
  });
});

// The command line in process on its own SQLite file: once is enough (not again for PostgreSQL).
describe.runIf(testDialect() === 'sqlite')('kam import opportunities on the command line', () => {
  const cliDir = mkdtempSync(path.join(tmpdir(), 'kam-import-lines-'));
  const database = path.join(cliDir, 'kam.sqlite');
  const HEADER =
    'externalRef,accountRef,businessUnitCode,name,value,qualified,qualifiedOn,expectedCloseOn,outcome,decidedOn,lostReason';
  /** `kam import opportunities` of `lines` joined by `eol`: its exit code and the --errors file's rows. */
  async function importOpportunities(name: string, lines: string[], eol: string, ...options: string[]) {
    const input = path.join(cliDir, `${name}.csv`);
    writeFileSync(input, `${[HEADER, ...lines].join(eol)}${eol}`);
    const errorsFile = path.join(cliDir, `${name}-errors.csv`);
    const cli = cliOn(database);
    try {
      const code = await cli.kam(
        'import',
        'opportunities',
        input,
        '--mode',
        'PARTIAL',
        '--errors',
        errorsFile,
        ...options,
      );
      const rejections = parse(readFileSync(errorsFile, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      return { code, rejections };
    } finally {
      cli.restore();
    }
  }

  beforeAll(async () => {
    const cli = cliOn(database);
    try {
      expect(await cli.kam('migrate')).toBe(0);
    } finally {
      cli.restore();
    }
    const orm = await openOrm({ url: database });
    try {
      await createBusinessUnit(orm.em.fork(), { code: 'NORDICS', name: 'Nordics', kind: 'GEOGRAPHY' }, actor);
      await upsertAccounts(
        orm.em.fork(),
        [{ externalRef: 'CRM-100011', name: 'Lines' }],
        { mode: 'ATOMIC' },
        actor,
      );
    } finally {
      await orm.close(true);
    }
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])(
    'names a rejected record by the line it starts on in a %s file, after quoted fields over several lines',
    async (name, eol) => {
      const row = (ref: string, text: string, value: string, extra = '') =>
        `${ref}-${name},CRM-100011,NORDICS,${text},${value},false,,,OPEN,,${extra}`;
      const { code, rejections } = await importOpportunities(
        `lines-${name}`,
        [
          row('LN-1', `"two${eol}lines"`, '1.001'), // lines 2–3
          row('LN-2', 'ok', '1.00'), // line 4
          row('LN-3', `"three${eol}more${eol}lines"`, '1.001'), // lines 5–7
          row('LN-4', 'ok', '1.001'), // line 8
          row('LN-5', '"a" b', '1.00'), // line 9: a stray quote (kam's record guard)
          row('LN-6', 'ok', '1.00', ',extra'), // line 10: a field too many (csv-parse)
          row('LN-7', 'ok', '1.001'), // line 11
        ],
        eol,
        // A batch a row: the rejections leave in file order as each batch is judged.
        '--batch',
        '1',
      );
      expect(code).toBe(2);
      // Was, in a CRLF file, lines 4, 10, 12 and 13 (csv-parse counts a \r\n inside quotes as two
      // lines); in a CR file 3, 7, and an unclosed quote on line 10 (its lines were not split).
      expect(rejections.map(r => [r.line, r.field, r.code])).toEqual([
        ['2', 'value', 'INVALID_MONEY'],
        ['5', 'value', 'INVALID_MONEY'],
        ['8', 'value', 'INVALID_MONEY'],
        ['9', '', 'CSV_INVALID_CLOSING_QUOTE'],
        ['10', '', 'CSV_RECORD_INCONSISTENT_COLUMNS'],
        ['11', 'value', 'INVALID_MONEY'],
      ]);
      expect(rejections[3]?.message).toMatch(/ on line 9 /);
      expect(rejections[4]?.message).toMatch(/ on line 10\. /);
    },
  );

  it('rejects a decision or qualification dated after today, by its line and field', async () => {
    const { rejections } = await importOpportunities(
      'future',
      [
        'F-1,CRM-100011,NORDICS,Future win,10,true,2099-01-01,,WON,2099-10-01,',
        'F-2,CRM-100011,NORDICS,Forecast,10,false,,2099-01-01,OPEN,,',
      ],
      '\n',
    );
    expect(rejections.map(r => [r.line, r.field, r.code])).toEqual([
      ['2', 'qualifiedOn', 'DATE_IN_FUTURE'],
      ['2', 'decidedOn', 'DATE_IN_FUTURE'],
    ]);
  });
});
