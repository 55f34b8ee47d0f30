/**
 * Every type, field, argument, input field and enum value of the schema has a description
 * (read through introspection over HTTP, as a client sees the schema). The few gaps left
 * come from plugin defaults configured centrally in builder.ts, or from files owned
 * elsewhere; each is listed here by rule or by name, so any new gap fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

interface Named {
  name: string;
  description: string | null;
}
interface IntrospectedType extends Named {
  kind: string;
  fields: (Named & { args: Named[] })[] | null;
  inputFields: Named[] | null;
  enumValues: Named[] | null;
  interfaces: { name: string }[] | null;
}

const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const PAGE_ARGS = new Set(['first', 'last', 'before', 'after']);

/**
 * Gaps owned by builder.ts (relay and errors plugin defaults) and by files outside the workflow
 * types (organisation.ts, account.ts's original mutations, bulk.ts, snapshot.ts). Give them
 * descriptions there and delete the line here.
 */
const OWNED_ELSEWHERE = new Set([
  'enum BulkMode.ATOMIC',
  'enum BulkMode.PARTIAL',
  'enum BusinessUnitKind.GEOGRAPHY',
  'enum BusinessUnitKind.INDUSTRY',
  'enum BusinessUnitKind.OFFERING',
  'type QueryPeopleConnection',
  'field QueryPeopleConnection.edges',
  'type QueryPeopleConnectionEdge',
  'field QueryPeopleConnectionEdge.node',
]);
const OWNED_ELSEWHERE_MUTATIONS = [
  'createAccount',
  'updateAccount',
  'createBusinessUnit',
  'updateBusinessUnit',
  'createPerson',
  'updatePerson',
  'upsertAccounts',
  'importFinancials',
  'upsertContacts',
  'upsertOpportunities',
  'recordSignals',
  'recordSurveyResponses',
  'closeQuarter',
];

function isCentral(type: IntrospectedType, field: string, arg?: string): boolean {
  // builder.ts relay options: the Node id field, PageInfo, connection plumbing and paging args.
  if (!arg && field === 'id' && (type.name === 'Node' || type.interfaces?.some(i => i.name === 'Node')))
    return true;
  if (type.name === 'PageInfo') return true;
  if (!arg && type.name.endsWith('Connection') && field === 'pageInfo') return true;
  if (!arg && type.name.endsWith('Edge') && field === 'cursor') return true;
  if (arg && PAGE_ARGS.has(arg)) return true;
  if (type.name === 'Query' && ((field === 'node' && arg === 'id') || (field === 'nodes' && arg === 'ids')))
    return true;
  return false;
}

let api: ApiHarness;
let types: IntrospectedType[] = [];

beforeAll(async () => {
  api = await startApi();
  const admin = (await api.token('ADMIN')).secret;
  const res = await api.gql<{ __schema: { types: IntrospectedType[] } }>(
    `{ __schema { types {
      name kind description
      interfaces { name }
      fields(includeDeprecated: true) { name description args { name description } }
      inputFields { name description }
      enumValues(includeDeprecated: true) { name description }
    } } }`,
    {},
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  types = res.body.data?.__schema.types ?? [];
});
afterAll(async () => {
  await api.close();
});

describe('schema descriptions', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    const elsewhere = new Set(OWNED_ELSEWHERE);
    for (const name of OWNED_ELSEWHERE_MUTATIONS) {
      const cap = name.charAt(0).toUpperCase() + name.slice(1);
      elsewhere.add(`type ${cap}Result`);
      elsewhere.add(`type ${cap}Success`);
      elsewhere.add(`field ${cap}Success.data`);
      elsewhere.add(`arg Mutation.${name}(input)`);
    }
    const missing: string[] = [];
    for (const type of types) {
      if (type.name.startsWith('__') || BUILT_IN.has(type.name)) continue;
      if (!type.description?.trim()) missing.push(`type ${type.name}`);
      for (const field of type.fields ?? []) {
        if (!field.description?.trim() && !isCentral(type, field.name))
          missing.push(`field ${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!arg.description?.trim() && !isCentral(type, field.name, arg.name))
            missing.push(`arg ${type.name}.${field.name}(${arg.name})`);
        }
      }
      for (const field of type.inputFields ?? [])
        if (!field.description?.trim()) missing.push(`input field ${type.name}.${field.name}`);
      for (const value of type.enumValues ?? [])
        if (!value.description?.trim()) missing.push(`enum ${type.name}.${value.name}`);
    }
    expect(missing.filter(m => !elsewhere.has(m))).toEqual([]);
  });

  it('has no stale entries in its list of gaps owned elsewhere', () => {
    const present = new Set(types.map(t => t.name));
    for (const entry of OWNED_ELSEWHERE) {
      const typeName = entry.split(' ')[1]?.split('.')[0] ?? '';
      expect(present.has(typeName), entry).toBe(true);
    }
  });
});
