import {
  type DomainError,
  type DomainErrorCategory,
  type FieldIssue,
  isDomainError,
  missingRecordMessage,
} from '@kam/domain';
import SchemaBuilder, { BasePlugin, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { hasGlobalId } from './schema/node-types.ts';

/**
 * Expected failures, presented as typed results in the schema (errors plugin). Every
 * mutation returns `Result = Success | ValidationError | NotFoundError | ConflictError |
 * ForbiddenError | DomainRuleError`, each with a stable `code` and a message that says
 * what to fix. Anything else is unexpected and stays masked.
 */
export abstract class KamError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends KamError {
  override readonly name = 'ValidationError';
  readonly code: string;
  readonly fieldErrors: FieldIssue[];
  constructor(message: string, code: string, fieldErrors: FieldIssue[]) {
    super(message);
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  /**
   * An error about one argument: `message` says what was wrong and how to fix it, `issue` is
   * the short reason given at the argument's `path` (with `issueCode`, the code by default).
   */
  static at(
    path: FieldIssue['path'],
    message: string,
    issue: string,
    code = 'VALIDATION_FAILED',
    issueCode = code,
  ): ValidationError {
    return new ValidationError(message, code, [{ path, message: issue, code: issueCode }]);
  }
}

export class NotFoundError extends KamError {
  override readonly name = 'NotFoundError';
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

export class ConflictError extends KamError {
  override readonly name = 'ConflictError';
  readonly code: string;
  readonly currentVersion: number | null;
  constructor(message: string, code: string, currentVersion: number | null) {
    super(message);
    this.code = code;
    this.currentVersion = currentVersion;
  }
}

export class ForbiddenError extends KamError {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

export class DomainRuleError extends KamError {
  override readonly name = 'DomainRuleError';
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A record the domain did not find by its database id, named by the global id the client sent
 * ("Team member VGVhbU1lbWJlcjoxMg== does not exist."), where its type has one: a node of the
 * schema, or another type with a global id (an API token).
 */
function notFoundMessage(e: DomainError, info: GraphQLResolveInfo | undefined): string {
  const { entity, type, id } = e.details;
  if (!info || typeof entity !== 'string' || typeof type !== 'string' || typeof id !== 'number') {
    return e.message;
  }
  return hasGlobalId(info, type) ? missingRecordMessage(entity, encodeGlobalID(type, id)) : e.message;
}

/** The one map from the domain's error categories to the API's error types. */
const BY_CATEGORY = {
  VALIDATION: e => new ValidationError(e.message, e.code, e.issues),
  NOT_FOUND: (e, info) => new NotFoundError(notFoundMessage(e, info), e.code),
  CONFLICT: e =>
    new ConflictError(
      e.message,
      e.code,
      typeof e.details.currentVersion === 'number' ? e.details.currentVersion : null,
    ),
  FORBIDDEN: e => new ForbiddenError(e.message),
  RULE: e => new DomainRuleError(e.message, e.code),
} satisfies Record<DomainErrorCategory, (e: DomainError, info?: GraphQLResolveInfo) => KamError>;

export function toApiError(error: unknown, info?: GraphQLResolveInfo): unknown {
  return isDomainError(error) ? BY_CATEGORY[error.category](error, info) : error;
}

/**
 * A Pothos plugin that turns a DomainError thrown by a resolver into the API error of its
 * category, before the errors plugin decides whether the field returns it as a result.
 */
export class DomainErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    // Synchronous fields stay synchronous: wrapping every field in an async function turned
    // each of a page's thousands of plain fields into a promise.
    return (parent, args, context, info) => {
      try {
        const result = resolver(parent, args, context, info);
        if (
          result !== null &&
          typeof result === 'object' &&
          typeof (result as PromiseLike<unknown>).then === 'function'
        ) {
          return Promise.resolve(result).catch(error => {
            throw toApiError(error, info);
          });
        }
        return result;
      } catch (error) {
        throw toApiError(error, info);
      }
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      kamDomainErrors: DomainErrorsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('kamDomainErrors', DomainErrorsPlugin);
