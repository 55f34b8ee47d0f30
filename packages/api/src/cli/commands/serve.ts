import type { Command } from 'commander';
import { apiConfigFrom, parseEnv } from '../../env.ts';
import { createLogger } from '../../logger.ts';
import { withoutPassword } from '../../ops/urls.ts';
import { startServer } from '../../server.ts';
import { createKamYoga } from '../../yoga.ts';
import { assertMigrated, openDatabase } from '../database.ts';
import { applyServeHeapLimits, heapFlagsOf, heapLimitMb } from '../heap.ts';
import { listenEnvFrom } from '../options.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the GraphQL API (host, port and database from KAM_HOST, KAM_PORT, DATABASE_URL).')
    .option('--host <host>', 'interface to listen on (overrides KAM_HOST)')
    .option('--port <port>', 'port to listen on (overrides KAM_PORT)')
    .action(async (options: { host?: string; port?: string }) => {
      const env = parseEnv({
        ...process.env,
        ...listenEnvFrom(options),
      });
      // Before anything opens: this may re-execute the process with kam's heap limits.
      const heap = applyServeHeapLimits(env);
      const logger = createLogger(env.KAM_LOG_LEVEL);
      const orm = await openDatabase(env);
      await assertMigrated(orm);
      const config = apiConfigFrom(env);
      const yoga = createKamYoga({ orm, config, logger });
      const running = await startServer({
        host: env.KAM_HOST,
        port: env.KAM_PORT,
        orm,
        yoga,
        logger,
        graceSeconds: env.KAM_SHUTDOWN_GRACE,
      });
      logger.info(
        {
          url: `${running.url}/graphql`,
          database: withoutPassword(env.DATABASE_URL),
          env: env.KAM_ENV,
          graphiql: config.graphiql,
          heapLimitMb: heapLimitMb(),
          heapFlags: heapFlagsOf(process.execArgv, process.env.NODE_OPTIONS),
          ...(heap.action === 'keep' && heap.reason !== 'node flags set a heap limit'
            ? { heapNote: `V8 sizes the heap (${heap.reason})` }
            : {}),
        },
        'kam API listening',
      );
      const stop = (signal: string) => {
        logger.info({ signal }, 'signal received');
        running.close().then(
          () => process.exit(0),
          error => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
