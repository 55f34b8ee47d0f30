/**
 * Canonical JSON for snapshots: object keys sorted (by UTF-16 code units) at every level,
 * no whitespace, arrays in their given order, `undefined` members dropped. Numbers must be
 * finite (they are rounded before they get here, see analytics/rounding.ts); -0 is written 0.
 * Equal data therefore always gives equal bytes.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: not a finite number: ${value}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new Error('canonicalJson: bigint must be converted to a money string first');
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(v => (v === undefined ? 'null' : write(v))).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter(k => obj[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map(k => `${JSON.stringify(k)}:${write(obj[k])}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: unsupported value of type ${typeof value}`);
  }
}
