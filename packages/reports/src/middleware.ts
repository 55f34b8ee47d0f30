/**
 * Every page is made portable while it is rendered (no second pass over the written files):
 * site-root links become relative to the page (its path less the site's folder, "/journey"),
 * and in the build the one module script becomes a classic script, so the output works under
 * any sub-path and from file://. Pages with a search summary go to the Pagefind indexer of the
 * build, if one runs.
 */
import { defineMiddleware } from 'astro:middleware';
import { reportEnv } from './env.ts';
import { pageDepth, relativizeHtmlBytes, sitePath } from './relative-links.ts';
import { currentSearchIndex } from './search-index.ts';

// Read once: the pages of a build are one module instance and its environment does not change.
let staticBuild: boolean | undefined;

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  staticBuild ??= reportEnv().staticBuild;
  const path = sitePath(context.url.pathname);
  const page = relativizeHtmlBytes(
    new Uint8Array(await response.arrayBuffer()),
    pageDepth(path),
    staticBuild,
  );
  currentSearchIndex()?.add(path.endsWith('.html') || path.endsWith('/') ? path : `${path}.html`, page);
  const headers = new Headers(response.headers);
  headers.set('content-length', String(page.byteLength));
  return new Response(page, { status: response.status, headers });
});
