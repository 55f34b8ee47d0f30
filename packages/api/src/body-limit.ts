import { createGraphQLError, type Plugin } from 'graphql-yoga';

const tooLarge = (limit: number) =>
  createGraphQLError(`Request body too large: the limit is ${limit} bytes. Send fewer rows per call.`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });

/**
 * The request-body limit (HTTP 413). Yoga's own limit pipes every body through a counting
 * stream into a new Request, which was a tenth of a small request's cost. Here a body that
 * declares its length is checked by its `Content-Length` alone (Node's HTTP parser delivers
 * exactly that many bytes, never more); only a body without one (chunked) is counted as it
 * is read, and refused as soon as it passes the limit.
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const declared = request.headers.get('content-length');
      if (declared != null) {
        if (!/^\d+$/.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        if (Number(declared) > limit) throw tooLarge(limit);
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async req => parse(await readWithin(req, limit)));
    },
  };
}

/** The request with its body read into memory, or a 413 error once it passes `limit` bytes. */
async function readWithin(request: Request, limit: number): Promise<Request> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: Buffer.concat(chunks),
  });
}
