/**
 * The audit trail (read-only): every change the domain recorded, who made it, when and in
 * which request, with each field's value before and after. For administrators and executives.
 */
import { AuditEntry, auditedRecordKinds } from '@kam/domain';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { connectionComplexity, pageOf, rangeCondition } from '../connection.ts';
import { decodeId, withArticle } from '../ids.ts';
import { entityNode } from '../node.ts';
import { isNodeType } from '../node-types.ts';
import { PersonRef } from './organisation.ts';
import { AuditActionEnum } from './vocabulary.ts';
import { connectionTypes } from './workflow.ts';

interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const AuditChangeRef = builder.objectRef<FieldChange>('AuditChange').implement({
  description: 'One field of a change, with its value before and after.',
  fields: t => ({
    field: t.exposeString('field', { description: 'The field, as the domain names it (e.g. grossProfit).' }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Its value before (null on a create, or when it was empty).',
      resolve: c => c.before ?? null,
    }),
    after: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Its value after (null on a delete, or when it was cleared).',
      resolve: c => c.after ?? null,
    }),
  }),
});

export const AuditEntryRef = entityNode(AuditEntry, 'AuditEntry');
AuditEntryRef.implement({
  description: 'One change to one record: who, when, in which request, and every field before and after.',
  isTypeOf: v => v instanceof AuditEntry,
  // On the type, not only on auditTrail: an entry is also a node, read by node(id:) and nodes(ids:).
  authScopes: { oversee: true },
  fields: t => ({
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When the change was committed.',
      resolve: e => e.occurredAt,
    }),
    action: t.field({
      type: AuditActionEnum,
      description: 'CREATE, UPDATE or DELETE.',
      resolve: e => e.action,
    }),
    recordType: t.exposeString('entityType', {
      description: 'The kind of record changed (e.g. Account, AccountPlan, QuarterlyFinancial).',
    }),
    recordId: t.id({
      nullable: true,
      description:
        'The global id of the record changed, for node(id:), when its kind is served as a node; null otherwise (see recordKey).',
      resolve: (e, _args, _ctx, info) =>
        isNodeType(info, e.entityType) ? encodeGlobalID(e.entityType, e.entityId) : null,
    }),
    recordKey: t.exposeString('entityId', { description: 'The record’s own id within its kind.' }),
    actor: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The person the change was made by (through their token); null for a system change.',
      resolve: e => e.actorPersonId ?? null,
    }),
    actorLabel: t.exposeString('actorLabel', {
      description: 'Who made the change, as recorded then (kept when the person’s name changes).',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The API request that made it (the x-request-id the client got), if any.',
    }),
    changes: t.field({
      type: [AuditChangeRef],
      description: 'Every field recorded, in the order the change listed them.',
      resolve: e => Object.entries(e.changes).map(([field, { before, after }]) => ({ field, before, after })),
    }),
  }),
});

builder.queryField('auditTrail', t =>
  t.connection(
    {
      type: AuditEntryRef,
      description:
        'The audit trail, newest first: every change recorded, filtered by record, kind of record, person, action, request and time (ADMIN, EXECUTIVE).',
      authScopes: { oversee: true },
      args: {
        recordId: t.arg.globalID({ description: 'Only the changes of this record (any global id).' }),
        recordType: t.arg.string({ description: 'Only changes to records of this kind, e.g. AccountPlan.' }),
        actorId: t.arg.globalID({ description: 'Only changes made by this person.' }),
        action: t.arg({ type: AuditActionEnum, description: 'Only changes of this kind.' }),
        requestId: t.arg.string({ description: 'Only the changes of this API request.' }),
        since: t.arg({ type: 'DateTime', description: 'Only changes at or after this time.' }),
        until: t.arg({ type: 'DateTime', description: 'Only changes before this time.' }),
      },
      complexity: connectionComplexity,
      resolve: (_, args, ctx, info) => {
        const where: Record<string, unknown> = {};
        if (args.recordId) {
          const { typename, id } = args.recordId;
          if (!isNodeType(info, typename) || !/^[1-9]\d*$/.test(String(id))) {
            throw ValidationError.at(
              ['recordId'],
              'recordId must be the global id of a record: the id field of any object this API returned.',
              'not a record id',
              'INVALID_ID',
            );
          }
          if (args.recordType && args.recordType !== typename) {
            throw ValidationError.at(
              ['recordType'],
              `recordId is ${withArticle(typename)} but recordType asks for ${args.recordType}; give one of them.`,
              `contradicts recordId (${typename})`,
            );
          }
          where.entityType = typename;
          where.entityId = String(id);
        }
        if (args.recordType != null) {
          const known = auditedRecordKinds(ctx.em);
          if (args.recordType === '') {
            throw ValidationError.at(
              ['recordType'],
              `recordType is empty: give a kind of record (Kinds: ${known.join(', ')}), or leave recordType out for every kind.`,
              'empty',
            );
          }
          if (!known.includes(args.recordType)) {
            const asked = args.recordType.replace(/[\s_-]/g, '').toLowerCase();
            const near = known.find(kind => kind.toLowerCase() === asked);
            throw ValidationError.at(
              ['recordType'],
              near
                ? `No kind of record is called ${args.recordType}; did you mean ${near}?`
                : `No kind of record is called ${args.recordType}. Kinds: ${known.join(', ')}.`,
              'unknown kind of record',
            );
          }
          where.entityType = args.recordType;
        }
        if (args.actorId) where.actorPersonId = decodeId(args.actorId, 'Person', 'actorId');
        if (args.action) where.action = args.action;
        if (args.requestId === '') {
          throw ValidationError.at(
            ['requestId'],
            'requestId is empty: give the request id of a call (its x-request-id), or leave requestId out for every request.',
            'empty',
          );
        }
        if (args.requestId != null) where.requestId = args.requestId;
        const occurredAt = rangeCondition(
          { arg: 'since', value: args.since },
          { arg: 'until', value: args.until, inclusive: false },
        );
        if (occurredAt) where.occurredAt = occurredAt;
        return pageOf(ctx.em, AuditEntry, where, { occurredAt: 'desc', id: 'desc' }, args);
      },
    },
    ...connectionTypes('audit entries'),
  ),
);
