import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../src/cli/main.ts';

const KAM_CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/**
 * `kam` run in this process on the database at `databaseUrl`, its console output captured:
 * `kam(...args)` gives the exit code (main's, or the `process.exitCode` a command such as
 * `kam import` sets), `out` and `errors` the lines it printed. Run as from `invokedIn` (default:
 * this process's folder, which relative paths in a test are written from): `INIT_CWD`, as pnpm
 * sets it, whatever the `pnpm test` that started the run set. `restore()` puts the console,
 * `DATABASE_URL` and `INIT_CWD` back; call it in a `finally`.
 */
export function cliOn(databaseUrl: string, { invokedIn = process.cwd() }: { invokedIn?: string } = {}) {
  const before = process.env.DATABASE_URL;
  const initCwd = process.env.INIT_CWD;
  process.env.DATABASE_URL = databaseUrl;
  process.env.INIT_CWD = invokedIn;
  const out: string[] = [];
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
  return {
    out,
    errors,
    async kam(...args: string[]): Promise<number> {
      const code = await main(['node', 'kam', ...args]);
      const set = process.exitCode;
      process.exitCode = undefined;
      return code || Number(set ?? 0);
    },
    restore(): void {
      log.mockRestore();
      error.mockRestore();
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
      if (initCwd === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = initCwd;
    },
  };
}

/** What a `kam` child process did: its exit code (null when killed) and output. */
export interface KamRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `kam …` in a child process as `pnpm kam` runs it: in `cwd` (pnpm runs the script in the
 * workspace root) with `INIT_CWD` the folder the user ran it in (pnpm sets it), and only the
 * variables kam reads from `env`. Never rejects: a command that outlives `timeoutMs` is killed
 * (code null).
 */
export function kamProcess(
  args: string[],
  options: { cwd: string; initCwd?: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<KamRun> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [KAM_CLI, ...args],
      {
        cwd: options.cwd,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TZ: 'UTC',
          KAM_ENV: 'test',
          KAM_LOG_LEVEL: 'warn',
          ...(options.initCwd ? { INIT_CWD: options.initCwd } : {}),
          ...options.env,
        },
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
