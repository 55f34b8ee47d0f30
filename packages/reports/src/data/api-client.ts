/**
 * How the report build talks to the GraphQL API: over HTTP with a bearer token, or in
 * process over the local database (the embedded default, no server needed). Either way the
 * reports only see what the API serves; they never open the database.
 */
import { withoutPassword } from '@kam/api/urls';
import type { ReportEnv } from '../env.ts';

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string }[];
}

export interface ReportApi {
  /** Where the data comes from, for messages ("http://…/graphql" or "the database at …"). */
  where: string;
  query<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

function unwrap<T>(result: GraphQLResult<T>, where: string): T {
  if (result.errors?.length) {
    throw new Error(
      `The API at ${where} refused the report query: ${result.errors.map(e => e.message).join('; ')}`,
    );
  }
  if (result.data == null) throw new Error(`The API at ${where} answered without data.`);
  return result.data;
}

/** fetch's own message ("fetch failed") with the reason under it ("connect ECONNREFUSED 127.0.0.1:1"). */
function causeOf(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { message?: string } };
  return cause?.message ? `${message} (${cause.message})` : String(message);
}

/** A client for a running kam API (`KAM_API_URL`, token from `KAM_API_TOKEN`). */
export function httpApiClient(options: { url: string; token: string; timeoutMs?: number }): ReportApi {
  // Messages never repeat a password (parseReportEnv refuses a URL with one; a caller may not).
  const where = withoutPassword(options.url);
  return {
    where,
    async query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            authorization: `Bearer ${options.token}`,
          },
          body: JSON.stringify({ query: document, variables }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        });
      } catch (error) {
        throw new Error(
          `Cannot reach the API at ${where}: ${causeOf(error).replaceAll(options.url, where)}. Is \`kam serve\` running there?`,
        );
      }
      const text = await response.text();
      let body: GraphQLResult<T>;
      try {
        body = JSON.parse(text) as GraphQLResult<T>;
      } catch {
        throw new Error(`The API at ${where} answered ${response.status} with something that is not JSON.`);
      }
      if (!response.ok && !body.errors?.length) {
        throw new Error(`The API at ${where} answered ${response.status}.`);
      }
      return unwrap(body, where);
    },
    async close() {},
  };
}

// `buildReports` opens the in-process API once, in Node, and shares it with the content loaders
// (which Astro runs through Vite, as a second module graph that must not load the API again).
const SHARED = Symbol.for('kam.reports.sharedApi');
type Holder = { [SHARED]?: ReportApi | undefined };

/** Makes `api` the one `openReportApi` returns until `unshareReportApi` (its close is then a no-op). */
export function shareReportApi(api: ReportApi): void {
  (globalThis as Holder)[SHARED] = api;
}

export function unshareReportApi(): void {
  (globalThis as Holder)[SHARED] = undefined;
}

/** The HTTP client when the environment names an API, else the in-process API over `databaseUrl`. */
export async function openReportApi(env: ReportEnv): Promise<ReportApi> {
  const shared = (globalThis as Holder)[SHARED];
  if (shared) return { where: shared.where, query: (d, v) => shared.query(d, v), close: async () => {} };
  if (env.apiUrl) {
    if (!env.apiToken)
      throw new Error('KAM_API_URL is set but KAM_API_TOKEN is not: the API needs a bearer token.');
    return httpApiClient({ url: env.apiUrl, token: env.apiToken });
  }
  const { openInProcessApi } = await import('@kam/api/in-process');
  const api = await openInProcessApi({ databaseUrl: env.databaseUrl });
  const where = `the database at ${env.databaseUrl.replace(/(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/i, '$1:***@')}`;
  return {
    where,
    async query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
      return unwrap(await api.query<T>(document, variables), where);
    },
    close: () => api.close(),
  };
}
