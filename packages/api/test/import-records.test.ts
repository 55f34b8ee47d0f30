import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { type BulkMode, createBusinessUnit, systemActor } from '@kam/domain';
import { createTestDatabase, type TestDatabase, tableCounts } from '@kam/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvRecordGuard, type MalformedRecord } from '../src/io/csv-records.ts';
import { type ImportReport, importCsv } from '../src/io/import.ts';

// How the importer reads records and lines: a malformed record is rejected once, by the line
// it starts on, and every other record of the file is read as it would be without it.

const actor = systemActor('test import records');
const dir = mkdtempSync(path.join(tmpdir(), 'kam-import-records-'));
let files = 0;
const file = (content: string) => {
  const p = path.join(dir, `f${++files}.csv`);
  writeFileSync(p, content);
  return p;
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createBusinessUnit(db.em(), { code: 'EMEA', name: 'Europe', kind: 'GEOGRAPHY' }, actor);
});
afterAll(async () => {
  await db.close();
});

const accounts = (content: string, batchSize = 10, mode: 'ATOMIC' | 'PARTIAL' = 'PARTIAL') =>
  importCsv(db.em(), 'accounts', file(content), { mode, batchSize }, actor);
const lines = (report: ImportReport) => report.rejections.map(r => [r.line, r.code]);
/** The external refs among `refs` that are stored, sorted. */
async function stored(refs: string[]): Promise<string[]> {
  const rows = await db
    .em()
    .getConnection()
    .execute<{ external_ref: string }[]>(
      `select external_ref from account where external_ref in (${refs.map(() => '?').join(',')}) order by external_ref`,
      refs,
    );
  return rows.map((r: { external_ref: string }) => r.external_ref);
}

describe('kam import: malformed records', () => {
  it('rejects a stray quote once, by its line, and reads the rows after it (PARTIAL)', async () => {
    for (const batchSize of [1, 2, 10]) {
      const p = `Q${batchSize}`;
      const report = await accounts(
        `externalRef,name\n${p}-9,x\n${p}-10,"a" b\n${p}-11,ok\n${p}-12,ok\n`,
        batchSize,
      );
      // Was: "3 row(s): 1 created, 0 updated, 0 unchanged, 2 rejected", line 3 and a
      // CSV_QUOTE_NOT_CLOSED on line 5, and R-11 never mentioned nor stored.
      expect(report, `batch ${batchSize}`).toMatchObject({ rows: 4, created: 3, rejected: 1 });
      expect(lines(report)).toEqual([[3, 'CSV_INVALID_CLOSING_QUOTE']]);
      expect(report.rejections[0]?.message).toMatch(/line 3\b/);
      expect(await stored([`${p}-9`, `${p}-10`, `${p}-11`, `${p}-12`])).toEqual([
        `${p}-11`,
        `${p}-12`,
        `${p}-9`,
      ]);
    }
  });

  it('counts each line once: a space after a closing quote, a quote inside an unquoted field', async () => {
    const space = await accounts('externalRef,name\n"S-1","x" \n"S-2","y"\n"S-3","z"\n"S-4","w"\n');
    // Was "5 row(s) … 3 rejected" for 4 rows, the good row S-2 rejected twice.
    expect(space).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    expect(lines(space)).toEqual([[2, 'CSV_INVALID_CLOSING_QUOTE']]);
    const inner = await accounts('externalRef,name\nS-5,ok\nS-6,He said "hi"\nS-7,ok\nS-8,ok\n');
    expect(inner).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    expect(lines(inner)).toEqual([[3, 'CSV_INVALID_OPENING_QUOTE']]);
    expect(await stored(['S-1', 'S-2', 'S-3', 'S-4', 'S-5', 'S-6', 'S-7', 'S-8'])).toEqual([
      'S-2',
      'S-3',
      'S-4',
      'S-5',
      'S-7',
      'S-8',
    ]);
  });

  it('rejects a bad line of a file with CRLF line breaks without changing the rows after it', async () => {
    const report = await accounts('externalRef,name\r\nW-1,"a" b\r\nW-2,ok\r\n');
    expect(lines(report)).toEqual([[2, 'CSV_INVALID_CLOSING_QUOTE']]);
    expect(await stored(['W-2'])).toEqual(['W-2']);
  });

  it('rejects an unclosed quote by its line and still reads the lines after it', async () => {
    const report = await accounts('externalRef,name\nU-1,"open\nU-2,ok\nU-3,ok\n');
    expect(report).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    expect(lines(report)).toEqual([[2, 'CSV_QUOTE_NOT_CLOSED']]);
    expect(await stored(['U-1', 'U-2', 'U-3'])).toEqual(['U-2', 'U-3']);
  });

  it('reads a quoted field over several lines as one record, named by the line it starts on', async () => {
    const report = await accounts(
      'externalRef,name,country\nL-1,"two\nlines",DE\nL-2,"three\nmore\nlines",France\nL-3,ok,DE\n',
    );
    expect(report).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    // Was line 6, where the record ends.
    expect(report.rejections.map(r => [r.line, r.path])).toEqual([[4, ['country']]]);
    const columns = await accounts('externalRef,name\nL-4,"a\nb",extra\nL-5,ok\n');
    expect(lines(columns)).toEqual([[2, 'CSV_RECORD_INCONSISTENT_COLUMNS']]);
    expect(columns).toMatchObject({ rows: 2, created: 1, rejected: 1 });
  });

  it('gives up on a quoted field longer than any row after a set length, and reads on from the next line', async () => {
    const malformed: MalformedRecord[] = [];
    const guard = new CsvRecordGuard(m => malformed.push(m), 30);
    const lines = ['a,b', 'A-1,"open', 'A-2,ok', 'A-3,ok', 'A-4,ok', 'A-5,ok', 'A-6,"x ""y"""', ''];
    // Fed a few bytes at a time: records and lines cut across chunks.
    const chunks = lines.join('\r\n').match(/[\s\S]{1,5}/g) ?? [];
    const out = await text(Readable.from(chunks.map(c => Buffer.from(c))).pipe(guard));
    expect(malformed.map(m => [m.line, m.code])).toEqual([[2, 'CSV_QUOTE_NOT_CLOSED']]);
    // The rejected line is passed on empty, so that every other record keeps its line number.
    expect(out).toBe(['a,b', '', 'A-2,ok', 'A-3,ok', 'A-4,ok', 'A-5,ok', 'A-6,"x ""y"""', ''].join('\r\n'));
  });
});

describe('kam import: duplicate rows', () => {
  it('finds a repeated key written with the spreadsheet apostrophe, whatever the batch size', async () => {
    for (const batchSize of [1, 10]) {
      const ref = `-A${batchSize}`;
      // The second is how kam export writes "-A1" (a formula escape): the same external ref.
      const report = await accounts(`externalRef,name\n${ref},First\n'${ref},Second\n`, batchSize);
      // With --batch 1 it was "1 created, 1 updated", the first row silently overwritten.
      expect(report, `batch ${batchSize}`).toMatchObject({ rows: 2, created: 1, updated: 0, rejected: 1 });
      expect(report.rejections.map(r => [r.line, r.code, r.message])).toEqual([
        [
          3,
          'DUPLICATE_ROW',
          `external ref ${ref} appears twice in this file (first on line 2); send each external ref once.`,
        ],
      ]);
    }
  });
});

describe('kam import: a child whose parent row was rejected', () => {
  it("names the parent's line in the file, in the same batch or an earlier one", async () => {
    for (const batchSize of [1, 10]) {
      for (const mode of ['PARTIAL', 'ATOMIC'] as const) {
        const p = `PR${batchSize}${mode[0]}`;
        const report = await accounts(
          `externalRef,name,parentRef,country\n${p}-1,Parent,,Germany\n${p}-2,Child,${p}-1,DE\n`,
          batchSize,
          mode,
        );
        const child = report.rejections.find(r => r.line === 3);
        // Was "(row 0) … fix row 0" (the bulk call's index) in one batch, and NOT_FOUND "list
        // parents before their children" with --batch 1, though the parent came first.
        expect(child, `${mode} batch ${batchSize}`).toMatchObject({
          path: ['parentRef'],
          code: 'ACCOUNT_PARENT_ROW_REJECTED',
          message: `The row of parent ${p}-1 (line 2) was rejected, so ${p}-2 cannot be placed under it; fix line 2 and import both rows again.`,
        });
        expect(report).toMatchObject({ rows: 2, created: 0, rejected: 2 });
      }
    }
  });

  /** An import of a parent whose record `parentFields` cannot be read, and of its child. */
  const parentUnreadable = async (p: string, parentFields: string, batchSize: number, mode: BulkMode) => {
    const report = await accounts(
      `externalRef,name,parentRef\n${p}-1,${parentFields}\n${p}-2,Child,${p}-1\n`,
      batchSize,
      mode,
    );
    // Was NOT_FOUND "No account has external ref …-1 … list parents before their children".
    expect(
      report.rejections.find(r => r.line === 3),
      `${mode} batch ${batchSize}`,
    ).toMatchObject({
      path: ['parentRef'],
      code: 'ACCOUNT_PARENT_ROW_REJECTED',
      message: `The row of parent ${p}-1 (line 2) was rejected, so ${p}-2 cannot be placed under it; fix line 2 and import both rows again.`,
    });
    expect(report).toMatchObject({ rows: 2, created: 0, rejected: 2 });
  };

  it("names the parent's line when the parent's record has a field too many", async () => {
    for (const batchSize of [1, 10])
      for (const mode of ['PARTIAL', 'ATOMIC'] as const)
        await parentUnreadable(`MC${batchSize}${mode[0]}`, 'Bad,extra,field', batchSize, mode);
  });

  it("names the parent's line when the parent's record has a stray quote", async () => {
    for (const batchSize of [1, 10])
      for (const mode of ['PARTIAL', 'ATOMIC'] as const)
        await parentUnreadable(`MQ${batchSize}${mode[0]}`, '"Bad" quote,', batchSize, mode);
  });
});

describe('kam import: ATOMIC in batches', () => {
  it('judges every row as one batch would, and writes nothing when a row is rejected', async () => {
    for (const batchSize of [1, 2, 10]) {
      const p = `AB${batchSize}`;
      const before = await tableCounts(db.em(), ['account', 'audit_entry']);
      const report = await accounts(
        `externalRef,name,parentRef\n${p}-1,Parent,\n${p}-2,,\n${p}-3,Child,${p}-1\n${p}-4,Other,\n`,
        batchSize,
        'ATOMIC',
      );
      // Was, with --batch 2, line 3 and also line 4 NOT_FOUND "No account has external ref …-1 …
      // list parents before their children": the batch holding line 3 had written none of its rows.
      expect(lines(report), `batch ${batchSize}`).toEqual([[3, 'REQUIRED']]);
      expect(report, `batch ${batchSize}`).toMatchObject({
        rows: 4,
        created: 0,
        updated: 0,
        unchanged: 0,
        rejected: 1,
        written: false,
      });
      expect(await stored([`${p}-1`, `${p}-2`, `${p}-3`, `${p}-4`])).toEqual([]);
      expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
    }
  });

  it('writes every batch when no row is rejected, and counts them', async () => {
    const report = await accounts(
      'externalRef,name,parentRef\nAW-1,Parent,\nAW-2,Child,AW-1\nAW-3,Other,\n',
      1,
      'ATOMIC',
    );
    expect(report).toMatchObject({ rows: 3, created: 3, rejected: 0, written: true });
    expect(await stored(['AW-1', 'AW-2', 'AW-3'])).toEqual(['AW-1', 'AW-2', 'AW-3']);
  });
});

describe('kam import: cell values', () => {
  const run = (kind: 'financials' | 'opportunities' | 'contacts', content: string) =>
    importCsv(db.em(), kind, file(content), { mode: 'PARTIAL', batchSize: 10 }, actor);

  it('reads a date or quarter with spaces around it, as amounts and whole numbers are', async () => {
    await accounts('externalRef,name\nV-1,Values\n');
    // Was INVALID_QUARTER "must be written 2026-Q4 …" and INVALID_FORMAT "must be written 2026-01-05 …".
    const financials = await run(
      'financials',
      'accountRef,quarter,businessUnitCode,revenue,grossProfit,costToServe,potential,pricePremium\nV-1, 2026-Q4 ,,1,1,1,,\n',
    );
    expect(financials).toMatchObject({ created: 1, rejected: 0 });
    const opportunities = await run(
      'opportunities',
      'externalRef,accountRef,businessUnitCode,name,value,qualified,qualifiedOn\nVO-1,V-1,EMEA,Bid,10,true, 2026-01-05\n',
    );
    expect(opportunities).toMatchObject({ created: 1, rejected: 0 });
  });

  it('reads a cell of spaces as an empty one', async () => {
    await accounts('externalRef,name\nV-2,Blanks\n');
    // Was INVALID_FORMAT for a date cell of spaces (and, on a decided bid, OPPORTUNITY_DECIDED_ON_REQUIRED too).
    const report = await run(
      'opportunities',
      'externalRef,accountRef,businessUnitCode,name,value,qualified,qualifiedOn,outcome,decidedOn\n' +
        'VB-1,V-2,EMEA,Open bid,10,false,   ,OPEN,  \n' +
        'VB-2,V-2,EMEA,Won bid,10,true,2026-01-05,WON, \n',
    );
    expect(report).toMatchObject({ created: 1, rejected: 1 });
    expect(report.rejections.map(r => [r.line, r.path, r.code])).toEqual([
      [3, ['decidedOn'], 'OPPORTUNITY_DECIDED_ON_REQUIRED'],
    ]);
  });

  it('says an empty required cell is required', async () => {
    const report = await run(
      'contacts',
      'externalRef,accountRef,name,function,influence\n,V-1,Ann,FINANCE,3\nVC-2,V-1,Bob,FINANCE,\n',
    );
    // Was INVALID_TYPE "must be a text identifier" and "must be a whole number from 1 to 5".
    expect(report.rejections.map(r => [r.line, r.path, r.code, r.message])).toEqual([
      [2, ['externalRef'], 'REQUIRED', 'is required'],
      [3, ['influence'], 'REQUIRED', 'is required'],
    ]);
  });
});

describe('kam import: hints for spreadsheet habits', () => {
  it('says to write true or false for a yes/no column', async () => {
    await accounts('externalRef,name\nH-1,Hints\n');
    const report = await importCsv(
      db.em(),
      'opportunities',
      file(
        'externalRef,accountRef,businessUnitCode,name,value,qualified\nHO-1,H-1,EMEA,Bid,10,yes\nHO-2,H-1,EMEA,Bid,10,1\n',
      ),
      { mode: 'PARTIAL', batchSize: 10 },
      actor,
    );
    // Was zod's "Invalid input: expected boolean, received string".
    expect(report.rejections.map(r => [r.line, r.path, r.message])).toEqual([
      [2, ['qualified'], 'must be true or false, not "yes"; write true or false'],
      [3, ['qualified'], 'must be true or false, not "1"; write true or false'],
    ]);
  });

  it('recognises a header separated by semicolons with its names in quotes', async () => {
    // Was "unknown column(s) externalRef";"name".
    await expect(accounts('"externalRef";"name"\n"H-2";"x"\n')).rejects.toThrow(
      /the header is separated by ";", but kam reads comma-separated files: save it as CSV with commas/,
    );
  });
});
