import { randomUUID } from 'node:crypto';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import {
  type ExecutionArgs,
  type GraphQLError,
  getOperationAST,
  getVariableValues,
  type ValidationContext,
} from 'graphql';
import {
  createGraphQLError,
  createYoga,
  isAsyncIterable,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import { useAuthentication } from './auth/authenticate.ts';
import { useCsrfPrevention } from './auth/csrf.ts';
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

/** What the API answers in (as Yoga's result processors, in its order of preference). */
const ANSWERED_MEDIA_TYPES = [
  'application/graphql-response+json',
  'application/json',
  'text/event-stream',
  'multipart/mixed',
];

/** Whether Yoga can answer in a media type the request's Accept names (Yoga's own matching). */
function acceptsAnAnswer(request: Request): boolean {
  const accepted = (request.headers.get('accept') || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  return accepted.some(entry => {
    const [mediaType = '', ...params] = entry.split(';');
    // Yoga answers in UTF-8 only.
    if ((params.find(param => param.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8')
      return false;
    const [type, subtype] = mediaType.split('/');
    return ANSWERED_MEDIA_TYPES.some(answered => {
      const [answeredType, answeredSubtype] = answered.split('/');
      return (type === '*' || type === answeredType) && (subtype === '*' || subtype === answeredSubtype);
    });
  });
}

/**
 * A request whose Accept the API cannot answer (406), or whose body it cannot read (415), is
 * refused with a body that says what to send. Yoga answered both with an empty body, and the
 * 406 only after running the operation: a mutation was written and its result thrown away.
 */
function useMediaTypes(): Plugin {
  return {
    onRequestParse({ request, requestParser, endResponse, fetchAPI }) {
      if (!acceptsAnAnswer(request)) {
        const accept = request.headers.get('accept') ?? '';
        const message = `The API cannot answer in ${accept.includes(',') ? `any of ${accept}, the media types the Accept header names` : `${accept}, the only media type the Accept header names`}. Accept application/graphql-response+json or application/json, or leave Accept out.`;
        const requestId = (request as KamRequest).kamRequestId;
        // A response of its own: no answer in a media type the client accepts can carry it.
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message, extensions: { code: 'NOT_ACCEPTABLE', requestId } }] }),
            {
              status: 406,
              headers: {
                'content-type': 'application/json; charset=utf-8',
                accept: 'application/graphql-response+json, application/json',
              },
            },
          ),
        );
        return;
      }
      // Yoga's request parsers (GET, and POST as JSON, GraphQL, form or multipart) have had their
      // turn: none takes this body.
      if (!requestParser && request.method === 'POST') {
        const contentType = request.headers.get('content-type')?.split(';')[0]?.trim();
        throw createGraphQLError(
          `The API does not read a body sent ${contentType ? `as ${contentType}` : 'without a content-type'}. Send it with content-type: application/json, as {"query": "…", "variables": {…}}.`,
          { extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } } },
        );
      }
    },
  };
}

/** The parameters of a GraphQL request; Yoga names any other as unexpected. */
const REQUEST_PARAMETERS = new Set(['query', 'variables', 'operationName', 'extensions']);

/**
 * A request without a query: HTTP 400 (also to a client accepting application/json, which
 * Yoga answered with 200) and how to send one, instead of Yoga's "Must provide query string.".
 */
function useQueryRequired(): Plugin {
  return {
    onParams({ params }) {
      if (params === null || typeof params !== 'object' || params.query != null) return;
      // A misspelt parameter ("qeury") is left to Yoga, which names it.
      for (const [name, value] of Object.entries(params)) {
        if (value != null && !REQUEST_PARAMETERS.has(name)) return;
      }
      throw createGraphQLError(
        'The request has no query. Send the GraphQL document as "query": in a POST as {"query": "…", "variables": {…}} with content-type: application/json, or in a GET as ?query=….',
        { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
      );
    },
  };
}

/**
 * Variables the operation cannot take (the wrong type, a required one missing) end the request
 * before execution with HTTP 400; they get a code as every other request error has.
 */
function useVariableErrorCode(): Plugin<KamContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // Only a request that did not start has no `data`: its variables were refused.
          if (isAsyncIterable(result) || 'data' in result || !result.errors?.length) return;
          setResult({
            ...result,
            errors: result.errors.map(error =>
              error.extensions?.code
                ? error
                : createGraphQLError(error.message, {
                    nodes: error.nodes,
                    source: error.source,
                    positions: error.positions,
                    path: error.path,
                    originalError: error.originalError,
                    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
                  }),
            ),
          });
        },
      };
    },
  };
}

/** A document over the token limit, refused while it is parsed. */
function tooManyTokens(): GraphQLError {
  return createGraphQLError(
    `The document has more than ${LIMITS.maxTokens} tokens (names, punctuation and values). Send data in variables rather than in the query text, or split the query.`,
    {
      extensions: {
        code: 'GRAPHQL_PARSE_FAILED',
        limit: 'tokens',
        max: LIMITS.maxTokens,
        http: { status: 400, spec: true },
      },
    },
  );
}

/**
 * A document nested so deeply (a list literal inside thousands of others, under the token limit
 * or before reaching it) that the parser ran out of stack: a parse failure, not a masked
 * "Unexpected error." that Yoga's parse cache would then keep for the same text. Replaced
 * before that cache sees it (it comes later in the plugin list).
 */
function useParseFailures(): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (!(result instanceof RangeError)) return;
        replaceParseResult(
          createGraphQLError(
            'The document is nested too deeply to be read. Nest lists and input objects only as deep as their types, and send data in variables.',
            { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400, spec: true } } },
          ),
        );
      };
    },
  };
}

/**
 * Reports a graphql-armor limit (depth, aliases, directives) as a validation error of the code
 * the cost limit uses, with the figures: graphql-armor throws "Syntax Error: Query depth limit
 * of 12 exceeded, found 13.", which reached the client with HTTP 200 and no code, and called a
 * well-written document a syntax error.
 */
function reportLimit(
  limit: 'depth' | 'aliases' | 'directives',
  max: number,
  message: (actual: string) => string,
): (context: ValidationContext | null, error: GraphQLError) => void {
  return (context, error) => {
    // graphql-armor gives the measure only in its message ("…, found 13.").
    const found = /found (\d+)\.$/.exec(error.message)?.[1];
    const actual = found === undefined ? undefined : Number(found);
    context?.reportError(
      createGraphQLError(message(found ?? `more than ${max}`), {
        extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, actual },
      }),
    );
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
      useCsrfPrevention(),
      useMediaTypes(),
      // After the cheap refusals above (no database), before the document is read.
      useAuthentication(deps),
      useQueryRequired(),
      useVariableErrorCode(),
      ...(config.introspection ? [] : [useDisableIntrospection(), useHiddenSuggestions()]),
      useParseFailures(),
      maxDepthPlugin({
        n: LIMITS.maxDepth,
        ignoreIntrospection: true,
        flattenFragments: true,
        // The measure is read from the message (reportLimit).
        exposeLimits: true,
        propagateOnRejection: false,
        onReject: [
          reportLimit(
            'depth',
            LIMITS.maxDepth,
            actual =>
              `The query nests fields ${actual} deep; at most ${LIMITS.maxDepth} are allowed. Select fewer levels, and fetch what lies deeper with a second query.`,
          ),
        ],
      }),
      maxAliasesPlugin({
        n: LIMITS.maxAliases,
        allowList: ['__typename'],
        exposeLimits: true,
        propagateOnRejection: false,
        onReject: [
          reportLimit(
            'aliases',
            LIMITS.maxAliases,
            actual =>
              `The query has ${actual} aliases; at most ${LIMITS.maxAliases} are allowed. Send fewer aliased fields per request, or split it into several requests.`,
          ),
        ],
      }),
      maxDirectivesPlugin({
        n: LIMITS.maxDirectives,
        exposeLimits: true,
        propagateOnRejection: false,
        onReject: [
          reportLimit(
            'directives',
            LIMITS.maxDirectives,
            actual =>
              `The query has ${actual} directives; at most ${LIMITS.maxDirectives} are allowed. Use fewer @include and @skip directives (one on a fragment covers all its fields), or split the query.`,
          ),
        ],
      }),
      maxTokensPlugin({
        n: LIMITS.maxTokens,
        onReject: [
          () => {
            throw tooManyTokens();
          },
        ],
      }),
    ],
  });
}
