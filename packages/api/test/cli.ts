import { vi } from 'vitest';
import { main } from '../src/cli/main.ts';

/**
 * `kam` run in this process on the database at `databaseUrl`, its console output captured:
 * `kam(...args)` gives the exit code (main's, or the `process.exitCode` a command such as
 * `kam import` sets), `out` and `errors` the lines it printed. `restore()` puts the console and
 * `DATABASE_URL` back; call it in a `finally`.
 */
export function cliOn(databaseUrl: string) {
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
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
    },
  };
}
