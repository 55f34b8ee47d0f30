/**
 * The SQL statements a piece of work runs, for tests that count them or measure their length:
 * give `onQuery` to the database (`createTestDatabase`, the API's test harness), then
 * `during(work)` gives the work's result and the statements logged meanwhile, without the
 * logger's colour codes.
 */
export interface StatementLog {
  onQuery: (sql: string) => void;
  during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape codes
const COLOUR_CODES = /\x1B\[[0-9;]*m/g;

export function statementLog(): StatementLog {
  let current: string[] | undefined;
  return {
    onQuery: sql => {
      current?.push(sql);
    },
    async during(work) {
      const logged: string[] = [];
      current = logged;
      try {
        const result = await work();
        return { result, statements: logged.map(sql => sql.replace(COLOUR_CODES, '')) };
      } finally {
        current = undefined;
      }
    },
  };
}

/** The length of the longest of `statements` (0 for none). */
export function longestStatement(statements: readonly string[]): number {
  return statements.reduce((longest, sql) => Math.max(longest, sql.length), 0);
}
