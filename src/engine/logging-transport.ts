// Every command fleet runs on a host goes into the run log: host, command (its first line only:
// scripts travel on stdin, and neither stdin nor env values are ever logged), exit code, duration.
import type { Logger } from 'pino';
import type { ExecOptions, ExecResult, Transport } from '../ssh/transport.js';

export function loggingTransport(inner: Transport, log: Logger): Transport {
  return {
    host: inner.host,
    hostKeyFingerprint: inner.hostKeyFingerprint,
    async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
      const shown = command.split('\n')[0]!.slice(0, 200);
      const script = typeof options.stdin === 'string' ? /^#\s*(.+)$/m.exec(options.stdin.split('\n').slice(0, 3).join('\n'))?.[1] : undefined;
      try {
        const result = await inner.exec(command, options);
        log.info(
          {
            host: inner.host,
            command: shown,
            script,
            sudo: options.sudo === true,
            env: options.env ? Object.keys(options.env) : undefined,
            exitCode: result.exitCode,
            timedOut: result.timedOut,
            durationMs: Math.round(result.durationMs),
          },
          'command',
        );
        return result;
      } catch (err) {
        log.warn({ host: inner.host, command: shown, script, error: (err as Error).message }, 'command failed to run');
        throw err;
      }
    },
    async writeFile(remotePath, content, options) {
      const started = performance.now();
      await inner.writeFile(remotePath, content, options);
      log.info({ host: inner.host, write: remotePath, bytes: content.length, mode: options?.mode?.toString(8), durationMs: Math.round(performance.now() - started) }, 'file written');
    },
    async upload(localPath, remotePath, options) {
      const started = performance.now();
      await inner.upload(localPath, remotePath, options);
      log.info({ host: inner.host, upload: localPath, to: remotePath, durationMs: Math.round(performance.now() - started) }, 'file uploaded');
    },
    close: () => inner.close(),
  };
}
