/** Parsing of command-line option values, with one-line errors that say what is expected. */
import { HOST_PATTERN } from '../env.ts';

/** A whole number from `min` to `max`, or an error naming the option. */
export function wholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${option} must be a whole number from ${min} to ${max}; got ${value}.`);
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
