import {
  BUSINESS_UNIT_KINDS,
  BusinessUnit,
  createBusinessUnit,
  createPerson,
  Person,
  updateBusinessUnit,
  updatePerson,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { connectionComplexity, pageOf } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { searchFilter } from '../search.ts';
import { connectionTypes, notCleared } from './workflow.ts';

export const BusinessUnitKindEnum = builder.enumType('BusinessUnitKind', {
  description: 'How a business unit divides the company: by geography, offering or industry.',
  values: BUSINESS_UNIT_KINDS,
});

export const BusinessUnitRef = entityNode(BusinessUnit, 'BusinessUnit');
BusinessUnitRef.implement({
  description:
    'A division of our company (by geography, offering or industry). Plans are signed per business unit.',
  isTypeOf: v => v instanceof BusinessUnit,
  fields: t => ({
    code: t.exposeString('code', {
      description: 'Short stable code used by imports and scripts, e.g. EMEA.',
    }),
    name: t.exposeString('name', { description: 'Display name.' }),
    kind: t.field({
      type: BusinessUnitKindEnum,
      description: 'Geography, offering or industry.',
      resolve: u => u.kind,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

export const PersonRef = entityNode(Person, 'Person', { readRows: true });
PersonRef.implement({
  description: 'One of our people: holds roles on account teams and signs plans for their business unit.',
  isTypeOf: entityOrRow(Person),
  fields: t => ({
    name: t.exposeString('name', { description: 'Full name.' }),
    email: t.exposeString('email', { description: 'E-mail address (unique).' }),
    title: t.exposeString('title', { nullable: true, description: 'Job title.' }),
    active: t.exposeBoolean('active', { description: 'Whether the person still works with us.' }),
    businessUnit: t.field({
      type: BusinessUnitRef,
      nullable: true,
      description: 'The business unit the person belongs to and signs plans for.',
      resolve: p => p.businessUnit?.id ?? null,
    }),
    version: t.exposeInt('version', { description: 'Optimistic-lock version.' }),
  }),
});

builder.queryFields(t => ({
  businessUnits: t.field({
    type: [BusinessUnitRef],
    description: 'Every business unit, by code.',
    resolve: (_, __, ctx) => ctx.em.find(BusinessUnit, {}, { orderBy: { code: 'asc' } }),
  }),
  people: t.connection(
    {
      type: PersonRef,
      description: 'Our people, by name.',
      args: {
        search: t.arg.string({
          description: 'Part of the name or e-mail, ignoring case (at most 254 characters).',
        }),
      },
      complexity: connectionComplexity,
      resolve: (_, args, ctx) =>
        pageOf<Person>(
          ctx.em,
          Person,
          searchFilter(ctx, ['name', 'email'], args.search),
          { name: 'asc', id: 'asc' },
          args,
          { readRows: true },
        ),
    },
    ...connectionTypes('people'),
  ),
}));

const CreateBusinessUnitInput = builder.inputType('CreateBusinessUnitInput', {
  description: 'A new business unit.',
  fields: t => ({
    code: t.string({ required: true, description: 'Upper-case code, unique (e.g. EMEA).' }),
    name: t.string({ required: true, description: 'Display name.' }),
    kind: t.field({
      type: BusinessUnitKindEnum,
      required: true,
      description: 'Geography, offering or industry.',
    }),
  }),
});

const UpdateBusinessUnitInput = builder.inputType('UpdateBusinessUnitInput', {
  description:
    'Changes to a business unit; omitted fields keep their value (null is refused: both are required).',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The business unit.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: 'New name.' }),
    kind: t.field({ type: BusinessUnitKindEnum, description: 'New kind.' }),
  }),
});

const CreatePersonInput = builder.inputType('CreatePersonInput', {
  description: 'A new person.',
  fields: t => ({
    name: t.string({ required: true, description: 'Full name.' }),
    email: t.string({ required: true, description: 'E-mail address, unique.' }),
    title: t.string({ description: 'Job title.' }),
    businessUnitId: t.globalID({ description: 'Their business unit.' }),
  }),
});

const UpdatePersonInput = builder.inputType('UpdatePersonInput', {
  description: 'Changes to a person.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The person.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: 'Full name.' }),
    email: t.string({ description: 'E-mail address.' }),
    title: t.string({ description: 'Job title.' }),
    businessUnitId: t.globalID({ description: 'Their business unit (null to clear).' }),
    active: t.boolean({ description: 'Whether the person still works with us.' }),
  }),
});

builder.mutationFields(t => ({
  createBusinessUnit: t.field({
    type: BusinessUnitRef,
    description: 'Creates a business unit (ADMIN).',
    authScopes: { admin: true },
    errors: {},
    args: { input: t.arg({ type: CreateBusinessUnitInput, required: true }) },
    resolve: (_, { input }, ctx) => createBusinessUnit(ctx.em, input, ctx.actor),
  }),
  updateBusinessUnit: t.field({
    type: BusinessUnitRef,
    description: 'Renames or reclassifies a business unit (ADMIN).',
    authScopes: { admin: true },
    errors: {},
    args: { input: t.arg({ type: UpdateBusinessUnitInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      updateBusinessUnit(
        ctx.em,
        {
          ...input,
          id: decodeId(input.id, 'BusinessUnit'),
          name: notCleared(input.name, 'name', 'business unit'),
          kind: notCleared(input.kind, 'kind', 'business unit'),
        },
        ctx.actor,
      ),
  }),
  createPerson: t.field({
    type: PersonRef,
    description: 'Adds one of our people (ADMIN).',
    authScopes: { admin: true },
    errors: {},
    args: { input: t.arg({ type: CreatePersonInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      createPerson(
        ctx.em,
        {
          ...input,
          businessUnitId: input.businessUnitId ? decodeId(input.businessUnitId, 'BusinessUnit') : null,
        },
        ctx.actor,
      ),
  }),
  updatePerson: t.field({
    type: PersonRef,
    description: 'Changes a person (ADMIN).',
    authScopes: { admin: true },
    errors: {},
    args: { input: t.arg({ type: UpdatePersonInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      updatePerson(
        ctx.em,
        {
          id: decodeId(input.id, 'Person'),
          expectedVersion: input.expectedVersion,
          name: input.name ?? undefined,
          email: input.email ?? undefined,
          title: input.title,
          active: input.active ?? undefined,
          businessUnitId:
            input.businessUnitId === undefined
              ? undefined
              : input.businessUnitId
                ? decodeId(input.businessUnitId, 'BusinessUnit')
                : null,
        },
        ctx.actor,
      ),
  }),
}));
