import { isDomainError } from '@kam/domain';
import { Command, CommanderError } from 'commander';
import { registerBackup } from './commands/backup.ts';
import { registerCloseQuarter } from './commands/close-quarter.ts';
import { registerDemo } from './commands/demo.ts';
import { registerImportExport } from './commands/io.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPerson } from './commands/person.ts';
import { registerReport } from './commands/report.ts';
import { registerSeed } from './commands/seed.ts';
import { registerServe } from './commands/serve.ts';
import { registerToken } from './commands/token.ts';

/** The `kam` command line: every daily operation of a kam installation. */
export function buildProgram(): Command {
  const program = new Command('kam')
    .description('kam — open-source Key Account Management: database, API, demo and report sites.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerMigrate(program);
  registerSeed(program);
  registerServe(program);
  registerPerson(program);
  registerToken(program);
  registerImportExport(program);
  registerBackup(program);
  registerCloseQuarter(program);
  registerReport(program);
  registerDemo(program);
  return program;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory; check the path',
  EACCES: 'permission denied; check who may read or write it',
  EPERM: 'operation not permitted; check who may read or write it',
  EISDIR: 'is a directory; give a file',
  ENOTDIR: 'a part of the path is not a directory; check the path',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

/** Node's file errors ("ENOENT: no such file or directory, stat '/x.csv'") said plainly, with the path first. */
export function fileErrorMessage(error: unknown): string | null {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string') return null;
  const what = FILE_ERRORS[code];
  return what ? `${path}: ${what}.` : null;
}

/** The reader of kam's output went away (`kam export accounts | head`): not an error, as for Unix tools. */
function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isClosedPipe(error)) return 0;
    const message = isDomainError(error)
      ? `${error.code}: ${error.message}`
      : (fileErrorMessage(error) ?? (error as Error).message);
    console.error(`kam: ${message.split('\n').join('\n  ')}`);
    return 1;
  }
}

if (import.meta.main) {
  // A write that fails after the reader has gone is reported here, not to the writer.
  process.stdout.on('error', error => {
    if (isClosedPipe(error)) process.exit(0);
    throw error;
  });
  const code = await main(process.argv);
  if (code !== 0) process.exit(code);
}
