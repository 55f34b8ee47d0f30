/**
 * Preloaded (`node --import`) into a report build by the browser test: appends the URL of every
 * `fetch` the build makes to the file named by KAM_TEST_FETCH_LOG, so that the test can check
 * that a build reaches the API it was given and nothing else.
 */
import { appendFileSync } from 'node:fs';

const log = process.env.KAM_TEST_FETCH_LOG;
const fetchOriginal = globalThis.fetch;
globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (log) appendFileSync(log, `${url}\n`);
  return fetchOriginal(input, init);
};
