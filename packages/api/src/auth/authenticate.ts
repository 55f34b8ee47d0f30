import { type EntityManager, touchApiToken, verifyApiToken } from '@kam/domain';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { KamRequest, ServerDeps, Viewer } from '../context.ts';

const REASONS = {
  MALFORMED:
    'The bearer token is malformed. Send the secret shown by `kam token create` (it starts with kam_).',
  UNKNOWN: 'The bearer token is not known. Create one with `kam token create --role … --person …`.',
  REVOKED: 'The bearer token was revoked. Ask an administrator for a new one.',
  EXPIRED: 'The bearer token has expired. Ask an administrator for a new one.',
  INACTIVE:
    'The bearer token belongs to a person who is no longer active. Ask an administrator for a token of your own.',
} as const;

function unauthenticated(message: string) {
  return createGraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="kam"' } },
    },
  });
}

/** A caller whose token was accepted: who it is, and the EntityManager the request works with. */
export interface Authenticated {
  em: EntityManager;
  viewer: Viewer;
}

/**
 * Checks the request's bearer token (one indexed statement) and records its use. A missing,
 * malformed, unknown, revoked or expired token, or one of a person no longer active, is an
 * HTTP 401 error.
 */
export async function authenticate(deps: ServerDeps, request: Request): Promise<Authenticated> {
  const header = request.headers.get('authorization');
  if (!header) {
    throw unauthenticated(
      'Authentication required: send `Authorization: Bearer <token>`. Create a token with `kam token create`.',
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('The Authorization header must be `Bearer <token>`.');
  const em = deps.orm.em.fork();
  const check = await verifyApiToken(em, match[1]);
  if (!check.ok) throw unauthenticated(REASONS[check.reason]);
  const token = check.token;
  await touchApiToken(em, token);
  return {
    em,
    viewer: {
      tokenId: token.id,
      tokenName: token.name,
      personId: token.personId,
      personName: token.personName,
      role: token.role,
    },
  };
}

/**
 * Checks the token before the request's document is read, parsed or validated: a caller
 * without a valid token gets the same 401 whatever it sends, so it cannot map the schema with
 * documents that fail validation ("Cannot query field …", "Did you mean …?"). The result is
 * kept on the request for the context (no second lookup) and for the request's log line.
 */
export function useAuthentication(deps: ServerDeps): Plugin {
  return {
    async onRequestParse({ request }) {
      if (deps.inProcessViewer) return;
      const kamRequest = request as KamRequest;
      kamRequest.kamAuthenticated = await authenticate(deps, request);
      kamRequest.kamViewer = kamRequest.kamAuthenticated.viewer;
    },
  };
}
