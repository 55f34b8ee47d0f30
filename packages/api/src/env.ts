import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false (or 1/0, yes/no)' })
  .transform(v => v === 'true' || v === '1' || v === 'yes');

/**
 * A number variable, written in decimal digits (a fraction too with `fraction`). An empty value
 * (`KAM_PORT=${PORT}` with PORT unset) is refused by name, where `z.coerce.number` read it as 0
 * (a random port, no shutdown grace, V8's heap); so is any other spelling it read, such as
 * `0x10` (16), `1e3` (1000) or ` 4107` with blanks around it.
 */
const decimal = <T extends z.ZodType>(
  schema: T,
  { format, fraction = false }: { format: string; fraction?: boolean },
) =>
  z.preprocess((value, context) => {
    if (typeof value !== 'string') return value;
    if (value.trim() === '') {
      context.addIssue({
        code: 'custom',
        message: 'is empty; give a number or leave the variable unset for the default',
      });
      return z.NEVER;
    }
    if (!(fraction ? /^\d+(\.\d+)?$/ : /^\d+$/).test(value)) {
      context.addIssue({ code: 'custom', message: format });
      return z.NEVER;
    }
    return Number(value);
  }, schema);

/** A host name or IP address (IPv6 in brackets or not), as KAM_HOST and `--host` take it. */
export const HOST_PATTERN = /^[A-Za-z0-9.:[\]-]+$/;

/** A whole number from `min` to `max`, each bound said in words ("must be 1 to 100 rows"). */
const wholeBetween = (min: number, max: number, unit: string) => {
  const range = `must be ${min.toLocaleString('en')} to ${max.toLocaleString('en')} ${unit}`;
  return z.number().int(`${range}, a whole number`).min(min, range).max(max, range);
};

/**
 * The API's configuration, read from the environment once and validated: a bad value stops
 * the process at start with a message naming the variable and what it accepts.
 */
export const envSchema = z.object({
  /** `./data/kam.sqlite` (default), any SQLite path, or `postgres://user@host:5432/db`. */
  DATABASE_URL: z
    .string()
    .min(1, 'must be a SQLite file path or a postgres:// URL')
    .superRefine((url, context) => {
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
      if (scheme && !/^(postgres(ql)?|sqlite)$/i.test(scheme)) {
        context.addIssue({
          code: 'custom',
          message: `${scheme}:// is not a database kam runs on; give a SQLite file path (e.g. ./data/kam.sqlite) or a postgres://user@host:5432/db URL`,
        });
      }
    })
    .default('./data/kam.sqlite'),
  KAM_HOST: z
    .string()
    .regex(HOST_PATTERN, 'must be a host name or IP address, e.g. 127.0.0.1')
    .default('127.0.0.1'),
  KAM_PORT: decimal(
    z
      .number()
      .int()
      .min(0, 'must be a port number, 0 to 65535')
      .max(65535, 'must be a port number, 0 to 65535')
      .default(4000),
    { format: 'must be a port number written in digits, 0 to 65535' },
  ),
  /** `development` turns GraphiQL and introspection on by default; `production` turns them off. */
  KAM_ENV: z
    .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
    .default('development'),
  KAM_GRAPHIQL: bool.optional(),
  KAM_INTROSPECTION: bool.optional(),
  KAM_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  /** Rows per bulk mutation call. */
  KAM_MAX_BULK_ROWS: decimal(wholeBetween(1, 100_000, 'rows').default(10_000), {
    format: 'must be a whole number written in digits',
  }),
  /** Largest accepted request body, bytes. */
  KAM_MAX_BODY_BYTES: decimal(wholeBetween(1024, 100_000_000, 'bytes').default(8 * 1024 * 1024), {
    format: 'must be a whole number written in digits',
  }),
  /** PostgreSQL pool size. */
  KAM_DB_POOL: decimal(wholeBetween(1, 100, 'connections').default(10), {
    format: 'must be a whole number written in digits',
  }),
  /**
   * Old-space limit of `kam serve`, MB (src/cli/heap.ts): 256 by default, scaled up with the
   * bulk limits; 0 leaves V8's own sizing.
   */
  KAM_MAX_HEAP_MB: decimal(
    z
      .number()
      .int('must be a whole number of megabytes')
      .refine(mb => mb === 0 || (mb >= 128 && mb <= 65_536), 'must be 0 (V8 decides) or 128 to 65536 MB')
      .optional(),
    { format: 'must be a number of megabytes written in digits' },
  ),
  /** Seconds to let in-flight requests finish on shutdown. */
  KAM_SHUTDOWN_GRACE: decimal(
    z.number().min(0, 'must be 0 to 600 seconds').max(600, 'must be 0 to 600 seconds').default(20),
    {
      format: 'must be a number of seconds written in digits, e.g. 20 or 2.5',
      fraction: true,
    },
  ),
});

export type KamEnv = z.output<typeof envSchema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): KamEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return Object.freeze(result.data);
  const lines = result.error.issues.map(i => {
    const name = String(i.path[0]);
    // The value given, except where it may carry a password or a secret.
    const given = /URL|TOKEN|SECRET|PASSWORD/.test(name) ? '' : `; got ${JSON.stringify(source[name])}`;
    return `  ${name}: ${i.message}${given}`;
  });
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}

/** The settings the GraphQL server needs, derived from the environment. */
export interface ApiConfig {
  env: KamEnv['KAM_ENV'];
  graphiql: boolean;
  introspection: boolean;
  maxBulkRows: number;
  maxBodyBytes: number;
}

export function apiConfigFrom(env: KamEnv): ApiConfig {
  const dev = env.KAM_ENV !== 'production';
  return {
    env: env.KAM_ENV,
    graphiql: env.KAM_GRAPHIQL ?? dev,
    introspection: env.KAM_INTROSPECTION ?? dev,
    maxBulkRows: env.KAM_MAX_BULK_ROWS,
    maxBodyBytes: env.KAM_MAX_BODY_BYTES,
  };
}
