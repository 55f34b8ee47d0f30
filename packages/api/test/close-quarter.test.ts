import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importFinancials, migrateDatabase, openOrm, systemActor, upsertAccounts } from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';
import { cliOn } from './cli.ts';

const actor = systemActor('test');

/** A migrated SQLite file with one account and its 2025-Q1 figures: 2025-Q1 can be closed. */
async function closableDatabase(): Promise<string> {
  const url = path.join(mkdtempSync(path.join(tmpdir(), 'kam-close-')), 'kam.sqlite');
  const orm = await openOrm({ url });
  try {
    await migrateDatabase(orm);
    await upsertAccounts(orm.em.fork(), [{ externalRef: 'A-1', name: 'Acme' }], { mode: 'ATOMIC' }, actor);
    await importFinancials(
      orm.em.fork(),
      [
        {
          accountRef: 'A-1',
          quarter: '2025-Q1',
          revenue: '100.00',
          grossProfit: '40.00',
          costToServe: '5.00',
        },
      ],
      { mode: 'ATOMIC' },
      actor,
    );
  } finally {
    await orm.close(true);
  }
  return url;
}

/** Who each stored revision of a quarter says closed it: the snapshot column, its document and its audit entry. */
async function closers(url: string): Promise<{ closedBy: string; document: string; audit: string }[]> {
  const orm = await openOrm({ url });
  try {
    const rows: { closed_by: string; payload: string; actor_label: string }[] = await orm.em
      .getConnection()
      .execute(
        `select s.closed_by, s.payload, a.actor_label from quarter_snapshot s
         join audit_entry a on a.entity_type = 'QuarterSnapshot' and a.entity_id = cast(s.id as text)
        order by s.revision`,
      );
    return rows.map(r => ({
      closedBy: r.closed_by,
      document: (JSON.parse(r.payload) as { closedBy: string }).closedBy,
      audit: r.actor_label,
    }));
  } finally {
    await orm.close(true);
  }
}

describe.runIf(testDialect() === 'sqlite')('kam close-quarter --by', () => {
  it('refuses a blank or too long name, and closes nothing', async () => {
    const url = await closableDatabase();
    const cli = cliOn(url);
    try {
      // A blank name used to be stored as the closer ("" or "   "): the snapshot said nobody closed it.
      for (const by of ['', '   ']) {
        cli.errors.length = 0;
        expect(await cli.kam('close-quarter', '2025-Q1', '--by', by), JSON.stringify(by)).toBe(1);
        expect(cli.errors).toEqual([
          'kam: --by is empty; give the name of who closes the quarter (it is recorded in the snapshot and the audit trail), or leave the option out to record "kam close-quarter".',
        ]);
      }
      // A longer one used to be cut to 200 characters without a word.
      cli.errors.length = 0;
      expect(await cli.kam('close-quarter', '2025-Q1', '--by', 'x'.repeat(300))).toBe(1);
      expect(cli.errors).toEqual([
        'kam: --by must be at most 200 characters (the snapshot and the audit trail keep no more); got 300.',
      ]);
    } finally {
      cli.restore();
    }
    expect(await closers(url)).toEqual([]);
  });

  it('records the name without the blanks around it, and a name of exactly 200 characters whole', async () => {
    const url = await closableDatabase();
    const cli = cliOn(url);
    const longest = 'y'.repeat(200);
    try {
      expect(await cli.kam('close-quarter', '2025-Q1', '--by', '  Ann Smith  ')).toBe(0);
      expect(await cli.kam('close-quarter', '2025-Q1', '--by', ` ${longest} `)).toBe(0);
      expect(await cli.kam('close-quarter', '2025-Q1')).toBe(0);
    } finally {
      cli.restore();
    }
    expect(cli.errors).toEqual([]);
    expect(await closers(url)).toEqual([
      { closedBy: 'Ann Smith', document: 'Ann Smith', audit: 'Ann Smith' },
      { closedBy: longest, document: longest, audit: longest },
      { closedBy: 'kam close-quarter', document: 'kam close-quarter', audit: 'kam close-quarter' },
    ]);
  });
});
