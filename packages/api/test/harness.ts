import { type ApiRole, createApiToken, createPerson, systemActor } from '@kam/domain';
import { createTestDatabase, type TestDatabase } from '@kam/domain/testing';
import { afterAll, beforeAll } from 'vitest';
import type { ApiConfig } from '../src/env.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { createKamYoga } from '../src/yoga.ts';

export const testConfig: ApiConfig = {
  env: 'test',
  graphiql: false,
  introspection: true,
  maxBulkRows: 10_000,
  maxBodyBytes: 8 * 1024 * 1024,
};

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface ApiHarness {
  db: TestDatabase;
  server: RunningServer;
  url: string;
  /** Creates a person with a token of the given role; returns the secret and the person id. */
  token(
    role: ApiRole,
    options?: { email?: string; businessUnitId?: number | null },
  ): Promise<{ secret: string; personId: number }>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    secret?: string | null,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

let people = 0;

/**
 * A real HTTP server (loopback, random port) over a fresh test database — SQLite or
 * PostgreSQL depending on the project the test runs in.
 */
export async function startApi(
  options: { onQuery?: (sql: string) => void; config?: Partial<ApiConfig>; logger?: Logger } = {},
): Promise<ApiHarness> {
  const db = await createTestDatabase({ onQuery: options.onQuery });
  const logger = options.logger ?? createLogger('silent');
  const config = { ...testConfig, ...options.config };
  const yoga = createKamYoga({ orm: db.orm, config, logger });
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    orm: db.orm,
    yoga,
    logger,
    graceSeconds: 5,
  });
  const url = `${server.url}/graphql`;
  return {
    db,
    server,
    url,
    async token(role, o = {}) {
      people += 1;
      const person = await createPerson(
        db.em(),
        {
          name: `${role} person ${people}`,
          email: o.email ?? `${role.toLowerCase()}${people}@example.test`,
          businessUnitId: o.businessUnitId ?? null,
        },
        systemActor('test'),
      );
      const { secret } = await createApiToken(
        db.em(),
        { personId: person.id, role, name: `${role} test token` },
        systemActor('test'),
      );
      return { secret, personId: person.id };
    },
    async gql(query, variables, secret) {
      const send = () =>
        fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json',
            ...(secret ? { authorization: `Bearer ${secret}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        // A kept-alive connection that the server closed as idle (its keepAliveTimeout) just as
        // the client reused it is reset before the request is read: sent again on a new one.
        // Seen on a loaded machine after a long step without requests (a CI run's n-plus-one).
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
        response = await send();
      }
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text) };
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

/**
 * The set-up most test files share: one server started before the file's tests with a token of
 * `role`, handed to `ready` (which keeps them in the file's variables), and closed after them.
 */
export function startApiForFile(
  ready: (api: ApiHarness, token: string) => void,
  role: ApiRole = 'EXECUTIVE',
  options?: Parameters<typeof startApi>[0],
): void {
  let api: ApiHarness | undefined;
  beforeAll(async () => {
    api = await startApi(options);
    ready(api, (await api.token(role)).secret);
  });
  afterAll(async () => {
    await api?.close();
  });
}
