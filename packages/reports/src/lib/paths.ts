/**
 * Paths inside a report site. Pages link with site-root paths ("/accounts/acme.html"); the
 * build turns every such link into a relative one (see `relative-links.ts`), so the output
 * works under any sub-path and from `file://`. Links to the other site or the archive go
 * above the site root: "/../journey/index.html".
 */
export const ARCHIVE_HREF = '/../../index.html';
export const QUARTER_HREF = '/../index.html';

export function otherSiteHref(site: 'kpi' | 'journey', page = 'index.html'): string {
  return `/../${site}/${page}`;
}

/**
 * The link attribute of a link to the sibling site: `href` when it is published (same revision),
 * otherwise `data-kam-href`, which a later build of the sibling turns into `href`
 * (src/sibling-links.ts). The element needs `data-kam-sibling="<site>"` as its first attribute.
 */
export function siblingHref(linked: boolean, href: string): { href: string } | { 'data-kam-href': string } {
  return linked ? { href } : { 'data-kam-href': href };
}

/** A file-name-safe slug: lower case letters, digits and dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'item';
}

/** FNV-1a, base 36: a short stable fingerprint for slugs that lost characters. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * The page name of an account (from its externalRef) or a business unit (from its code) alone (so that the KPI site can link to
 * value-journey pages without the account list): the lower-cased ref when it is already
 * file-name safe, otherwise the slug plus a fingerprint of the ref, so different refs never
 * share a page. (Refs that differ only in letter case do share one.)
 */
export function pageSlug(key: string): string {
  const slug = slugify(key);
  return slug === key.toLowerCase() ? slug : `${slug}-${fingerprint(key)}`;
}

export function accountHref(externalRef: string): string {
  return `/accounts/${pageSlug(externalRef)}.html`;
}

/** The same account page, linked from the KPI site. */
export function journeyAccountHref(externalRef: string): string {
  return `/../journey/accounts/${pageSlug(externalRef)}.html`;
}

export function unitHref(code: string): string {
  return `/units/${pageSlug(code)}.html`;
}

export function kpiAnchor(code: string): string {
  return `kpi-${slugify(code)}`;
}
