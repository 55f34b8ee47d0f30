import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The `kam` command line, run by the same Node that runs the tests (type stripping). */
export const KAM_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

const children = new Set<ChildProcess>();

/** SIGKILLs every child this file started that is still running (for afterAll / afterEach). */
export async function killAllChildren(): Promise<void> {
  const running = [...children];
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(
    running.map(c => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : null)),
  );
  children.clear();
}

// A test that fails (or a worker that exits) must not leave servers behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Only what kam reads: a stray KAM_* or DATABASE_URL from the caller must not leak in.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    KAM_ENV: 'test',
    KAM_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Runs one `kam …` command to completion (bounded by `timeoutMs`); throws on a non-zero exit. */
export function runKam(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [KAM_MAIN, ...args],
      { env: baseEnv(env), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        children.delete(child);
        if (error) reject(new Error(`kam ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
    children.add(child);
  });
}

/** Creates an admin person and returns a fresh token secret for it (`kam person add`, `kam token create`). */
export async function bootstrapAdmin(
  env: Record<string, string>,
  email = 'reliability@example.test',
): Promise<string> {
  await runKam(['person', 'add', '--name', 'Reliability Admin', '--email', email], env);
  return createTokenViaCli(env, email, 'ADMIN');
}

export async function createTokenViaCli(
  env: Record<string, string>,
  person: string,
  role: string,
  expires?: string,
): Promise<string> {
  const { stdout } = await runKam(
    ['token', 'create', '--role', role, '--person', person, ...(expires ? ['--expires', expires] : [])],
    env,
  );
  const secret = stdout.split('\n').find(line => line.startsWith('kam_'));
  if (!secret) throw new Error(`kam token create printed no secret:\n${stdout}`);
  return secret.trim();
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  graphql: string;
  /** Every line the server printed (pino JSON on stdout, anything on stderr). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `kam serve` as a child process on a free loopback port and waits (bounded) for its
 * 'kam API listening' log line, which carries the URL.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), KAM_MAIN, 'serve'], {
    env: baseEnv({ KAM_HOST: '127.0.0.1', KAM_PORT: '0', KAM_SHUTDOWN_GRACE: '2', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  let pending = '';
  let onUrl: ((url: string) => void) | undefined;
  const collect = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (output.length < 5000) output.push(line);
      if (line.includes('kam API listening')) {
        try {
          onUrl?.((JSON.parse(line) as { url: string }).url);
        } catch {
          // not JSON: keep waiting
        }
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const graphql = await Promise.race([
    new Promise<string>(resolve => {
      onUrl = resolve;
    }),
    exited.then(e => {
      throw new Error(`kam serve exited (${e.code ?? e.signal}) before listening:\n${output.join('\n')}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`kam serve did not listen within ${timeoutMs} ms:\n${output.join('\n')}`)),
        timeoutMs,
      );
    }),
  ]).catch(async error => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  clearTimeout(timer);
  const pid = child.pid as number;
  return {
    child,
    pid,
    graphql,
    base: graphql.replace(/\/graphql$/, ''),
    output,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface GqlAnswer<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One GraphQL POST over HTTP, bounded by `timeoutMs`. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  token: string | null,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<GqlAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) };
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(probe: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return true;
    } catch {
      // not yet
    }
    await sleep(everyMs);
  }
  return false;
}

/** The machine, for the summaries copied into docs/reliability.md. */
export function machine(): string {
  return `${process.platform} ${process.arch}, Node ${process.version}`;
}
