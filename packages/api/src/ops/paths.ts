import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The path with its links resolved, also for a file that does not exist yet (its folder's links
 * resolved, then its name; a link to a missing file is followed to where it would create it).
 */
export function resolvedPath(file: string, depth = 0): string {
  const absolute = resolve(file);
  try {
    return realpathSync(absolute);
  } catch {
    // Missing, or a link to a missing file: resolved below.
  }
  const link = lstatSync(absolute, { throwIfNoEntry: false });
  if (link?.isSymbolicLink() && depth < 40)
    return resolvedPath(resolve(dirname(absolute), readlinkSync(absolute)), depth + 1);
  const folder = dirname(absolute);
  return folder === absolute ? absolute : join(resolvedPath(folder, depth), basename(absolute));
}
