import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReports } from '../src/build.ts';
import { fileOps, OUTPUT_LOCK, replaceDir, withOutputLock } from '../src/publish-dir.ts';

describe('putting a built site in place', () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function sites() {
    root = await mkdtemp(join(tmpdir(), 'kam-publish-'));
    const source = join(root, 'stage', 'kpi');
    const target = join(root, 'out', '2026-Q3', 'kpi');
    for (const [dir, text] of [
      [source, 'new'],
      [target, 'old'],
    ] as const) {
      await mkdir(join(dir, 'units'), { recursive: true });
      await writeFile(join(dir, 'index.html'), text);
      await writeFile(join(dir, 'units', 'dach.html'), text);
    }
    return { source, target };
  }

  it('replaces the published site with the new one', async () => {
    const { source, target } = await sites();
    await replaceDir(source, target);
    expect(await readFile(join(target, 'units', 'dach.html'), 'utf8')).toBe('new');
    expect(existsSync(source)).toBe(false);
    expect(await readdir(join(root, 'out', '2026-Q3'))).toEqual(['kpi']);
  });

  it('keeps the published site whole when the copy across file systems fails half-way', async () => {
    const { source, target } = await sites();
    const failing = {
      ...fileOps,
      rename: async (from: string, to: string) => {
        if (from === source) throw Object.assign(new Error('cross-device link'), { code: 'EXDEV' });
        return fileOps.rename(from, to);
      },
      // Copies the first file, then the disk is full.
      cp: async (from: string, to: string) => {
        await mkdir(to, { recursive: true });
        await cp(join(from, 'index.html'), join(to, 'index.html'));
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    } as typeof fileOps;
    await expect(replaceDir(source, target, failing)).rejects.toThrow('no space left');
    expect(await readFile(join(target, 'index.html'), 'utf8')).toBe('old');
    expect(await readFile(join(target, 'units', 'dach.html'), 'utf8')).toBe('old');
    expect(await readdir(join(root, 'out', '2026-Q3'))).toEqual(['kpi']);
  });
});

describe('one build per output folder at a time', () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses a second build into the folder while the first runs, and takes builds again after it', async () => {
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const out = join(root, 'out');
    let second: unknown;
    const first = await withOutputLock(out, async () => {
      second = await withOutputLock(out, async () => 'second ran').catch((error: Error) => error);
      return 'first ran';
    });
    expect(first).toBe('first ran');
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toBe(
      `Another report build is writing to ${out} (a build that stopped without finishing leaves its lock for up to 2 minutes). Wait for it to finish, or build into another --out folder; one build makes both sites with --site all.`,
    );
    expect(await withOutputLock(out, async () => 'third ran')).toBe('third ran');
    expect(await readdir(out)).toEqual([]);
  });

  it('releases the lock when the build fails', async () => {
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const out = join(root, 'out');
    await expect(
      withOutputLock(out, async () => {
        throw new Error('astro failed');
      }),
    ).rejects.toThrow('astro failed');
    expect(await withOutputLock(out, async () => 'next ran')).toBe('next ran');
  });

  it('leaves no folder behind when the build fails in a folder it created, and keeps the folders that were there', async () => {
    // `report build --quarter 2020-Q1 --out DIR` failed with "No snapshot of 2020-Q1" and left
    // DIR behind, empty (and its missing parents): the lock was taken before the snapshot was found.
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const fail = (out: string, write?: string) =>
      expect(
        withOutputLock(out, async () => {
          if (write) await writeFile(join(out, write), 'partial');
          throw new Error('No snapshot of 2020-Q1');
        }),
      ).rejects.toThrow('No snapshot of 2020-Q1');

    await fail(join(root, 'new', 'nested', 'out'));
    expect(await readdir(root)).toEqual([]);

    const existing = join(root, 'existing');
    await mkdir(existing);
    await fail(existing);
    expect(await readdir(existing)).toEqual([]);

    const published = join(root, 'published');
    await mkdir(join(published, '2026-Q3'), { recursive: true });
    await writeFile(join(published, 'index.html'), 'archive');
    await fail(published);
    expect((await readdir(published)).sort()).toEqual(['2026-Q3', 'index.html']);

    // What a failed build wrote is not deleted with its folder.
    const written = join(root, 'written');
    await fail(written, 'index.html');
    expect(await readdir(written)).toEqual(['index.html']);
  });

  it('refuses an output folder that is a file, saying so, before it writes anything', async () => {
    // It printed Node's "EEXIST: file already exists, mkdir '…/afile'".
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const file = join(root, 'afile');
    await writeFile(file, 'mine');
    let ran = false;
    for (const [out, says] of [
      [file, `--out ${file} is a file, not a folder`],
      [join(file, 'reports'), `--out ${join(file, 'reports')}: ${file} is a file, not a folder`],
    ]) {
      await expect(
        withOutputLock(out as string, async () => {
          ran = true;
        }),
      ).rejects.toThrow(`${says}; give the folder the report sites are published in.`);
    }
    expect(ran).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('mine');
    expect(await readdir(root)).toEqual(['afile']);
  });

  it('takes over the lock of a build that died once it is stale', async () => {
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const out = join(root, 'out');
    const dead = join(out, OUTPUT_LOCK);
    await mkdir(dead, { recursive: true });
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(dead, longAgo, longAgo);
    expect(await withOutputLock(out, async () => 'ran')).toBe('ran');
    expect(existsSync(dead)).toBe(false);
  });

  it('the report build itself is refused while another holds the folder, before it reads any data', async () => {
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const out = join(root, 'out');
    await withOutputLock(out, async () => {
      await expect(
        buildReports({
          outDir: out,
          quarter: '2026-Q3',
          site: 'kpi',
          apiUrl: 'http://127.0.0.1:9/graphql',
          apiToken: 'x',
        }),
      ).rejects.toThrow(`Another report build is writing to ${out}`);
    });
  });

  it('the report build that finds no snapshot leaves no output folder behind', async () => {
    root = await mkdtemp(join(tmpdir(), 'kam-lock-'));
    const out = join(root, 'out');
    await expect(
      buildReports({
        outDir: out,
        quarter: '2020-Q1',
        site: 'kpi',
        apiUrl: 'http://127.0.0.1:9/graphql',
        apiToken: 'x',
      }),
    ).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });
});

describe.runIf(existsSync('/proc/self'))('an output folder that cannot be created', () => {
  it('is said as such, where Node would try to create it for ever (/proc), and nothing is left behind', async () => {
    // `--out /proc/kamtest` hung: Node's recursive mkdir loops there (ENOENT, then EEXIST).
    let ran = false;
    await expect(
      withOutputLock('/proc/kamtest/reports', async () => {
        ran = true;
      }),
    ).rejects.toThrow(
      'Cannot create the folder /proc/kamtest: /proc does not take new folders; choose another place for --out.',
    );
    expect(ran).toBe(false);
    expect(existsSync('/proc/kamtest')).toBe(false);
  }, 10_000);
});

describe('report:build with an empty --out', () => {
  it('is refused, saying what to give, rather than publishing into the folder it runs in', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kam-empty-out-'));
    try {
      const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
      const failed = await promisify(execFile)(
        process.execPath,
        [cli, '--quarter', '2026-Q3', '--site', 'kpi', '--out', '  '],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            INIT_CWD: root,
            KAM_API_URL: 'http://127.0.0.1:9/graphql',
            KAM_API_TOKEN: 'x',
          },
        },
      ).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({
        code: 2,
        stderr: '--out is empty; give the folder the report sites are published in.\n',
      });
      expect(await readdir(root)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 30_000);
});
