// Logs go to stderr (stdout is for results, so --json stays parseable). The token is redacted
// by key as well as by value, in case a future caller logs an object holding it.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './global-options.js';

export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'cluster.token', 'inventory.cluster.token'], censor: '<redacted>' },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
