import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyServeHeapLimits,
  heapFlagsOf,
  planServeHeap,
  SERVE_SEMI_SPACE_MB,
  serveOldSpaceMb,
} from '../src/cli/heap.ts';
import { parseEnv } from '../src/env.ts';
import { createFileDatabase, type FileDatabase } from './reliability/databases.ts';
import { killAllChildren, runKam, startServerProcess } from './reliability/processes.ts';

const NODE = {
  execPath: '/usr/bin/node',
  execArgv: ['--enable-source-maps'],
  argv: ['/usr/bin/node', '/app/cli/main.ts', 'serve', '--port', '4000'],
  nodeOptions: undefined,
  canExec: true,
  env: { PATH: '/usr/bin' },
};

describe('kam serve heap limits (planning)', () => {
  it('re-executes with a 16 MB semi-space and 256 MB old space by default, keeping flags and arguments', () => {
    expect(serveOldSpaceMb(parseEnv({}))).toBe(256);
    expect(planServeHeap(256, NODE)).toEqual({
      action: 'exec',
      args: [
        '/usr/bin/node',
        '--enable-source-maps',
        `--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`,
        '--max-old-space-size=256',
        '/app/cli/main.ts',
        'serve',
        '--port',
        '4000',
      ],
      env: { MALLOC_ARENA_MAX: '2' },
    });
    // A malloc arena setting of the operator's is kept.
    expect(planServeHeap(256, { ...NODE, env: { MALLOC_ARENA_MAX: '8' } })).toMatchObject({ env: {} });
  });

  it('scales the old space with bulk limits raised above their defaults, and obeys KAM_MAX_HEAP_MB', () => {
    expect(serveOldSpaceMb(parseEnv({ KAM_MAX_BULK_ROWS: '50000' }))).toBe(1280);
    expect(serveOldSpaceMb(parseEnv({ KAM_MAX_BODY_BYTES: String(16 * 1024 * 1024) }))).toBe(512);
    // Lower limits do not shrink it.
    expect(serveOldSpaceMb(parseEnv({ KAM_MAX_BULK_ROWS: '100', KAM_MAX_BODY_BYTES: '65536' }))).toBe(256);
    expect(serveOldSpaceMb(parseEnv({ KAM_MAX_HEAP_MB: '768', KAM_MAX_BULK_ROWS: '50000' }))).toBe(768);
    expect(planServeHeap(0, NODE)).toEqual({ action: 'keep', reason: 'KAM_MAX_HEAP_MB=0' });
  });

  it('leaves the heap alone when Node flags or NODE_OPTIONS already set a limit', () => {
    expect(heapFlagsOf(['--max_old_space_size=300'], undefined)).toEqual(['--max_old_space_size=300']);
    expect(planServeHeap(256, { ...NODE, execArgv: ['--max-semi-space-size=8'] })).toEqual({
      action: 'keep',
      reason: 'node flags set a heap limit',
    });
    expect(
      planServeHeap(256, { ...NODE, nodeOptions: '--enable-source-maps  --max-old-space-size=1024' }),
    ).toEqual({ action: 'keep', reason: 'node flags set a heap limit' });
    // Under a debugger (which would have to attach twice), V8 sizes the heap.
    expect(planServeHeap(256, { ...NODE, execArgv: ['--inspect-brk=9230'] })).toEqual({
      action: 'keep',
      reason: 'a debugger is attached (--inspect)',
    });
    expect(planServeHeap(256, { ...NODE, nodeOptions: '--inspect' })).toMatchObject({ action: 'keep' });
    // Other flags are not heap limits.
    expect(heapFlagsOf(['--max-http-header-size=1000'], '--stack-size=900')).toEqual([]);
    expect(planServeHeap(256, { ...NODE, canExec: false })).toEqual({
      action: 'keep',
      reason: 'process.execve unavailable',
    });
  });

  it('serves with V8’s sizing, and says why, when the re-execution fails', () => {
    const calls: string[][] = [];
    const plan = applyServeHeapLimits(parseEnv({}), {
      ...NODE,
      execve: (_file, args) => {
        calls.push(args);
        throw new Error('EACCES');
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('--max-old-space-size=256');
    expect(plan).toEqual({ action: 'keep', reason: 'process.execve failed: EACCES' });
  });

  it('refuses a heap too small to serve, with the accepted range', () => {
    expect(() => parseEnv({ KAM_MAX_HEAP_MB: '64' })).toThrow(
      /KAM_MAX_HEAP_MB: must be 0 \(V8 decides\) or 128 to 65536 MB/,
    );
    expect(() => parseEnv({ KAM_MAX_HEAP_MB: 'lots' })).toThrow(
      /KAM_MAX_HEAP_MB: must be a number of megabytes/,
    );
  });
});

/** V8's heap limit (MB) of a Node started with these flags: what the server must report. */
function nodeHeapLimitMb(flags: string[]): number {
  const out = execFileSync(
    process.execPath,
    [...flags, '-p', 'Math.round(require("node:v8").getHeapStatistics().heap_size_limit / 1048576)'],
    { env: { PATH: process.env.PATH }, encoding: 'utf8' },
  );
  return Number(out.trim());
}

/** The 'kam API listening' log line. */
function listening(output: string[]): { heapLimitMb: number; heapFlags: string[]; heapNote?: string } {
  const line = output.find(l => l.includes('kam API listening'));
  if (!line) throw new Error(`no listening line in:\n${output.join('\n')}`);
  return JSON.parse(line);
}

describe('kam serve heap limits (a real server process)', () => {
  let db: FileDatabase | undefined;
  afterAll(async () => {
    await killAllChildren();
    await db?.drop();
  });

  it('runs with kam’s limits in the same process, or with the ones the operator gave', async () => {
    db = await createFileDatabase('heap');
    const env = { DATABASE_URL: db.url };
    await runKam(['migrate'], env);

    const byDefault = await startServerProcess(env);
    const flags = [`--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`, '--max-old-space-size=256'];
    expect(listening(byDefault.output)).toMatchObject({
      heapLimitMb: nodeHeapLimitMb(flags),
      heapFlags: flags,
    });
    // Re-executed in place: the process we started is the one serving, with the flags.
    if (process.platform === 'linux') {
      const cmdline = readFileSync(`/proc/${byDefault.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toEqual(expect.arrayContaining([...flags, 'serve']));
      const environ = readFileSync(`/proc/${byDefault.pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain('MALLOC_ARENA_MAX=2');
    }
    const health = await fetch(`${byDefault.base}/ready`);
    expect(health.status).toBe(200);
    await byDefault.kill('SIGTERM');

    const operator = await startServerProcess({ ...env, NODE_OPTIONS: '--max-old-space-size=400' });
    expect(listening(operator.output)).toMatchObject({
      heapLimitMb: nodeHeapLimitMb(['--max-old-space-size=400']),
      heapFlags: ['--max-old-space-size=400'],
    });
    await operator.kill('SIGTERM');

    const v8Sized = await startServerProcess({ ...env, KAM_MAX_HEAP_MB: '0' });
    expect(listening(v8Sized.output)).toMatchObject({
      heapLimitMb: nodeHeapLimitMb([]),
      heapFlags: [],
      heapNote: 'V8 sizes the heap (KAM_MAX_HEAP_MB=0)',
    });
    await v8Sized.kill('SIGTERM');
  }, 60_000);
});
