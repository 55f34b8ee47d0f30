/** Putting a built site in place of the published one, one build per output folder at a time. */
import { cp, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeFolders } from '@kam/api/paths';
import { lock } from 'proper-lockfile';

/** The lock a report build holds on its output folder (a directory beside the quarters). */
export const OUTPUT_LOCK = '.kam-build.lock';

/**
 * Runs `fn` while holding the output folder's build lock. Two builds into one folder at once
 * would each read the quarter's manifest and write it back without the other's site, and share
 * their staging folder: the second is refused at once instead, with what to do. The running
 * build refreshes the lock; one left by a build that died is taken over once it has not been
 * refreshed for `staleMs`.
 */
export async function withOutputLock<T>(
  outDir: string,
  fn: () => Promise<T>,
  { staleMs = 120_000 }: { staleMs?: number } = {},
): Promise<T> {
  await assertFolderPath(outDir);
  // The first folder this build creates (undefined when outDir was there): a build that fails
  // removes the folders it made, if they are still empty, and never one that was there before.
  const created = makeFolders(outDir, 'choose another place for --out');
  let release: () => Promise<void>;
  try {
    release = await lock(outDir, {
      lockfilePath: join(outDir, OUTPUT_LOCK),
      stale: staleMs,
      update: Math.max(1_000, Math.floor(staleMs / 12)),
      retries: 0,
      // A refresh that came too late (the event loop busy for minutes) must not crash the build
      // from a timer: it goes on, as it would have without the lock.
      onCompromised: () => {},
    });
  } catch (error) {
    await removeEmptyFolders(outDir, created);
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new Error(
      `Another report build is writing to ${outDir} (a build that stopped without finishing leaves its lock for up to ${Math.round(staleMs / 60_000)} minutes). Wait for it to finish, or build into another --out folder; one build makes both sites with --site all.`,
    );
  }
  let failed = true;
  try {
    const result = await fn();
    failed = false;
    return result;
  } finally {
    await release();
    if (failed) await removeEmptyFolders(outDir, created);
  }
}

/**
 * Refuses an output folder that is a file, or lies under one, with what to give instead (Node
 * would say "EEXIST: file already exists, mkdir …" or "ENOTDIR").
 */
async function assertFolderPath(outDir: string): Promise<void> {
  for (let at = outDir; ; at = dirname(at)) {
    const stats = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (stats?.isDirectory()) return;
    if (stats) {
      throw new Error(
        `--out ${outDir}${at === outDir ? '' : `: ${at}`} is a file, not a folder; give the folder the report sites are published in.`,
      );
    }
    if (dirname(at) === at) return;
  }
}

/** Removes `outDir` and its parents up to `created` while they are empty (rmdir refuses any other). */
async function removeEmptyFolders(outDir: string, created: string | undefined): Promise<void> {
  if (!created) return;
  for (let at = outDir; ; at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return;
    }
    if (at === created || dirname(at) === at) return;
  }
}

/** The file operations `replaceDir` uses (a test passes failing ones). */
export const fileOps = { cp, mkdir, rename, rm };

/**
 * Replaces `target` with `source`. The new site is first made whole beside the target (moved,
 * or copied when it is on another file system), then swapped in by renames: a failed copy
 * leaves the published site as it was, never half a site in its place.
 */
export async function replaceDir(source: string, target: string, ops = fileOps): Promise<void> {
  const parent = dirname(target);
  const next = join(parent, `.${basename(target)}.new-${process.pid}`);
  const previous = join(parent, `.${basename(target)}.old-${process.pid}`);
  await ops.mkdir(parent, { recursive: true });
  await ops.rm(next, { recursive: true, force: true });
  try {
    await ops.rename(source, next);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    try {
      await ops.cp(source, next, { recursive: true });
    } catch (copyError) {
      await ops.rm(next, { recursive: true, force: true });
      throw copyError;
    }
    await ops.rm(source, { recursive: true, force: true });
  }
  await ops.rm(previous, { recursive: true, force: true });
  let hadPrevious = true;
  try {
    await ops.rename(target, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hadPrevious = false;
  }
  try {
    await ops.rename(next, target);
  } catch (error) {
    if (hadPrevious) await ops.rename(previous, target);
    throw error;
  }
  if (hadPrevious) await ops.rm(previous, { recursive: true, force: true });
}
