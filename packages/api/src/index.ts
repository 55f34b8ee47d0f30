/** @kam/api — the GraphQL API over the domain, the HTTP server and the kam command line. */
export { type ApiConfig, apiConfigFrom, type KamEnv, parseEnv } from './env.ts';
export { type InProcessApi, openInProcessApi } from './in-process.ts';
export { createLogger } from './logger.ts';
export { schema } from './schema/index.ts';
export { databaseReady, type RunningServer, startServer } from './server.ts';
export { createKamYoga, type KamYoga } from './yoga.ts';
