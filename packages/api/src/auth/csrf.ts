import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The header a request a browser could send cross-site without a preflight must carry. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

const WHY = `must carry the header ${CSRF_HEADER} (any value), which a browser cannot send from another site without asking first (CSRF prevention).`;

/** The refusal in kam's words: what was missing and what to send instead. */
function csrfRefused(request: Request) {
  const contentType = request.headers.get('content-type')?.split(';')[0]?.trim();
  const message =
    request.method === 'GET'
      ? `A GET request ${WHY} Add the header, or send the query as a POST with content-type: application/json.`
      : `A ${request.method} sent ${contentType ? `as ${contentType}` : 'without a content-type'} ${WHY} Send it with content-type: application/json instead.`;
  return createGraphQLError(message, {
    extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } },
  });
}

/**
 * Yoga's CSRF prevention (which requests a browser sends cross-site without a CORS preflight:
 * a GET, or a POST as text/plain, form-urlencoded or multipart), refused with a code and a
 * message that says what to send; Yoga's own says only "Required CSRF header(s) not present".
 */
export function useCsrfPrevention(): Plugin {
  const upstream = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        upstream.onRequestParse?.(payload);
      } catch {
        throw csrfRefused(payload.request);
      }
    },
  };
}
