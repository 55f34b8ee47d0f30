import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The database matrix shared by every package whose tests touch a database: each suite
 * runs on SQLite and, when KAM_TEST_DATABASE_URL is set, again on PostgreSQL. Under
 * CI=true a missing PostgreSQL URL is an error, never a silent skip.
 */
export function databaseProjects(
  pkg: string,
  root: string,
  extra: Partial<NonNullable<TestProjectInlineConfiguration['test']>> = {},
): TestProjectInlineConfiguration[] {
  const pgUrl = process.env.KAM_TEST_DATABASE_URL;
  if (!pgUrl && process.env.CI === 'true') {
    throw new Error('CI=true but KAM_TEST_DATABASE_URL is not set: the PostgreSQL suites must run in CI.');
  }
  const base = {
    root,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...extra,
  };
  const projects: TestProjectInlineConfiguration[] = [
    { test: { ...base, name: `${pkg}:sqlite`, env: { KAM_TEST_DIALECT: 'sqlite' } } },
  ];
  if (pgUrl) {
    projects.push({
      test: {
        ...base,
        name: `${pkg}:postgresql`,
        env: { KAM_TEST_DIALECT: 'postgresql', KAM_TEST_DATABASE_URL: pgUrl },
      },
    });
  }
  return projects;
}
