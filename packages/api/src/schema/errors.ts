import { builder } from '../builder.ts';
import {
  ConflictError,
  DomainRuleError,
  ForbiddenError,
  type KamError,
  NotFoundError,
  ValidationError,
} from '../errors.ts';

/** The shared interface of every expected error: query `... on Error { code message }`. */
export const ErrorInterface = builder.interfaceRef<KamError>('Error').implement({
  description:
    'An expected failure. Every error has a stable machine-readable code and a message saying what to fix.',
  fields: t => ({
    code: t.exposeString('code', {
      description: 'Stable code, e.g. PLAN_NOT_SIGNED_BY_ALL_UNITS or VERSION_CONFLICT.',
    }),
    message: t.exposeString('message', { description: 'What went wrong and how to fix it.' }),
  }),
});

export const FieldErrorRef = builder
  .objectRef<{ path: (string | number)[]; message: string; code: string }>('FieldError')
  .implement({
    description: 'One invalid input field.',
    fields: t => ({
      path: t.stringList({
        description: 'Where the field is in the input, e.g. ["rows", "3", "revenue"].',
        resolve: e => e.path.map(String),
      }),
      message: t.exposeString('message', { description: 'What is wrong with the value.' }),
      code: t.exposeString('code', { description: 'Stable code, e.g. SCORE_OUT_OF_RANGE or INVALID_MONEY.' }),
    }),
  });

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is invalid; `fieldErrors` lists every bad field.',
  interfaces: [ErrorInterface],
  isTypeOf: e => e instanceof ValidationError,
  fields: t => ({
    fieldErrors: t.field({
      type: [FieldErrorRef],
      description: 'Every invalid field.',
      resolve: e => e.fieldErrors,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'Something the request refers to does not exist.',
  interfaces: [ErrorInterface],
  isTypeOf: e => e instanceof NotFoundError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description:
    'The request conflicts with the stored state: a stale `expectedVersion`, a taken key, or an idempotency key reused with another payload.',
  interfaces: [ErrorInterface],
  isTypeOf: e => e instanceof ConflictError,
  fields: t => ({
    currentVersion: t.int({
      nullable: true,
      description: 'For a version conflict: the version to reload and send again.',
      resolve: e => e.currentVersion,
    }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'Your token’s role may not do this (or not on this account). Nothing was written.',
  interfaces: [ErrorInterface],
  isTypeOf: e => e instanceof ForbiddenError,
  fields: () => ({}),
});

builder.objectType(DomainRuleError, {
  name: 'DomainRuleError',
  description: 'A rule of the Key Account Management domain forbids this; `code` names the rule.',
  interfaces: [ErrorInterface],
  isTypeOf: e => e instanceof DomainRuleError,
  fields: () => ({}),
});
