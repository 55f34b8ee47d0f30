import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
