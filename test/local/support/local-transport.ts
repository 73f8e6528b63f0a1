// A Transport that runs commands on THIS machine with a real shell: the facts and disk-probe
// scripts are exercised for real, with this machine as the host. With runAs set, commands run as
// that (unprivileged) user and `sudo` goes through the real `sudo -n`, which refuses without a
// password: the sudo-refused path is real too.
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, Transport } from '../../../src/ssh/transport.js';

export interface LocalTransportOptions {
  /** Run as this user (through runuser; needs root). */
  runAs?: string;
  /** Extra environment for every command (e.g. a PATH without fio). */
  env?: Record<string, string>;
}

export class LocalTransport implements Transport {
  /** Every command run, for round-trip counting. */
  readonly calls: Array<{ command: string; options: ExecOptions }> = [];

  constructor(
    readonly host = 'local',
    private readonly settings: LocalTransportOptions = {},
  ) {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push({ command, options });
    const started = Date.now();
    const wrapped = options.sudo && this.settings.runAs ? ['sudo', '-n', 'sh', '-c', command] : ['sh', '-c', command];
    const argv = this.settings.runAs ? ['runuser', '-u', this.settings.runAs, '--', ...wrapped] : wrapped;
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, ...this.settings.env, ...options.env },
      cwd: '/',
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdin.on('error', () => {}); // the command may exit before reading all of stdin
    child.stdin.end(options.stdin ?? '');
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, exitCode: timedOut ? null : code, timedOut, durationMs: Date.now() - started });
      });
    });
  }

  async writeFile(): Promise<void> {
    throw new Error('LocalTransport.writeFile: facts are read-only');
  }

  async upload(): Promise<void> {
    throw new Error('LocalTransport.upload: facts are read-only');
  }

  async close(): Promise<void> {}
}

/** A Transport whose host cannot be reached: exec rejects like the ssh transport's connection errors. */
export class UnreachableTransport implements Transport {
  constructor(
    readonly host: string,
    private readonly message = 'connect ECONNREFUSED 192.0.2.1:22',
  ) {}
  async exec(): Promise<ExecResult> {
    throw new Error(this.message);
  }
  async writeFile(): Promise<void> {
    throw new Error(this.message);
  }
  async upload(): Promise<void> {
    throw new Error(this.message);
  }
  async close(): Promise<void> {}
}
