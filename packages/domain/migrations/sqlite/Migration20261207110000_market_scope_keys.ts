// The same on both databases: the work is done in JS (see the shared module).
export { Migration20261207110000_market_scope_keys } from '../shared/market-scope-keys.ts';
