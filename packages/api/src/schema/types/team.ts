import {
  addTeamMember,
  isReadRow,
  removeTeamMember,
  TEAM_ROLES,
  TeamMember,
  updateTeamMember,
} from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { decodeId } from '../ids.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { PersonRef } from './organisation.ts';
import { assertCanWriteRecord, described, maybeId, optionalId, RemovalRef } from './workflow.ts';

const ROLE_DESCRIPTIONS: Record<(typeof TEAM_ROLES)[number], string> = {
  KEY_ACCOUNT_MANAGER: 'The lead key account manager (one per geography, with a reporting line).',
  SPONSOR: 'A director who backs the account at board level.',
  COACH: 'Coaches the team’s sales skills.',
  BUSINESS_UNIT_LEAD: 'Leads one business unit’s part of the account.',
  SUPPORT: 'Supports the account team.',
};

export const TeamRoleEnum = builder.enumType('TeamRole', {
  description: 'A role on an account team (domain §6).',
  values: Object.fromEntries(TEAM_ROLES.map(r => [r, { value: r, description: ROLE_DESCRIPTIONS[r] }])) as {
    [K in (typeof TEAM_ROLES)[number]]: { value: K; description: string };
  },
});

export const TeamMemberRef = entityNode(TeamMember, 'TeamMember', { readRows: true });
TeamMemberRef.implement({
  description: 'A person’s role on an account team.',
  isTypeOf: entityOrRow(TeamMember),
  fields: t => ({
    person: t.field({
      type: PersonRef,
      description: 'Who.',
      // A team read with its people (the account's `team`) holds the person's row: no load.
      resolve: m => (isReadRow(m.person, 'Person') ? m.person : m.person.id),
    }),
    role: t.field({ type: TeamRoleEnum, description: 'Their role.', resolve: m => m.role }),
    geography: t.exposeString('geography', {
      nullable: true,
      description: 'The geography they cover (multinationals); null for the whole account.',
    }),
    reportsTo: t.field({
      type: TeamMemberRef,
      nullable: true,
      description: 'The team member they report to (e.g. a regional lead to the global one).',
      resolve: m => m.reportsTo?.id ?? null,
    }),
    since: t.field({
      type: 'Date',
      nullable: true,
      description:
        'Since when they hold the role (null: always); a quarter that ended before this day does not show them.',
      resolve: m => m.since ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

const AddTeamMemberInput = builder.inputType('AddTeamMemberInput', {
  description: 'A person to add to an account team.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    personId: t.globalID({
      required: true,
      description: 'One of our people, still active (else PERSON_INACTIVE).',
    }),
    role: t.field({ type: TeamRoleEnum, required: true, description: 'Their role.' }),
    geography: t.string({
      description:
        'The geography they cover (one lead per geography; "DACH", "Dach" and " dach " are one geography); blank or omitted: the whole account.',
    }),
    reportsToId: t.globalID({ description: 'The team member they report to, on the same team.' }),
    since: t.field({
      type: 'Date',
      description:
        'Since when, not after today (DATE_IN_FUTURE); a quarter that ended before this day does not show them on the team.',
    }),
  }),
});

const ChangeTeamMemberInput = builder.inputType('ChangeTeamMemberInput', {
  description: 'Changes to a team member’s role; omitted fields keep their value, null clears.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The team member.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    role: t.field({ type: TeamRoleEnum, description: 'The new role.' }),
    geography: t.string({ description: 'The geography they cover; blank or null: the whole account.' }),
    reportsToId: t.globalID({ description: 'The team member they report to (null: nobody).' }),
  }),
});

const RemoveTeamMemberInput = builder.inputType('RemoveTeamMemberInput', {
  description: 'A team member to remove.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The team member.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

builder.mutationFields(t => ({
  addTeamMember: t.field({
    type: TeamMemberRef,
    description:
      'Adds a person to an account team (ADMIN, or an account manager on the team). One lead key account manager per geography.',
    authScopes: { write: true },
    errors: described('adding a team member'),
    args: { input: t.arg({ type: AddTeamMemberInput, required: true, description: 'The new member.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return addTeamMember(
        ctx.em,
        {
          accountId,
          personId: decodeId(input.personId, 'Person', 'personId'),
          role: input.role,
          geography: input.geography,
          reportsToId: maybeId(input.reportsToId, 'TeamMember', 'reportsToId'),
          since: input.since,
        },
        ctx.actor,
      );
    },
  }),
  changeTeamMember: t.field({
    type: TeamMemberRef,
    description:
      'Changes a team member’s role, geography or reporting line. A member who is no longer active takes no new role or geography (PERSON_INACTIVE): remove them instead.',
    authScopes: { write: true },
    errors: described('changing a team member'),
    args: { input: t.arg({ type: ChangeTeamMemberInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'TeamMember');
      await assertCanWriteRecord(ctx, TeamMember, id);
      return updateTeamMember(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          role: input.role ?? undefined,
          geography: input.geography,
          reportsToId: optionalId(input.reportsToId, 'TeamMember', 'reportsToId'),
        },
        ctx.actor,
      );
    },
  }),
  removeTeamMember: t.field({
    type: RemovalRef,
    description: 'Removes a person from an account team (the audit trail keeps the record).',
    authScopes: { write: true },
    errors: described('removing a team member', 'The removed team member’s id.'),
    args: { input: t.arg({ type: RemoveTeamMemberInput, required: true, description: 'Who to remove.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'TeamMember');
      await assertCanWriteRecord(ctx, TeamMember, id);
      await removeTeamMember(ctx.em, { id, expectedVersion: input.expectedVersion }, ctx.actor);
      return { typename: 'TeamMember', id };
    },
  }),
}));
