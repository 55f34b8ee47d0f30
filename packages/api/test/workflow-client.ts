/** Small helpers for the workflow tests: one mutation call with its typed result, and ids. */
import { expect } from 'vitest';
import type { ApiHarness, GraphQLResponse } from './harness.ts';

export interface MutationResult<T = Record<string, unknown>> {
  __typename: string;
  code?: string;
  message?: string;
  currentVersion?: number | null;
  fieldErrors?: { path: string[]; code: string }[];
  data?: T;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Calls `name(input: $input)` and returns its result union, with the error fields every test reads. */
export async function mutate<T = Record<string, unknown>>(
  api: ApiHarness,
  token: string,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  selection = '__typename',
): Promise<MutationResult<T>> {
  const query = `mutation($input: ${inputType}!) { ${name}(input: $input) {
    __typename
    ... on ${capitalise(name)}Success { data { ${selection} } }
    ... on Error { code message }
    ... on ValidationError { fieldErrors { path code } }
    ... on ConflictError { currentVersion }
  } }`;
  const res = await api.gql<Record<string, MutationResult<T>>>(query, { input }, token);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const result = res.body.data?.[name];
  if (!result) throw new Error(`no result for ${name}`);
  return result;
}

/** Like `mutate`, but the call must succeed; returns its data. */
export async function ok<T = Record<string, unknown>>(
  api: ApiHarness,
  token: string,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
  selection = '__typename',
): Promise<T> {
  const result = await mutate<T>(api, token, name, inputType, input, selection);
  expect(result.__typename, `${name}: ${result.code} ${result.message}`).toBe(`${capitalise(name)}Success`);
  return result.data as T;
}

/** The global id of a type and numeric id, as the API encodes it. */
export function globalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

interface ConnectionPage<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Every node of the connection `field`, following `endCursor` page by page. `document` must
 * declare `$after: String` and pass `after: $after`; each page must answer without errors.
 */
export async function everyPage<N>(
  api: ApiHarness,
  token: string,
  field: string,
  document: string,
  variables: Record<string, unknown> = {},
  maxPages = 50,
): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const res: GraphQLResponse<Record<string, ConnectionPage<N>>> = await api.gql(
      document,
      { ...variables, after },
      token,
    );
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const connection: ConnectionPage<N> | undefined = res.body.data?.[field];
    if (!connection) throw new Error(`no ${field} in the answer`);
    nodes.push(...connection.edges.map(e => e.node));
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
  throw new Error(`${field} has more than ${maxPages} pages`);
}

/** Today, as the server dates a step sent without a date (YYYY-MM-DD, UTC). */
export const today = () => new Date().toISOString().slice(0, 10);

/** The day after today: the first day a step that records what has happened may not have. */
export function tomorrow(): string {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Creates an account named by its external ref; its global id. */
export async function createAccountRef(api: ApiHarness, token: string, ref: string): Promise<string> {
  return (
    await ok<{ id: string }>(
      api,
      token,
      'createAccount',
      'CreateAccountInput',
      { externalRef: ref, name: ref },
      'id',
    )
  ).id;
}
