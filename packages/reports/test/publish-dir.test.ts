import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileOps, replaceDir } from '../src/publish-dir.ts';

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
