import { type Logger, pino } from 'pino';

/** Structured JSON logs (one object per line), as operators and log shippers expect. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kam-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

export type { Logger };
