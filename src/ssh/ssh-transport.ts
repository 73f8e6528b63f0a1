// The Transport over one established ssh2 connection. Every step on a host shares it.
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { CommandError, ConnectionError, InputError, InterruptedError } from '../errors.js';
import { ChannelSlots } from './channel-slots.js';
import { presentedHostKeyFingerprint } from './connect.js';
import { atomicWriteScript, isSudoPasswordRejected, isSudoPasswordRequired, planRemoteCommand, type SudoMode } from './remote-command.js';
import { announceSessionPid, StderrWithSessionPid } from './session-pid.js';
import { quoteShellWord } from './shell-quote.js';
import { sudoNeedsPassword, sudoPasswordRejected } from './sudo-errors.js';
import type { ExecOptions, ExecResult, Transport } from './transport.js';

export interface WriteOptions {
  /** File mode; default 0600 (fleet writes secrets; widen it explicitly when a file is public). */
  mode?: number;
  sudo?: boolean;
}

export interface SshTransportOptions {
  /** Login user on the host (root needs no sudo). */
  user: string;
  /** Default per-command timeout when exec is not given one. */
  commandTimeoutMs?: number;
  /** For hosts whose sudo wants a password (--ask-become-pass). Asked at most once per run. */
  becomePassword?: () => Promise<string>;
}

type StdinSource = Buffer | Readable | undefined;

interface ChannelInternals {
  outgoing: { id: number; state: string };
  _client: { _protocol: { signal(channelId: number, signal: string): void } };
}

/**
 * ssh2's channel.signal() does nothing once stdin was ended (it checks `writable`), and fleet
 * ends stdin right after sending the script, so the request is sent through the protocol directly.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals;
  const state = internals.outgoing?.state;
  if (state === 'open' || state === 'eof') internals._client._protocol.signal(internals.outgoing.id, name);
}

export class SshTransport implements Transport {
  private lost = false;
  /** Below OpenSSH's default MaxSessions of 10, keeping one free for killing a timed-out command. */
  private readonly slots = new ChannelSlots(8);
  private sudoModePromise?: Promise<SudoMode>;

  constructor(
    readonly host: string,
    private readonly client: Client,
    private readonly options: SshTransportOptions,
  ) {
    client.on('close', () => {
      this.lost = true;
    });
  }

  get hostKeyFingerprint(): string | undefined {
    return presentedHostKeyFingerprint(this.client);
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const stdin = typeof options.stdin === 'string' ? Buffer.from(options.stdin) : options.stdin;
    const step = command.split('\n')[0].slice(0, 80);
    return this.run(command, stdin, options, step);
  }

  async writeFile(remotePath: string, content: string | Buffer, options: WriteOptions = {}): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    await this.write(remotePath, data, options);
  }

  /** Stream a local file (e.g. a k3s binary) to the host, atomically, like writeFile. */
  async upload(localPath: string, remotePath: string, options: WriteOptions = {}): Promise<void> {
    try {
      await access(localPath, constants.R_OK);
    } catch (error) {
      throw new InputError(`cannot read ${localPath} to upload it to ${this.host}`, 'check the path and its permissions', { cause: error });
    }
    await this.write(remotePath, createReadStream(localPath), options);
  }

  /** Ends this host's connection for the rest of the run (the pool's close() ends them all). */
  async close(): Promise<void> {
    if (this.lost) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }

  private async write(remotePath: string, content: Buffer | Readable, options: WriteOptions): Promise<void> {
    const command = `sh -c ${quoteShellWord(atomicWriteScript(remotePath, options.mode ?? 0o600))}`;
    const step = `write ${remotePath}`;
    const result = await this.run(command, content, { sudo: options.sudo }, step);
    if (result.exitCode !== 0) {
      throw new CommandError(this.host, step, result.exitCode, result.stderr.trim().split('\n').slice(-5).join('\n'));
    }
  }

  private async run(command: string, stdin: StdinSource, options: ExecOptions, step: string): Promise<ExecResult> {
    const sudo = options.sudo ? await this.sudoMode(options.signal) : 'none';
    const plan = planRemoteCommand(command, { env: options.env, hasStdin: stdin !== undefined, sudo });
    const prefix: Buffer[] = [];
    if (sudo === 'password') prefix.push(Buffer.from(`${await this.options.becomePassword!()}\n`));
    if (plan.stdinPrefix) prefix.push(Buffer.from(plan.stdinPrefix));
    const result = await this.runChannel(plan.command, prefix, stdin, options.timeoutMs ?? this.options.commandTimeoutMs, options.signal, sudo, options.onStdout);
    if (options.sudo && result.exitCode !== 0) {
      if (sudo === 'nopasswd' && isSudoPasswordRequired(result.stderr)) throw sudoNeedsPassword(this.host, this.options.user, step, result.exitCode, result.stderr);
      if (sudo === 'password' && isSudoPasswordRejected(result.stderr)) throw sudoPasswordRejected(this.host, this.options.user, step, result.exitCode, result.stderr);
    }
    return result;
  }

  /** Decided once per connection: root needs nothing; a become password is used only where sudo asks for one. */
  private sudoMode(signal?: AbortSignal): Promise<SudoMode> {
    if (this.options.user === 'root') return Promise.resolve('none');
    if (!this.options.becomePassword) return Promise.resolve('nopasswd');
    this.sudoModePromise ??= this.runChannel('sudo -n true', [], undefined, 30_000, signal).then(
      (probe) => (probe.exitCode !== 0 && isSudoPasswordRequired(probe.stderr) ? 'password' : 'nopasswd'),
      (error: unknown) => {
        this.sudoModePromise = undefined; // an aborted probe decides nothing
        throw error;
      },
    );
    return this.sudoModePromise;
  }

  private connectionLost(duringCommand: boolean): ConnectionError {
    const message = duringCommand
      ? `${this.host}: the SSH connection was lost while a command ran; it may have run partly`
      : `${this.host}: the SSH connection to this host was lost earlier in this run`;
    return new ConnectionError(this.host, message, 'fleet does not re-run a command that started; check the host, then re-run fleet (its steps are idempotent)');
  }

  private async runChannel(
    command: string,
    prefix: Buffer[],
    stdin: StdinSource,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    sudo: SudoMode = 'none',
    onStdout?: (chunk: Buffer) => void,
  ): Promise<ExecResult> {
    const release = await this.slots.acquire();
    try {
      return await this.runInChannel(command, prefix, stdin, timeoutMs, signal, sudo, onStdout);
    } finally {
      release();
    }
  }

  private runInChannel(
    command: string,
    prefix: Buffer[],
    stdin: StdinSource,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    sudo: SudoMode,
    onStdout?: (chunk: Buffer) => void,
  ): Promise<ExecResult> {
    if (signal?.aborted) return Promise.reject(new InterruptedError(`${this.host}: aborted before the command started`));
    if (this.lost) return Promise.reject(this.connectionLost(false));
    const started = performance.now();
    const killable = timeoutMs !== undefined || signal !== undefined;
    // sshd's signal request cannot reach root processes: not in root logins, nor (sent as the
    // login user) in commands run through sudo. fleet kills those process groups itself.
    const killOurselves = killable && (this.options.user === 'root' || sudo !== 'none');
    const stderr = new StderrWithSessionPid(killOurselves);
    return new Promise<ExecResult>((resolve, reject) => {
      this.client.exec(killOurselves ? announceSessionPid(command) : command, (error, channel) => {
        if (error) {
          reject(
            this.lost
              ? this.connectionLost(false)
              : new ConnectionError(this.host, `${this.host}: could not start a command: ${error.message}`, 'check MaxSessions in sshd_config on the host', { cause: error }),
          );
          return;
        }
        const stdout: Buffer[] = [];
        let exitCode: number | null = null;
        let exited = false;
        let timedOut = false;
        let aborted = false;
        // eslint-disable-next-line prefer-const -- assigned below, once the channel is set up; kill() above calls it
        let finish: (() => void) | undefined;
        const kill = (): void => {
          // sshd kills the command's process group on a signal request, then drops the channel.
          sendSignal(channel, 'KILL');
          if (stderr.pid !== undefined) this.killProcessGroup(stderr.pid, sudo);
          channel.close();
          // A server that ignores the request (OpenSSH < 7.9, busybox dropbear) must not hang the run.
          setTimeout(() => finish?.(), 2000).unref();
        };
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                kill();
              }, timeoutMs);
        const onAbort = (): void => {
          aborted = true;
          kill();
        };
        signal?.addEventListener('abort', onAbort, { once: true });

        channel.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : stdout.push(chunk)));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (code: number | null) => {
          exited = true;
          exitCode = typeof code === 'number' ? code : null;
        });
        channel.on('error', () => {
          // Surfaced through 'close' without an exit status.
        });
        let finished = false;
        finish = () => {
          if (finished) return;
          finished = true;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const ended = this.channelOutcome({ aborted, exited, timedOut, exitCode }, stdout, stderr, started);
          if (ended instanceof Error) reject(ended);
          else resolve(ended);
        };
        channel.on('close', finish);
        this.feedStdin(channel, prefix, stdin);
      });
    });
  }

  /** How a channel's command ended: its result, or why it has none (aborted, connection lost). */
  private channelOutcome(
    state: { aborted: boolean; exited: boolean; timedOut: boolean; exitCode: number | null },
    stdout: Buffer[],
    stderr: StderrWithSessionPid,
    started: number,
  ): ExecResult | Error {
    if (state.aborted) return new InterruptedError(`${this.host}: command aborted`);
    if (!state.exited && !state.timedOut && this.lost) return this.connectionLost(true);
    return {
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: stderr.text(),
      exitCode: state.timedOut ? null : state.exitCode,
      timedOut: state.timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Fire-and-forget kill of a session's process group (as root: through sudo when the command used it), on its own channel. */
  private killProcessGroup(pid: number, sudo: SudoMode): void {
    if (this.lost) return;
    // `-s KILL --`: dash (sh under sudo) rejects `kill -KILL -- -PID`; bash accepts both.
    const kill = `kill -s KILL -- -${pid} 2>/dev/null; kill -s KILL ${pid} 2>/dev/null; true`;
    const asRoot = this.options.user === 'root' ? 'none' : sudo;
    const command = asRoot === 'none' ? kill : asRoot === 'nopasswd' ? `sudo -n -- sh -c ${quoteShellWord(kill)}` : `sudo -S -k -p '' -- sh -c ${quoteShellWord(kill)}`;
    const password = asRoot === 'password' ? this.options.becomePassword!() : Promise.resolve(undefined);
    void password.then(
      (line) => {
        if (this.lost) return;
        this.client.exec(command, (error, channel) => {
          if (error) return;
          channel.on('error', () => undefined);
          channel.resume();
          channel.stderr.resume();
          channel.end(line === undefined ? undefined : `${line}\n`);
        });
      },
      () => undefined,
    );
  }

  private feedStdin(channel: ClientChannel, prefix: Buffer[], stdin: StdinSource): void {
    for (const chunk of prefix) channel.write(chunk);
    if (stdin === undefined) {
      channel.end();
    } else if (Buffer.isBuffer(stdin)) {
      channel.end(stdin);
    } else {
      stdin.on('error', (error) => {
        channel.stderr.emit('data', Buffer.from(`fleet: reading local input failed: ${error.message}\n`));
        channel.close();
      });
      stdin.pipe(channel);
    }
  }
}
