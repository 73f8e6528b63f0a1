// The run log: pino JSON lines at .fleet/<cluster>/logs/<run>.jsonl. Secrets are redacted by
// key, and the token is also scrubbed by value in case it ever reaches a message.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

export function runLogFile(logsDir: string, startedAt: Date): string {
  return join(logsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.jsonl`);
}

export function createRunLogger(file: string, level: string, secrets: () => string[]): Logger {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: file, sync: true, mode: 0o600 });
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'env.K3S_TOKEN'], censor: '<redacted>' },
      hooks: {
        streamWrite(line) {
          let out = line;
          for (const secret of secrets()) if (secret.length >= 6) out = out.split(secret).join('<redacted>');
          return out;
        },
      },
    },
    destination,
  );
}
