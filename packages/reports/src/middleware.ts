/**
 * Every page is made portable while it is rendered (no second pass over the written files):
 * site-root links become relative to the page, and in the build the one module script becomes
 * a classic script, so the output works under any sub-path and from file://. Pages with a
 * search summary go to the Pagefind indexer of the build, if one runs.
 */
import { defineMiddleware } from 'astro:middleware';
import { reportEnv } from './env.ts';
import { pageDepth, relativizeHtml } from './relative-links.ts';
import { currentSearchIndex } from './search-index.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  const html = relativizeHtml(
    await response.text(),
    pageDepth(context.url.pathname),
    reportEnv().staticBuild,
  );
  const path = context.url.pathname;
  currentSearchIndex()?.add(path.endsWith('.html') || path.endsWith('/') ? path : `${path}.html`, html);
  return new Response(html, { status: response.status, headers: response.headers });
});
