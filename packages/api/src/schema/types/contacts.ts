import { Contact, createContact, removeContact, updateContact } from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { connectionComplexity, ownedConnection } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { AccountRef } from './account.ts';
import { PersonRef } from './organisation.ts';
import { ContactFunctionEnum, ContactStanceEnum } from './vocabulary.ts';
import {
  assertCanWriteRecord,
  connectionTypes,
  described,
  maybeId,
  notCleared,
  optionalId,
  RemovalRef,
} from './workflow.ts';

export const ContactRef = entityNode(Contact, 'Contact');
ContactRef.implement({
  description: 'A person on the customer side, on the account’s stakeholder map (domain §6).',
  isTypeOf: entityOrRow(Contact),
  fields: t => ({
    externalRef: t.exposeString('externalRef', {
      description: 'The contact’s CRM id; scripts upsert by it.',
    }),
    account: t.field({ type: AccountRef, description: 'The account.', resolve: c => c.account.id }),
    name: t.exposeString('name', { description: 'Full name.' }),
    title: t.exposeString('title', { nullable: true, description: 'Job title.' }),
    email: t.exposeString('email', { nullable: true, description: 'E-mail address.' }),
    function: t.field({
      type: ContactFunctionEnum,
      description: 'Their function.',
      resolve: c => c.function,
    }),
    influence: t.exposeInt('influence', {
      description: 'Influence on decisions, 1 (little) to 5 (decides).',
    }),
    stance: t.field({
      type: ContactStanceEnum,
      description: 'How they stand towards us.',
      resolve: c => c.stance,
    }),
    whatTheyValue: t.exposeString('whatTheyValue', {
      nullable: true,
      description: 'What this person values.',
    }),
    lastContactOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When we last spoke with them.',
      resolve: c => c.lastContactOn ?? null,
    }),
    counterpart: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Our peer for this contact (peer-to-peer engagement, management with management).',
      resolve: c => c.counterpart?.id ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

/**
 * An account's contacts, most influential first, then by name. A connection: a CRM import
 * brings any number of them (bulk calls of 10,000).
 */
const contactsOf = ownedConnection({
  entity: Contact,
  owner: 'account',
  order: [
    { property: 'influence', direction: 'desc' },
    { property: 'name', direction: 'asc' },
    { property: 'id', direction: 'asc' },
  ],
});

builder.objectField(AccountRef, 'contacts', t =>
  t.connection(
    {
      type: ContactRef,
      description:
        'The stakeholder map: the account’s contacts, most influential first (then by name), a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => contactsOf.page(ctx, a.id, args),
    },
    ...connectionTypes('contacts', 'How many contacts the account has'),
  ),
);

const CreateContactInput = builder.inputType('CreateContactInput', {
  description: 'A new contact on an account’s stakeholder map.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    externalRef: t.string({ description: 'The CRM id (unique); generated when omitted.' }),
    name: t.string({ required: true, description: 'Full name.' }),
    title: t.string({ description: 'Job title.' }),
    email: t.string({ description: 'E-mail address.' }),
    function: t.field({ type: ContactFunctionEnum, required: true, description: 'Their function.' }),
    influence: t.int({ required: true, description: 'Influence, 1–5.' }),
    stance: t.field({ type: ContactStanceEnum, description: 'Their stance (UNKNOWN when omitted).' }),
    whatTheyValue: t.string({ description: 'What they value.' }),
    lastContactOn: t.field({ type: 'Date', description: 'When we last spoke with them.' }),
    counterpartId: t.globalID({ description: 'Our counterpart (a Person).' }),
  }),
});

const UpdateContactInput = builder.inputType('UpdateContactInput', {
  description:
    'Changes to a contact; omitted fields keep their value, null clears an optional one (a blank title or whatTheyValue too); name, function, influence and stance cannot be cleared.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The contact.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: 'Full name.' }),
    title: t.string({ description: 'Job title.' }),
    email: t.string({ description: 'E-mail address.' }),
    function: t.field({ type: ContactFunctionEnum, description: 'Their function.' }),
    influence: t.int({ description: 'Influence, 1–5.' }),
    stance: t.field({ type: ContactStanceEnum, description: 'Their stance.' }),
    whatTheyValue: t.string({ description: 'What they value.' }),
    lastContactOn: t.field({ type: 'Date', description: 'When we last spoke with them.' }),
    counterpartId: t.globalID({ description: 'Our counterpart (null: none).' }),
  }),
});

const SetCounterpartInput = builder.inputType('SetContactCounterpartInput', {
  description: 'Names (or clears) our counterpart for a contact.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The contact.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    counterpartId: t.globalID({ description: 'One of our people; null or omitted clears the counterpart.' }),
  }),
});

const RemoveContactInput = builder.inputType('RemoveContactInput', {
  description: 'A contact to remove from the stakeholder map.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The contact.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

builder.mutationFields(t => ({
  createContact: t.field({
    type: ContactRef,
    description: 'Adds a contact to an account’s stakeholder map (influence 1–5).',
    authScopes: { write: true },
    errors: described('creating a contact'),
    args: { input: t.arg({ type: CreateContactInput, required: true, description: 'The contact.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return createContact(
        ctx.em,
        {
          ...input,
          accountId,
          externalRef: input.externalRef ?? undefined,
          stance: input.stance ?? undefined,
          counterpartId: maybeId(input.counterpartId, 'Person', 'counterpartId'),
        },
        ctx.actor,
      );
    },
  }),
  updateContact: t.field({
    type: ContactRef,
    description: 'Changes a contact on the stakeholder map.',
    authScopes: { write: true },
    errors: described('updating a contact'),
    args: { input: t.arg({ type: UpdateContactInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'Contact');
      await assertCanWriteRecord(ctx, Contact, id);
      return updateContact(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          name: notCleared(input.name, 'name', 'contact'),
          title: input.title,
          email: input.email,
          function: notCleared(input.function, 'function', 'contact'),
          influence: notCleared(input.influence, 'influence', 'contact'),
          stance: notCleared(input.stance, 'stance', 'contact'),
          whatTheyValue: input.whatTheyValue,
          lastContactOn: input.lastContactOn,
          counterpartId: optionalId(input.counterpartId, 'Person', 'counterpartId'),
        },
        ctx.actor,
      );
    },
  }),
  setContactCounterpart: t.field({
    type: ContactRef,
    description: 'Names our counterpart for a contact: peer-to-peer engagement, management with management.',
    authScopes: { write: true },
    errors: described('setting a counterpart'),
    args: { input: t.arg({ type: SetCounterpartInput, required: true, description: 'The counterpart.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'Contact');
      await assertCanWriteRecord(ctx, Contact, id);
      return updateContact(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          counterpartId: maybeId(input.counterpartId, 'Person', 'counterpartId'),
        },
        ctx.actor,
      );
    },
  }),
  removeContact: t.field({
    type: RemovalRef,
    description: 'Removes a contact from the stakeholder map (the audit trail keeps the record).',
    authScopes: { write: true },
    errors: described('removing a contact', 'The removed contact’s id.'),
    args: { input: t.arg({ type: RemoveContactInput, required: true, description: 'The contact.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'Contact');
      await assertCanWriteRecord(ctx, Contact, id);
      await removeContact(ctx.em, { id, expectedVersion: input.expectedVersion }, ctx.actor);
      return { typename: 'Contact', id };
    },
  }),
}));
