/** Parsing of command-line option values, with one-line errors that say what is expected. */
import { HOST_PATTERN } from '../env.ts';

/**
 * A whole number from `min` to `max` (no upper bound when left out), or an error naming the
 * option. It is written in decimal digits: `0x10`, `1e3` or ` 16` with blanks around it are
 * refused rather than read as 16, 1000 or 16, as a number variable is.
 */
export function wholeNumber(
  value: string,
  option: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `from ${min}` : `from ${min} to ${max}`;
    throw new Error(
      `${option} must be a whole number ${range}, written in digits; got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

/**
 * The variables `--host` and `--port` override (`kam serve`, `kam demo`). An option given but
 * empty (`--port "$PORT"` with PORT unset) is refused by name, as an empty KAM_PORT is, instead
 * of falling back to the default; a port is written in decimal digits (not `0x10` or `1e3`).
 */
export function listenEnvFrom(options: { host?: string; port?: string }): {
  KAM_HOST?: string;
  KAM_PORT?: string;
} {
  const { host, port } = options;
  if (host !== undefined && host.trim() === '') {
    throw new Error(
      '--host is empty; give a host name or IP address, or leave the option out for KAM_HOST or 127.0.0.1.',
    );
  }
  if (host !== undefined && !HOST_PATTERN.test(host)) {
    throw new Error(`--host must be a host name or IP address, e.g. 127.0.0.1; got ${JSON.stringify(host)}.`);
  }
  if (port !== undefined) {
    if (port.trim() === '') {
      throw new Error(
        '--port is empty; give a port number (0 to 65535), or leave the option out for KAM_PORT or 4000.',
      );
    }
    if (!/^\d+$/.test(port)) {
      throw new Error(
        `--port must be a port number written in digits, 0 to 65535; got ${JSON.stringify(port)}.`,
      );
    }
    if (Number(port) > 65535) throw new Error(`--port must be a port number, 0 to 65535; got ${port}.`);
  }
  return {
    ...(host !== undefined ? { KAM_HOST: host } : {}),
    ...(port !== undefined ? { KAM_PORT: port } : {}),
  };
}
