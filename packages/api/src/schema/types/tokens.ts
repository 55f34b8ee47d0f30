import {
  API_ROLES,
  type ApiRole,
  type ApiToken,
  createApiToken,
  listApiTokens,
  Person,
  revokeApiToken,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { decodeId } from '../ids.ts';
import { PersonRef } from './organisation.ts';
import { described } from './workflow.ts';

/**
 * API tokens for administrators (the same operations as `kam token create|list|revoke`).
 * Not a Relay node: only these ADMIN fields ever return a token, so no other role can read one
 * through `node(id:)`. The secret is returned once by createApiToken; only its hash is stored.
 */

const ROLE_DESCRIPTIONS: Record<ApiRole, string> = {
  ADMIN: 'Reads and writes everything: organisation data, settings, tokens, closing quarters.',
  ACCOUNT_MANAGER:
    'Reads everything but the audit trail; writes only on the accounts whose team the person is on, one record at a time (no bulk mutations).',
  EXECUTIVE: 'Reads everything; writes nothing.',
  INTEGRATION:
    'Reads everything but the audit trail; writes through the bulk mutations only (no settings or tokens).',
};

export const ApiRoleEnum = builder.enumType('ApiRole', {
  description: 'What a token may do.',
  values: Object.fromEntries(API_ROLES.map(role => [role, { description: ROLE_DESCRIPTIONS[role] }])) as {
    [R in ApiRole]: { description: string };
  },
});

const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  description:
    'A Bearer token of the API: whose it is, its role, and whether it still works. Never its secret.',
  fields: t => ({
    id: t.globalID({
      description: 'Global id of the token (give it to revokeApiToken).',
      resolve: token => ({ type: 'ApiToken', id: token.id }),
    }),
    name: t.exposeString('name', { description: 'The label given at creation.' }),
    role: t.field({ type: ApiRoleEnum, description: 'What the token may do.', resolve: token => token.role }),
    person: t.field({
      type: PersonRef,
      description: 'The person the token acts for; audit records name them.',
      resolve: token => token.person.id,
    }),
    prefix: t.exposeString('prefix', {
      description: 'The first characters of the secret, to recognise a token in a list.',
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: token => token.createdAt,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it stops working; null when it does not expire.',
      resolve: token => token.expiresAt ?? null,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null while it is not.',
      resolve: token => token.revokedAt ?? null,
    }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was last used (recorded at most once a minute); null if never.',
      resolve: token => token.lastUsedAt ?? null,
    }),
    active: t.boolean({
      description: 'Whether it works now: not revoked, not expired, and its person is active.',
      resolve: async (token, _args, ctx) =>
        !token.revokedAt &&
        !(token.expiresAt && token.expiresAt.getTime() <= Date.now()) &&
        (await ctx.em.findOneOrFail(Person, token.person.id)).active,
    }),
  }),
});

const NewApiTokenRef = builder.simpleObject('NewApiToken', {
  description: 'A token just created, with its secret: shown this once, never again.',
  fields: t => ({
    token: t.field({ type: ApiTokenRef, description: 'The token.' }),
    secret: t.string({
      description: 'The Bearer secret (starts with kam_). Store it now: only its SHA-256 is kept.',
    }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  description: 'A new API token.',
  fields: t => ({
    personId: t.globalID({ required: true, description: 'The person the token acts for.' }),
    role: t.field({ type: ApiRoleEnum, required: true, description: 'What the token may do.' }),
    name: t.string({ required: true, description: 'A label, e.g. "ERP nightly import" (1–120 characters).' }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'When it stops working (in the future); never when omitted.',
    }),
  }),
});

builder.queryFields(t => ({
  apiTokens: t.field({
    type: [ApiTokenRef],
    description: 'The API tokens, oldest first (ADMIN).',
    authScopes: { admin: true },
    args: {
      includeRevoked: t.arg.boolean({
        defaultValue: false,
        required: true,
        description: 'Also list revoked tokens.',
      }),
    },
    resolve: async (_, args, ctx) => {
      const tokens = await listApiTokens(ctx.em);
      return args.includeRevoked ? tokens : tokens.filter(token => !token.revokedAt);
    },
  }),
}));

builder.mutationFields(t => ({
  createApiToken: t.field({
    type: NewApiTokenRef,
    description: 'Creates an API token for a person and role and returns its secret once (ADMIN).',
    authScopes: { admin: true },
    errors: {
      ...described('creating an API token'),
      dataField: { description: 'The token and its secret.' },
    },
    args: {
      input: t.arg({ type: CreateApiTokenInput, required: true, description: 'The token to create.' }),
    },
    resolve: (_, { input }, ctx) =>
      createApiToken(
        ctx.em,
        {
          personId: decodeId(input.personId, 'Person', 'personId'),
          role: input.role,
          name: input.name,
          expiresAt: input.expiresAt ?? null,
        },
        ctx.actor,
      ),
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    description:
      'Revokes a token: it is refused from the next request on (ADMIN). Revoking a revoked token changes nothing. The audit entry names the token: its name, role, person and prefix, and revokedAt.',
    authScopes: { admin: true },
    errors: described('revoking an API token'),
    args: { id: t.arg.globalID({ required: true, description: 'The token.' }) },
    resolve: (_, { id }, ctx) => revokeApiToken(ctx.em, { id: decodeId(id, 'ApiToken') }, ctx.actor),
  }),
}));
