/**
 * `kam demo`: the first five minutes. A fresh SQLite database, migrations, the demo
 * portfolio, every quarter closed, both report sites built, then the API (with GraphiQL and
 * a demo token) and the report sites served on loopback.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import {
  closeQuarter,
  createApiToken,
  createPerson,
  defaultEndQuarter,
  isQuarter,
  migrateDatabase,
  parseQuarter,
  seedDemoPortfolio,
  sqlitePath,
  systemActor,
} from '@kam/domain';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import sirv from 'sirv';
import { apiConfigFrom, parseEnv } from '../../env.ts';
import { createLogger } from '../../logger.ts';
import { makeFolders, userPath } from '../../ops/paths.ts';
import { assertCanListen, startServer } from '../../server.ts';
import { createKamYoga } from '../../yoga.ts';
import { openDatabase } from '../database.ts';
import { listenEnvFrom, wholeNumber } from '../options.ts';
import { runReportBuild } from '../reports.ts';

interface DemoOptions {
  accounts: string;
  quarters: string;
  seed: string;
  endQuarter?: string;
  database: string;
  out: string;
  reportQuarters: string;
  host?: string;
  port?: string;
  serve: boolean;
}

const DEFAULTS = { database: './data/demo.sqlite', out: './data/reports' };

/** Step lines with their duration; a progress bar for long steps on a terminal. */
function stepper() {
  const tty = Boolean(process.stdout.isTTY);
  const began = performance.now();
  return {
    async run<T>(
      label: string,
      work: (progress: (done: number, total: number) => void) => Promise<T>,
    ): Promise<T> {
      const started = performance.now();
      let bar: SingleBar | undefined;
      const progress = (done: number, total: number) => {
        if (!tty) return;
        if (!bar) {
          bar = new SingleBar({
            format: `  ${label} [{bar}] {percentage}% {value}/{total}`,
            hideCursor: true,
          });
          bar.start(total, 0);
        }
        bar.setTotal(total);
        bar.update(done);
      };
      if (!tty) console.log(`… ${label}`);
      try {
        return await work(progress);
      } finally {
        bar?.stop();
        console.log(`✓ ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    },
    total: () => ((performance.now() - began) / 1000).toFixed(1),
  };
}

/**
 * Refuses an `--out` the demo may not empty: the demo deletes its report folder before it
 * builds, so the folder must be missing, empty, or hold report sites only (the archive page,
 * quarter folders and a report build's lock), never `.` or a folder of the user's own.
 */
function assertReportFolder(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) {
    throw new Error(`--out ${out} is a file; give the folder the report sites are published in.`);
  }
  // `.kam-build.lock`: the lock a report build holds on its folder (packages/reports, publish-dir.ts),
  // left behind by a build that was killed.
  const strays = readdirSync(out).filter(
    name => name !== 'index.html' && name !== '.kam-build.lock' && !isQuarter(name),
  );
  if (strays.length) {
    const shown = strays.sort().slice(0, 3).join(', ') + (strays.length > 3 ? ', …' : '');
    throw new Error(
      `--out ${out} holds files that are not report sites (${shown}); the demo empties its report folder before it builds, so give it a folder of its own.`,
    );
  }
}

/**
 * Refuses a `--database` the demo may not delete: it must be missing, empty, or a SQLite file
 * (SQLite's 16-byte header), never a file of another kind given by mistake.
 */
function assertDemoDatabase(file: string): void {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats || (stats.isFile() && stats.size === 0)) return;
  const refuse = () =>
    new Error(
      `--database ${file} is not a SQLite database; the demo deletes and recreates its database, so give it a file of its own (or one that does not exist yet).`,
    );
  if (!stats.isFile()) throw refuse();
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== 'SQLite format 3\0') throw refuse();
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Set up the whole demo: a fresh SQLite database with the demo portfolio, every quarter closed, both report sites built, then serve the API (GraphiQL) and the sites.',
    )
    .option('--accounts <n>', 'accounts in the demo portfolio', '2000')
    .option(
      '--quarters <n>',
      'quarters of history (growth and retention appear from the eighth: each compares a year with the one before)',
      '12',
    )
    .option('--seed <n>', 'seed of the generator (same seed, same data)', '42')
    .option('--end-quarter <YYYY-Qn>', 'the last quarter (default: the last finished quarter)')
    .option('--database <file>', 'the demo database file (deleted and created afresh)', DEFAULTS.database)
    .option('--out <dir>', 'where the report sites are published', DEFAULTS.out)
    .option('--report-quarters <n>', 'build the sites of the last N quarters', '2')
    .option('--host <host>', 'interface to serve on (default: KAM_HOST, else 127.0.0.1)')
    .option('--port <port>', 'port to serve on (default: KAM_PORT, else 4000)')
    .option('--no-serve', 'stop after building (do not serve)')
    .action(async (options: DemoOptions, command: Command) => {
      const accounts = wholeNumber(options.accounts, '--accounts', 10, 1_000_000);
      const quarters = wholeNumber(options.quarters, '--quarters', 1, 40);
      const seed = wholeNumber(options.seed, '--seed', 0, 2 ** 31 - 1);
      const reportQuarters = wholeNumber(options.reportQuarters, '--report-quarters', 0, quarters);
      const endQuarter = options.endQuarter
        ? parseQuarter(options.endQuarter, '--end-quarter')
        : defaultEndQuarter();
      // The demo closes every quarter it loads, and only a quarter that has ended can be closed.
      if (endQuarter > defaultEndQuarter()) {
        throw new Error(
          `--end-quarter must be a quarter that has ended (the latest is ${defaultEndQuarter()}); got ${endQuarter}.`,
        );
      }
      // A path given is taken from the folder the user is in; the defaults (./data/…) from where
      // kam runs, the workspace root under `pnpm demo`, as DATABASE_URL's default is.
      const pathOf = (name: 'database' | 'out', value: string, give: string) =>
        command.getOptionValueSource(name) === 'default'
          ? path.resolve(value)
          : userPath(value, `--${name}`, `${give}, or leave the option out for ${DEFAULTS[name]}`);
      const file = pathOf('database', sqlitePath(options.database), 'the demo database file');
      const out = pathOf('out', options.out, 'the folder the report sites are published in');
      assertDemoDatabase(file);
      assertReportFolder(out);
      const env = parseEnv({
        ...process.env,
        DATABASE_URL: file,
        ...listenEnvFrom(options),
      });
      // Before the minutes of work below: a taken port would only show when serving.
      if (options.serve) await assertCanListen(env.KAM_HOST, env.KAM_PORT);
      const steps = stepper();
      const actor = systemActor('kam demo');

      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      makeFolders(path.dirname(file), 'choose another place for --database');
      const orm = await openDatabase(env, { create: true });
      let serving = false;
      try {
        await steps.run(`Fresh database ${file}, migrations`, () => migrateDatabase(orm));
        const report = await steps.run(
          `Demo portfolio: ${accounts} accounts × ${quarters} quarters`,
          progress =>
            seedDemoPortfolio(
              orm.em.fork(),
              { accounts, quarters, seed, endQuarter },
              actor,
              (_step, done, total) => progress(done, total),
            ),
        );
        await steps.run(`Closing ${report.quarters.length} quarters`, async progress => {
          for (const [index, quarter] of report.quarters.entries()) {
            await closeQuarter(orm.em.fork(), quarter, actor);
            progress(index + 1, report.quarters.length);
          }
        });
        rmSync(out, { recursive: true, force: true });
        makeFolders(out, 'choose another place for --out');
        for (const quarter of report.quarters.slice(report.quarters.length - reportQuarters)) {
          await steps.run(`Report sites of ${quarter}`, () =>
            runReportBuild({ quarter, site: 'all', out, databaseUrl: file }, { quiet: true }),
          );
        }
        const person = await createPerson(
          orm.em.fork(),
          { name: 'Demo Admin', email: 'demo-admin@example.com', businessUnitId: null },
          actor,
        );
        const { secret } = await createApiToken(
          orm.em.fork(),
          { personId: person.id, role: 'ADMIN', name: 'kam demo token' },
          actor,
        );
        console.log(`Demo ready in ${steps.total()} s.`);
        if (!options.serve) {
          console.log(`Reports: ${path.join(out, 'index.html')}\nDemo token (ADMIN): ${secret}`);
          return;
        }

        const logger = createLogger(env.KAM_LOG_LEVEL === 'info' ? 'warn' : env.KAM_LOG_LEVEL);
        const config = { ...apiConfigFrom(env), graphiql: true, introspection: true };
        const yoga = createKamYoga(
          { orm, config, logger },
          { graphiqlHeaders: { authorization: `Bearer ${secret}` } },
        );
        const sites = sirv(out, { dev: false, etag: true, extensions: ['html'] });
        const extraHandler = (req: IncomingMessage, res: ServerResponse): boolean => {
          const url = req.url ?? '/';
          if (url === '/' || url === '/reports') {
            res.writeHead(302, { location: '/reports/' });
            res.end();
            return true;
          }
          if (!url.startsWith('/reports/')) return false;
          req.url = url.slice('/reports'.length) || '/';
          sites(req, res, () => {
            res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
            res.end(`Not found: ${url}\n`);
          });
          return true;
        };
        const running = await startServer({
          host: env.KAM_HOST,
          port: env.KAM_PORT,
          orm,
          yoga,
          logger,
          graceSeconds: env.KAM_SHUTDOWN_GRACE,
          extraHandler,
        });
        serving = true;
        const last = report.quarters.at(-1);
        console.log(
          [
            '',
            `GraphQL API and GraphiQL: ${running.url}/graphql`,
            ...(reportQuarters > 0 && last
              ? [
                  `Report archive:           ${running.url}/reports/`,
                  `KPI site:                 ${running.url}/reports/${last}/kpi/index.html`,
                  `Value-journey site:       ${running.url}/reports/${last}/journey/index.html`,
                ]
              : []),
            `Demo token (ADMIN):       ${secret}`,
            '  (GraphiQL already sends it; scripts send "Authorization: Bearer <token>")',
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
        const stop = () => {
          running.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } finally {
        if (!serving) await orm.close(true);
      }
    });
}
