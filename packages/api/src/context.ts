import { randomUUID } from 'node:crypto';
import type { Actor, ApiRole, EntityManager, MikroORM } from '@kam/domain';
import type { YogaInitialContext } from 'graphql-yoga';
import { type Authenticated, authenticate } from './auth/authenticate.ts';
import type { ComplexityMeasure } from './complexity.ts';
import type { ApiConfig } from './env.ts';
import type { Logger } from './logger.ts';

/** Who is calling: the token's person and role. */
export interface Viewer {
  tokenId: number;
  tokenName: string;
  personId: number;
  personName: string;
  role: ApiRole;
}

/**
 * One request's context: its own EntityManager fork, the viewer, the request id and its
 * caches. Plain data only, no getters or methods: Yoga copies these fields onto its own
 * context object with `Object.assign`, which calls every getter (a lazy `logger` getter here
 * built a pino child on every request).
 */
export interface KamContext {
  em: EntityManager;
  viewer: Viewer;
  actor: Actor;
  requestId: string;
  config: ApiConfig;
  /** This request's caches, by cache (`requestCache`). */
  cache: Map<object, unknown>;
  /** The cost of the request's operation, measured when execution starts (complexity.ts). */
  complexity: ComplexityMeasure | undefined;
}

export interface ServerDeps {
  orm: MikroORM;
  config: ApiConfig;
  logger: Logger;
  /**
   * In-process use only (the report build reading a local database): every request acts as
   * this read-only viewer without a token. Never set for a server that listens on a port.
   */
  inProcessViewer?: Viewer;
}

/**
 * What the server notes on a request as it goes: its id, and who is calling once known (the
 * token is checked before the document is read: `useAuthentication`).
 */
export type KamRequest = Request & {
  kamRequestId?: string;
  kamViewer?: Viewer;
  kamAuthenticated?: Authenticated;
};

/** The request id: the caller's `x-request-id` when it is sane, else a new UUID. */
export function requestIdOf(request: Request): string {
  return requestIdFrom(request.headers.get('x-request-id'));
}

/** The request id for a caller's `x-request-id` header value (absent or not sane: a new UUID). */
export function requestIdFrom(given: string | null | undefined): string {
  return given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Builds the context of one GraphQL request, as the caller whose token `useAuthentication`
 * accepted before the document was read (checked here only if it was not).
 */
export async function createContext(deps: ServerDeps, initial: YogaInitialContext): Promise<KamContext> {
  const request = initial.request as KamRequest;
  const requestId = request.kamRequestId ?? requestIdOf(request);
  if (deps.inProcessViewer) return buildContext(deps, deps.orm.em.fork(), deps.inProcessViewer, requestId);
  const { em, viewer } = request.kamAuthenticated ?? (await authenticate(deps, request));
  // For the request's log line (yoga.ts), which is written after the context is gone.
  request.kamViewer = viewer;
  return buildContext(deps, em, viewer, requestId);
}

function buildContext(deps: ServerDeps, em: EntityManager, viewer: Viewer, requestId: string): KamContext {
  return {
    em,
    viewer,
    actor: {
      personId: viewer.personId,
      label: `${viewer.personName} (token ${viewer.tokenName})`,
      requestId,
    },
    requestId,
    config: deps.config,
    cache: new Map(),
    complexity: undefined,
  };
}

/**
 * A request-scoped cache: `create` runs once per request, on first use, and returns an object.
 * The values live in the context's own `cache` map rather than in a WeakMap keyed by the
 * context, so that `endRequestCaches` can empty them when the operation ends.
 */
export function requestCache<T extends object>(create: (ctx: KamContext) => T): (ctx: KamContext) => T {
  const key = {};
  return ctx => {
    let value = ctx.cache.get(key) as T | undefined;
    if (!value) {
      value = create(ctx);
      ctx.cache.set(key, value);
    }
    return value;
  };
}

/**
 * Empties a request's caches (`requestCache`) and its EntityManager's identity map once its
 * operation has run. The context outlives the request in V8's young generation: Pothos keeps
 * each request's data loaders in module-level WeakMaps keyed by the context, and V8's minor GC
 * keeps the values of a long-lived WeakMap that hold a function (here a loader's batch
 * function, which refers to the context) until the next full collection. Everything the
 * request loaded was kept with it and promoted to old space, which then needed a full
 * collection every few hundred milliseconds under load (docs/benchmarks.md). Runs when
 * execution is done, so no resolver can need them any more (the API has no subscriptions or
 * deferred results).
 */
export function endRequestCaches(ctx: KamContext): void {
  ctx.cache.clear();
  ctx.em.clear();
}
