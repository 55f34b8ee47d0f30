/**
 * Makes a built site portable: every site-root link ("/accounts/a.html", "/_astro/x.css",
 * "/../kpi/index.html") becomes relative to the page that holds it, so the folder works under
 * any sub-path and from file://. The one client script is turned into a classic deferred
 * script, because browsers refuse module scripts from file://.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// `data-kam-href`: a link to the sibling site while it is switched off (src/sibling-links.ts).
const ROOT_LINK = /(\s(?:href|src|action|data-kam-href)=")\/(?!\/)/g;
const MODULE_SCRIPT = /<script type="module" src="([^"]+)"><\/script>/g;

/** The prefix that leads from a page `depth` folders below the site root back to the root. */
export function rootPrefix(depth: number): string {
  return depth === 0 ? './' : '../'.repeat(depth);
}

/**
 * A page's path within its site: the build puts each site in a folder of its own
 * ("/journey/accounts/a" → "/accounts/a", "/kpi/index" → "/index").
 */
export function sitePath(pathname: string): string {
  const slash = pathname.indexOf('/', 1);
  return slash < 0 ? '/' : pathname.slice(slash);
}

/** How many folders below the site root a page is: "/" and "/accounts" → 0, "/accounts/a" → 1. */
export function pageDepth(pathname: string): number {
  const path = pathname.endsWith('/') && pathname.length > 1 ? pathname.slice(0, -1) : pathname;
  return Math.max(0, path.split('/').length - 2);
}

/**
 * Rewrites one page's site-root links; `depth` is how many folders the page is below the root.
 * With `classicScripts`, module scripts become deferred classic scripts.
 */
export function relativizeHtml(html: string, depth: number, classicScripts = true): string {
  const prefix = rootPrefix(depth);
  const scripts = classicScripts
    ? html.replace(MODULE_SCRIPT, (_, src: string) => `<script defer src="${src}"></script>`)
    : html;
  return scripts.replace(ROOT_LINK, `$1${prefix}`);
}

/**
 * `relativizeHtml` over a page's UTF-8 bytes, without decoding and encoding it again: the bytes
 * are read as Latin-1 (one character a byte), where the ASCII the patterns look for matches as
 * usual and every other byte passes through unchanged.
 */
export function relativizeHtmlBytes(
  page: Uint8Array,
  depth: number,
  classicScripts = true,
): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  return Buffer.from(relativizeHtml(bytes.toString('latin1'), depth, classicScripts), 'latin1');
}

/** A module chunk with imports cannot run as a classic script: fail the build loudly. */
async function classicScripts(root: string): Promise<number> {
  const astroDir = join(root, '_astro');
  let files: string[];
  try {
    files = (await readdir(astroDir)).filter(name => name.endsWith('.js'));
  } catch {
    return 0;
  }
  for (const name of files) {
    const path = join(astroDir, name);
    const code = await readFile(path, 'utf8');
    if (/^\s*import[\s{*"']/m.test(code) || /\bexport\s*\{[^}]*\}\s*;?\s*$/.test(code)) {
      throw new Error(
        `${name} imports or exports modules; the report script must bundle into one chunk to run from file://.`,
      );
    }
    if (!code.startsWith('(()=>{')) await writeFile(path, `(()=>{${code}\n})();\n`);
  }
  return files.length;
}

/**
 * After the build: the pages were made relative while rendering (src/middleware.ts); the
 * script chunk they load is wrapped so that it runs as a classic script.
 */
export async function finishPortableSite(root: string): Promise<void> {
  await classicScripts(root);
}
