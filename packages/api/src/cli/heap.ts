import v8 from 'node:v8';
import type { KamEnv } from '../env.ts';

/**
 * The V8 heap limits `kam serve` runs with.
 *
 * Left to itself, V8 sizes the heap from the machine's memory: on a 24 GiB machine it lets the
 * young generation grow to 2 × 64 MB and old space to a few hundred MB of garbage before a full
 * collection, so a server whose live data is ~60 MB sat at 500–600 MB RSS under load
 * (docs/benchmarks.md). With a 16 MB semi-space and a 256 MB old space it stays under 300 MB
 * at a small cost in throughput. Heap limits can only be set when Node starts, so `kam serve`
 * re-executes itself with them (`process.execve`: the same process id, nothing started yet)
 * unless the Node flags already set a heap limit, or `KAM_MAX_HEAP_MB=0`. The new image also
 * gets `MALLOC_ARENA_MAX=2` (unless set): glibc otherwise gives each of Node's and V8's worker
 * threads a malloc arena of its own, which held 20–30 MB more at peak in the same load test.
 */

/** The young generation's semi-space when kam sets the limits, MB. */
export const SERVE_SEMI_SPACE_MB = 16;
/** Old space for the default bulk limits (10,000 rows, 8 MiB bodies), MB. */
const BASE_OLD_SPACE_MB = 256;
const BASE_BODY_BYTES = 8 * 1024 * 1024;
const BASE_BULK_ROWS = 10_000;

/** Node/V8 flags that set a heap limit (dashes or underscores, as V8 accepts both). */
const HEAP_FLAG = /^--max[-_](old[-_]space|semi[-_]space|heap|young[-_]generation)[-_]size(=|$)/;

/**
 * Old space for `kam serve`, MB: `KAM_MAX_HEAP_MB` when set (0: V8's own sizing), otherwise
 * 256 MB, scaled up in proportion when the bulk limits are raised above their defaults.
 */
export function serveOldSpaceMb(
  env: Pick<KamEnv, 'KAM_MAX_HEAP_MB' | 'KAM_MAX_BODY_BYTES' | 'KAM_MAX_BULK_ROWS'>,
): number {
  if (env.KAM_MAX_HEAP_MB !== undefined) return env.KAM_MAX_HEAP_MB;
  const scale = Math.max(1, env.KAM_MAX_BODY_BYTES / BASE_BODY_BYTES, env.KAM_MAX_BULK_ROWS / BASE_BULK_ROWS);
  return Math.ceil(BASE_OLD_SPACE_MB * scale);
}

/** Debugger flags: a re-executed process would wait for the debugger a second time. */
const INSPECT_FLAG = /^--inspect(-brk|-wait)?(=|$)/;

/** Node's command-line flags and those in `NODE_OPTIONS`. */
function nodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/).filter(Boolean)];
}

/** The heap flags among Node's command-line flags and `NODE_OPTIONS`. */
export function heapFlagsOf(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return nodeFlags(execArgv, nodeOptions).filter(flag => HEAP_FLAG.test(flag));
}

export type ServeHeapPlan =
  | { action: 'exec'; args: string[]; env: Record<string, string> }
  | {
      action: 'keep';
      reason:
        | 'node flags set a heap limit'
        | 'KAM_MAX_HEAP_MB=0'
        | 'a debugger is attached (--inspect)'
        | 'process.execve unavailable'
        | `process.execve failed: ${string}`;
    };

/** What `kam serve` does about the heap before it starts (pure, for tests). */
export function planServeHeap(
  oldSpaceMb: number,
  node: {
    execPath: string;
    execArgv: readonly string[];
    argv: readonly string[];
    nodeOptions: string | undefined;
    canExec: boolean;
    /** The environment, for the variables the new image gets unless they are set. */
    env: Readonly<Record<string, string | undefined>>;
  },
): ServeHeapPlan {
  if (heapFlagsOf(node.execArgv, node.nodeOptions).length) {
    return { action: 'keep', reason: 'node flags set a heap limit' };
  }
  if (oldSpaceMb === 0) return { action: 'keep', reason: 'KAM_MAX_HEAP_MB=0' };
  if (nodeFlags(node.execArgv, node.nodeOptions).some(flag => INSPECT_FLAG.test(flag))) {
    return { action: 'keep', reason: 'a debugger is attached (--inspect)' };
  }
  if (!node.canExec) return { action: 'keep', reason: 'process.execve unavailable' };
  return {
    action: 'exec',
    args: [
      node.execPath,
      ...node.execArgv,
      `--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`,
      `--max-old-space-size=${oldSpaceMb}`,
      ...node.argv.slice(1),
    ],
    env: node.env.MALLOC_ARENA_MAX === undefined ? { MALLOC_ARENA_MAX: '2' } : {},
  };
}

/** The running Node process, as far as re-executing it goes (tests pass their own). */
export interface NodeProcess {
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  execve?: (file: string, args: string[], env: Record<string, string | undefined>) => void;
}

/**
 * Re-executes this process with kam's heap limits when `planServeHeap` says so (it does not
 * return then); otherwise returns why not. Call it before anything is opened or started.
 */
export function applyServeHeapLimits(env: KamEnv, node: NodeProcess = process): ServeHeapPlan {
  const plan = planServeHeap(serveOldSpaceMb(env), {
    execPath: node.execPath,
    execArgv: node.execArgv,
    argv: node.argv,
    nodeOptions: node.env.NODE_OPTIONS,
    canExec: typeof node.execve === 'function',
    env: node.env,
  });
  if (plan.action !== 'exec') return plan;
  try {
    node.execve?.(node.execPath, plan.args, { ...node.env, ...plan.env });
  } catch (error) {
    // Serving with V8's own sizing beats not serving; the start log line says so.
    return { action: 'keep', reason: `process.execve failed: ${(error as Error).message}` };
  }
  return plan;
}

/** V8's heap limit of this process, MB (reported in the start log line). */
export function heapLimitMb(): number {
  return Math.round(v8.getHeapStatistics().heap_size_limit / (1024 * 1024));
}
