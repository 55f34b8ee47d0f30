/** Putting a built site in place of the published one. */
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
