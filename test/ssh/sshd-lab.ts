// A real OpenSSH server on 127.0.3.N for the integration tests: its own host key, a user key,
// authorized_keys and config in a temp dir. Started with -D -e so its log is ours to read.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostSpecForSsh } from '../../src/ssh/index.js';

export interface Sshd {
  address: string;
  port: number;
  dir: string;
  hostKeyPub: string;
  /** The `ssh-ed25519 AAAA...` part of the host public key. */
  hostKeyLine: string;
  log: () => string;
  stop: () => Promise<void>;
}

export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(address: string, port: number, child: ChildProcess, log: () => string, deadlineMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`sshd exited: ${log()}`));
      const socket = connect(port, address);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error(`sshd did not listen on ${address}:${port}: ${log()}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fleet-ssh-${prefix}-`));
}

/** An unencrypted (or passphrase-protected) ed25519 key pair; returns the private key path. */
export function generateKey(dir: string, name: string, passphrase = '', type = 'ed25519'): string {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', name, '-f', path]);
  return path;
}

/** Starts sshd with an ed25519 host key, plus one host key of each `extraHostKeyTypes` (e.g. rsa). */
export async function startSshd(address: string, authorizedKeys: string[], extraHostKeyTypes: string[] = []): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true });
  const dir = makeTempDir('sshd');
  // sshd reads authorized_keys as the logging-in user, who may not be root.
  chmodSync(dir, 0o755);
  const hostKey = generateKey(dir, 'host_ed25519');
  const extraHostKeys = extraHostKeyTypes.map((type) => generateKey(dir, `host_${type}`, '', type));
  writeFileSync(join(dir, 'authorized_keys'), authorizedKeys.map((file) => readFileSync(`${file}.pub`, 'utf8')).join(''), { mode: 0o644 });
  const port = await freePort(address);
  const config = [
    `ListenAddress ${address}:${port}`,
    `HostKey ${hostKey}`,
    ...extraHostKeys.map((file) => `HostKey ${file}`),
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin yes',
    'AllowTcpForwarding yes',
    'LogLevel VERBOSE',
  ].join('\n');
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, `${config}\n`);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let logText = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    logText += chunk.toString();
  });
  const log = (): string => logText;
  await waitForPort(address, port, child, log);
  const hostKeyPub = `${hostKey}.pub`;
  const hostKeyLine = readFileSync(hostKeyPub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return {
    address,
    port,
    dir,
    hostKeyPub,
    hostKeyLine,
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A HostSpec as the inventory would resolve it. */
export function hostSpec(name: string, sshd: { address: string; port: number }, ssh: Partial<HostSpecForSsh['ssh']> & { knownHostsFile: string }): HostSpecForSsh {
  return {
    name,
    address: sshd.address,
    role: 'server',
    init: false,
    ssh: { user: 'root', port: sshd.port, ...ssh },
    config: {},
    labels: {},
    index: 0,
  };
}

/** The args of every process on this machine (the sshd under test runs here too). */
export function allProcessArgs(): string[] {
  const args: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      args.push(readFileSync(`/proc/${pid}/cmdline`).toString('utf8').split('\0').join(' '));
    } catch {
      // The process ended while we looked.
    }
  }
  return args;
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
