import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { type MikroORM, purgeExpiredIdempotencyKeys } from '@kam/domain';
import { requestIdFrom } from './context.ts';
import type { Logger } from './logger.ts';
import type { KamYoga } from './yoga.ts';

export interface RunningServer {
  server: Server;
  url: string;
  /** Requests being served right now. */
  inFlight(): number;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the database. */
  close(): Promise<void>;
}

export interface ServerOptions {
  host: string;
  port: number;
  orm: MikroORM;
  yoga: KamYoga;
  logger: Logger;
  graceSeconds: number;
  /** Extra routes (the report sites in the demo) tried before the API. */
  extraHandler?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** How often expired idempotency keys are deleted (also once at start); an hour by default. */
  purgeEveryMs?: number;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** An answer of the server's own (not the API's), with the request id every response carries. */
function json(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const given = req.headers['x-request-id'];
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-request-id': requestIdFrom(typeof given === 'string' ? given : undefined),
  });
  res.end(JSON.stringify(body));
}

/** Whether the database answers a trivial query within the timeout. */
export async function databaseReady(orm: MikroORM, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = orm.em
      .getConnection()
      .execute('select 1 as ok')
      .then(() => true);
    const timeout = new Promise<boolean>(resolve => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([probe, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'another process already uses this port. Stop it, or choose another port (--port).',
  EACCES: 'permission denied (ports below 1024 need privileges). Choose a port from 1024 (--port).',
  EADDRNOTAVAIL: 'this machine has no such address. Give one of its addresses, or 0.0.0.0 (--host).',
  ENOTFOUND: 'no such host name. Give an address of this machine (--host).',
};

/** Node's bare "listen EADDRINUSE: address already in use …" said with the address and what to do. */
function listenError(error: Error, host: string, port: number): Error {
  const what = LISTEN_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return what ? new Error(`Cannot listen on ${address}: ${what}`) : error;
}

/** Listens on `host:port`; a failure says which address and what to do (`listenError`). */
function listen(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', error => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
}

/**
 * Fails as `startServer` would when nothing can listen on `host:port` (a taken port, an address
 * this machine does not have), for commands that do slow work before they serve (`kam demo`).
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  const probe = createNetServer();
  await listen(probe, host, port);
  await new Promise<void>(resolve => probe.close(() => resolve()));
}

/**
 * The HTTP server: `/graphql` (the API), `/health` (the process is up), `/ready` (the
 * database answers). Only this file listens on a port.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { orm, yoga, logger } = options;
  let inFlight = 0;
  let closing = false;
  const server = createServer(async (req, res) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
    });
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/health') return json(req, res, 200, { status: 'ok' });
      if (path === '/ready') {
        if (closing) return json(req, res, 503, { status: 'shutting-down' });
        const ready = await databaseReady(orm);
        return json(
          req,
          res,
          ready ? 200 : 503,
          ready ? { status: 'ready' } : { status: 'not-ready', reason: 'database does not answer' },
        );
      }
      if (options.extraHandler && (await options.extraHandler(req, res))) return;
      if (closing) res.setHeader('connection', 'close');
      await yoga(req, res);
    } catch (error) {
      logger.error({ err: error }, 'request failed outside GraphQL');
      if (!res.headersSent) json(req, res, 500, { errors: [{ message: 'Unexpected error.' }] });
    }
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 60_000;
  await listen(server, options.host, options.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;

  // Idempotency keys are looked up by key, so expired ones only take room: deleted here, off the
  // requests' path (one indexed delete an hour), rather than by a bulk call that would pay for it.
  let purging: Promise<void> = Promise.resolve();
  const purge = () => {
    purging = purging.then(() =>
      purgeExpiredIdempotencyKeys(orm.em.fork()).then(
        deleted => {
          if (deleted > 0) logger.info({ deleted }, 'deleted expired idempotency keys');
        },
        error => logger.warn({ err: error }, 'could not delete expired idempotency keys; trying again later'),
      ),
    );
  };
  purge();
  const purgeTimer = setInterval(purge, options.purgeEveryMs ?? PURGE_EVERY_MS).unref();

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      clearInterval(purgeTimer);
      logger.info({ inFlight }, 'shutting down: finishing in-flight requests');
      const stopped = new Promise<void>(resolve => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + options.graceSeconds * 1000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 25));
      server.closeAllConnections();
      await stopped;
      await purging;
      await orm.close(true);
      logger.info('stopped');
    })();
    return closed;
  };
  return { server, url, close, inFlight: () => inFlight };
}
