// One SSH connection per host per run: opened lazily on first use, shared by every step,
// closed together at the end. Bastions are shared too (one connection per bastion).
import type { Client } from 'ssh2';
import { InputError } from '../errors.js';
import { connectTarget, type ConnectSettings } from './connect.js';
import type { PassphrasePrompt } from './ssh-identity-file.js';
import { resolveSshTarget } from './resolve-target.js';
import { SshTransport } from './ssh-transport.js';
import type { HostSpecForSsh, SshTarget } from './target.js';

export interface ConnectionPoolOptions {
  /** Record unknown host keys in known_hosts instead of refusing (never accepts a changed key). */
  acceptNewHostKeys?: boolean;
  /** TCP connect + handshake + auth limit per attempt. Default 20 s. */
  connectTimeoutMs?: number;
  /** Default per-command timeout; a command's own timeoutMs wins. Default: none. */
  commandTimeoutMs?: number;
  /** SSH keepalive period. Default 15 s (3 missed keepalives drop the connection). */
  keepaliveIntervalMs?: number;
  /** Extra attempts on connection errors (refused, timed out, unreachable). Default 2. */
  connectRetries?: number;
  /** First backoff delay, doubled per attempt. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Asks for the passphrase of an encrypted key when FLEET_SSH_PASSPHRASE is not set. */
  passphrasePrompt?: PassphrasePrompt;
  /** sudo password (--ask-become-pass): a value or a prompt, asked once per run and only if a host needs it. */
  becomePassword?: string | (() => Promise<string>);
  /** ~/.ssh/config content; default: read the current user's. '' ignores it. */
  sshConfigText?: string;
  /** ssh-agent socket; default $SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null;
}

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new TypeError(`${name} must be a non-negative number, got ${value}`);
}

function jumpKey(target: SshTarget): string {
  return `${target.user}@${target.address}:${target.port}${target.jump ? ` via ${jumpKey(target.jump)}` : ''}`;
}

export class ConnectionPool {
  private readonly targets = new Map<string, SshTarget>();
  private readonly transports = new Map<string, Promise<SshTransport>>();
  private readonly jumps = new Map<string, Promise<Client>>();
  private readonly openClients: Client[] = [];
  private readonly opened = new Map<string, number>();
  private readonly settings: ConnectSettings;
  private readonly becomePassword?: () => Promise<string>;
  private closed = false;

  constructor(
    hosts: readonly HostSpecForSsh[],
    private readonly options: ConnectionPoolOptions = {},
  ) {
    checkNonNegative('connectTimeoutMs', options.connectTimeoutMs);
    checkNonNegative('commandTimeoutMs', options.commandTimeoutMs);
    checkNonNegative('keepaliveIntervalMs', options.keepaliveIntervalMs);
    checkNonNegative('connectRetries', options.connectRetries);
    checkNonNegative('retryBaseDelayMs', options.retryBaseDelayMs);
    for (const host of hosts) {
      if (this.targets.has(host.name)) throw new TypeError(`host ${host.name} is listed twice`);
      this.targets.set(host.name, resolveSshTarget(host, options.sshConfigText));
    }
    const agentSocket = options.agentSocket === null ? undefined : (options.agentSocket ?? process.env.SSH_AUTH_SOCK) || undefined;
    this.settings = {
      acceptNewHostKeys: options.acceptNewHostKeys ?? false,
      connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      connectRetries: options.connectRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      passphrasePrompt: options.passphrasePrompt,
      agentSocket,
    };
    const become = options.becomePassword;
    if (become !== undefined) {
      let asked: Promise<string> | undefined;
      this.becomePassword = () => (asked ??= typeof become === 'string' ? Promise.resolve(become) : become());
    }
  }

  /** How each host will be reached (after ~/.ssh/config), e.g. for `fleet plan` output. */
  target(name: string): SshTarget {
    const target = this.targets.get(name);
    if (!target) throw new InputError(`no host named ${name} in the inventory`);
    return target;
  }

  /** The transport for `name`, connecting on first use; later calls share the connection. */
  get(name: string): Promise<SshTransport> {
    if (this.closed) return Promise.reject(new Error('the connection pool is closed'));
    let transport = this.transports.get(name);
    if (!transport) {
      const target = this.target(name);
      transport = this.open(target).then((client) => new SshTransport(name, client, { user: target.user, commandTimeoutMs: this.options.commandTimeoutMs, becomePassword: this.becomePassword }));
      // A failed host stays failed for this run: no surprise reconnects halfway through.
      transport.catch(() => undefined);
      this.transports.set(name, transport);
    }
    return transport;
  }

  /** SSH connections opened so far (targets and bastions). */
  get connectionsOpened(): number {
    let total = 0;
    for (const count of this.opened.values()) total += count;
    return total;
  }

  /** SSH connections opened to one inventory host (or bastion label). */
  connectionsOpenedTo(label: string): number {
    return this.opened.get(label) ?? 0;
  }

  /** Close every connection (bastions last). Safe to call more than once. */
  async close(): Promise<void> {
    this.closed = true;
    const clients = this.openClients.splice(0).reverse();
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2000);
            client.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            client.end();
          }),
      ),
    );
  }

  private async open(target: SshTarget): Promise<Client> {
    const client = await connectTarget(target, this.settings, (jump) => this.openJump(jump));
    this.opened.set(target.label, (this.opened.get(target.label) ?? 0) + 1);
    if (this.closed) {
      client.end();
    } else {
      this.openClients.push(client);
      // A connection that dropped by itself has nothing left to close.
      client.once('close', () => {
        const index = this.openClients.indexOf(client);
        if (index !== -1) this.openClients.splice(index, 1);
      });
    }
    return client;
  }

  private openJump(jump: SshTarget): Promise<Client> {
    const key = jumpKey(jump);
    let client = this.jumps.get(key);
    if (!client) {
      client = this.open(jump);
      client.catch(() => undefined);
      this.jumps.set(key, client);
    }
    return client;
  }
}
