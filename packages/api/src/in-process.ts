import { type MikroORM, openOrm, pendingMigrations } from '@kam/domain';
import type { Viewer } from './context.ts';
import type { ApiConfig } from './env.ts';
import { createLogger } from './logger.ts';
import { createKamYoga } from './yoga.ts';

/** A read-only GraphQL client over a local database, without a network server. */
export interface InProcessApi {
  /** Runs one GraphQL operation and returns its JSON result. */
  query<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: { message: string }[] }>;
  close(): Promise<void>;
}

const REPORT_VIEWER: Viewer = {
  tokenId: 0,
  tokenName: 'in-process report build',
  personId: 0,
  personName: 'report build',
  role: 'EXECUTIVE',
};

/**
 * Opens the database at `databaseUrl` and serves GraphQL in this process with the
 * EXECUTIVE (read-only) role, for the report build on the embedded default. The reports
 * still only see what the API exposes.
 */
export async function openInProcessApi(options: {
  databaseUrl: string;
  orm?: MikroORM;
}): Promise<InProcessApi> {
  const orm = options.orm ?? (await openOrm({ url: options.databaseUrl }));
  const pending = await pendingMigrations(orm);
  if (pending.length) {
    if (!options.orm) await orm.close(true);
    throw new Error(
      `The database at ${options.databaseUrl} needs migrations (${pending.join(', ')}); run \`kam migrate\`.`,
    );
  }
  const config: ApiConfig = {
    env: 'production',
    graphiql: false,
    introspection: false,
    maxBulkRows: 1,
    maxBodyBytes: 1_000_000,
  };
  const yoga = createKamYoga({ orm, config, logger: createLogger('silent'), inProcessViewer: REPORT_VIEWER });
  return {
    async query(query, variables) {
      const response = await yoga.fetch('http://in-process/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    async close() {
      if (!options.orm) await orm.close(true);
    },
  };
}
