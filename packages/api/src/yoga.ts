import { randomUUID } from 'node:crypto';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type ExecutionArgs, type GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import {
  createGraphQLError,
  createYoga,
  isAsyncIterable,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import { useBodyLimit } from './body-limit.ts';
import { useComplexityMeasure } from './complexity.ts';
import {
  createContext,
  endRequestCaches,
  type KamContext,
  type KamRequest,
  requestIdOf,
  type ServerDeps,
} from './context.ts';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-unavailable.ts';
import { KamError, ValidationError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { schema } from './schema/index.ts';
import { useTextGuard } from './text-guard.ts';

/** A GraphQL error raised on purpose (not wrapping an unexpected exception). */
function isIntentional(error: unknown): boolean {
  // Compared by tag, not instanceof: graphql may be loaded both as CommonJS and as ESM.
  if (
    !error ||
    typeof error !== 'object' ||
    (error as object)[Symbol.toStringTag as never] !== 'GraphQLError'
  )
    return false;
  const original = (error as GraphQLError).originalError;
  return !original || isIntentional(original);
}

/**
 * graphql-js's hints (` Did you mean "accounts"?`, `… the enum value "TIER_1"?`) name fields,
 * arguments, input fields, types and enum values; GraphQL names never contain "?".
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The error without graphql-js's suggestions: with introspection off, a client probing with
 * typos would otherwise read the schema out of the hints. Changed in place (validation errors
 * are cached with their document; every request of this server wants them without).
 */
function withoutSuggestions<E extends Error>(error: E): E {
  if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
  return error;
}

/**
 * With introspection off, no error carries graphql-js's suggestions: those of validation (unknown
 * fields, arguments, types, enum values in the document) and of the variables' coercion.
 */
function useHiddenSuggestions(): Plugin<KamContext> {
  return {
    onValidate() {
      return ({ valid, result }) => {
        if (!valid) result.forEach(withoutSuggestions);
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) result.errors?.forEach(withoutSuggestions);
        },
      };
    },
  };
}

/** Empties the request's caches once its operation has run (see `endRequestCaches`). */
function useEndRequestCaches(): Plugin<KamContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone() {
          endRequestCaches(args.contextValue as KamContext);
        },
      };
    },
  };
}

/** Request ids, durations and masked unexpected errors in the structured log. */
function useRequestLogging(deps: ServerDeps): Plugin<KamContext> {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      (request as KamRequest).kamRequestId = requestIdOf(request);
      started.set(request, performance.now());
    },
    onResultProcess({ request, result, setResult }) {
      // Every error the client sees carries the request id, so a report can be matched to the
      // log: errors of execution, and those that end a request before it (401, 400, 413).
      if (!result || Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      const requestId = (request as KamRequest).kamRequestId;
      for (const error of result.errors) {
        if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') {
          deps.logger.error({ requestId, errorId: error.extensions.errorId }, 'masked error returned');
        }
      }
      setResult({
        ...result,
        errors: result.errors.map(error =>
          createGraphQLError(error.message, {
            nodes: error.nodes,
            source: error.source,
            positions: error.positions,
            path: error.path,
            originalError: error.originalError,
            extensions: { ...error.extensions, requestId },
          }),
        ),
      });
    },
    onResponse({ request, response }) {
      const { kamRequestId: requestId, kamViewer: viewer } = request as KamRequest;
      response.headers.set('x-request-id', requestId ?? '');
      if (!deps.logger.isLevelEnabled('info')) return;
      const began = started.get(request);
      deps.logger.info(
        {
          requestId,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: began === undefined ? undefined : Math.round((performance.now() - began) * 10) / 10,
          // Who called (absent when the token was missing or refused): the token and its person.
          ...(viewer ? { tokenId: viewer.tokenId, personId: viewer.personId, role: viewer.role } : {}),
        },
        'request',
      );
    },
  };
}

/**
 * Whether a request runs on graphql-jit: queries whose variables graphql-js accepts. Mutations
 * (whose cost is the writes) and requests with bad variables run on graphql-js, which answers
 * bad variables with HTTP 400 and the scalar's own message (graphql-jit would say less).
 */
function jitApplies(args: ExecutionArgs): boolean {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'query') return false;
  if (!operation.variableDefinitions?.length) return true;
  const coerced = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, {
    maxErrors: 1,
  });
  return !('errors' in coerced && coerced.errors?.length);
}

export type KamYoga = YogaServerInstance<Record<string, unknown>, KamContext>;

export interface YogaOptions {
  /** Pre-fills GraphiQL's headers editor (the demo passes its demo token). */
  graphiqlHeaders?: Record<string, string>;
}

/** The GraphQL server: schema, per-request context, limits, CSRF prevention, masked errors. */
export function createKamYoga(deps: ServerDeps, options: YogaOptions = {}): KamYoga {
  const { config, logger } = deps;
  return createYoga<Record<string, unknown>, KamContext>({
    schema,
    context: initial => createContext(deps, initial),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    healthCheckEndpoint: false as unknown as string,
    // Enforced by useBodyLimit below (cheaper for bodies that declare their length).
    maxRequestBodySize: false,
    batching: false,
    logging: false,
    graphiql: config.graphiql
      ? {
          title: 'kam GraphQL API',
          headers: options.graphiqlHeaders ? JSON.stringify(options.graphiqlHeaders) : undefined,
          shouldPersistHeaders: false,
        }
      : false,
    // GraphiQL's bundle is ~30 MB of strings once loaded: load it on the first GraphiQL page,
    // so a production server (GraphiQL off) never holds it.
    renderGraphiQL: async graphiqlOptions =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    maskedErrors: {
      maskError(error, message) {
        // Intentional GraphQL errors (validation, limits, 401) pass; anything else is masked.
        if (isIntentional(error)) return error as Error;
        // An expected API error raised outside a typed result (e.g. a bad page size on a query).
        const original = (error as { originalError?: unknown }).originalError;
        if (original instanceof KamError) {
          const graphQLError = error as GraphQLError;
          return createGraphQLError(original.message, {
            nodes: graphQLError.nodes,
            path: graphQLError.path,
            extensions: {
              code: original.code,
              ...(original instanceof ValidationError ? { fieldErrors: original.fieldErrors } : {}),
            },
          });
        }
        // The database is down or restarting: say so, with 503 and Retry-After, not "Unexpected error."
        if (isDatabaseUnavailable(original ?? error)) {
          logger.warn({ err: original ?? error }, 'database unavailable');
          return createGraphQLError(DATABASE_UNAVAILABLE_MESSAGE, {
            extensions: {
              code: 'DATABASE_UNAVAILABLE',
              http: { status: 503, headers: { 'Retry-After': '5' } },
            },
          });
        }
        // The client gets an error id (and the request id, added below); the log gets the details.
        const errorId = randomUUID();
        logger.error({ err: original ?? error, errorId }, 'unexpected error');
        return createGraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } });
      },
    },
    plugins: [
      // Queries compiled to JavaScript once per document (graphql-jit): a page of 100 accounts
      // resolves thousands of fields, and the interpreter's per-field overhead was most of it.
      useGraphQlJit({ customJSONSerializer: false }, { enableIf: jitApplies }),
      useRequestLogging(deps),
      useEndRequestCaches(),
      useComplexityMeasure(),
      useBodyLimit(config.maxBodyBytes),
      useTextGuard(),
      // A request a browser sends cross-site without a CORS preflight (a GET, or a POST as
      // text/plain, form-urlencoded or multipart) must carry `x-graphql-yoga-csrf`; JSON needs none.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      ...(config.introspection ? [] : [useDisableIntrospection(), useHiddenSuggestions()]),
      maxDepthPlugin({
        n: LIMITS.maxDepth,
        ignoreIntrospection: true,
        flattenFragments: true,
        exposeLimits: true,
      }),
      maxAliasesPlugin({ n: LIMITS.maxAliases, allowList: ['__typename'], exposeLimits: true }),
      maxDirectivesPlugin({ n: LIMITS.maxDirectives, exposeLimits: true }),
      maxTokensPlugin({ n: LIMITS.maxTokens, exposeLimits: true }),
    ],
  });
}
