/**
 * A URL for messages and logs without its password: `postgres://kam:***@host/kam`. A user name
 * given alone is kept for a database (`postgres://postgres@host/kam`, the usual trust or peer
 * login), but masked whole for a web address, where it may be a token: `http://***@host/graphql`.
 * Also for a string that is not a valid URL (the one being refused); without `//`, only
 * `user:password@` at the start is taken for credentials, so a file name such as `./a@b.sqlite`
 * is left as it is.
 */
export function withoutPassword(url: string): string {
  // Up to the last `@` before the path: a password may hold an `@` its writer did not escape.
  const match = /^((?:[a-z][a-z0-9+.-]*:)?\/\/)?([^/?#\s]*)@/i.exec(url);
  if (!match) return url;
  const [credentials, start = '', userinfo = ''] = match;
  const colon = userinfo.indexOf(':');
  if (colon < 0 && !/^https?:/i.test(start)) return url;
  return `${start}${colon > 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@${url.slice(credentials.length)}`;
}
