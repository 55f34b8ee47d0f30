import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, rmdirSync, statSync } from 'node:fs';
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

/**
 * The folder the user ran kam in. `pnpm kam` runs the script in the workspace root and says
 * where it was started in INIT_CWD; run any other way, kam runs where it was started.
 */
export function invocationDir(): string {
  return process.env.INIT_CWD || process.cwd();
}

/**
 * A path given on the command line, absolute: a relative one is taken from the folder the user
 * ran kam in (`invocationDir`). An empty one (`--out "$OUTDIR"` with OUTDIR unset) is refused,
 * naming it and what to give, rather than read as that folder.
 */
export function userPath(value: string, name: string, give: string): string {
  if (value.trim() === '') throw new Error(`${name} is empty; give ${give}.`);
  return resolve(invocationDir(), value);
}

/** Why a folder could not be created in `parent`, which exists. */
function mkdirProblem(error: NodeJS.ErrnoException, parent: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `${parent} does not take new folders`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${parent}`;
    case 'ENOTDIR':
      return `${parent} is a file, not a folder`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.message;
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time from the nearest one that exists;
 * gives the first folder it created (undefined when `dir` was there), as `mkdir -p` would. Node's
 * recursive mkdir never returns where a file system refuses new folders (under /proc it loops on
 * ENOENT and EEXIST): here the refusal is said, with `advice`, and nothing is left behind.
 */
export function makeFolders(dir: string, advice: string): string | undefined {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  const made: string[] = [];
  for (const folder of missing) {
    try {
      mkdirSync(folder);
      made.push(folder);
    } catch (error) {
      // Made meanwhile by someone else: as good as made here.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const undo of made.reverse()) rmdirQuietly(undo);
      throw new Error(
        `Cannot create the folder ${folder}: ${mkdirProblem(error as NodeJS.ErrnoException, dirname(folder))}; ${advice}.`,
      );
    }
  }
  return made[0];
}

function rmdirQuietly(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty any more, or gone: left as it is.
  }
}
