// Precedence, per setting: a value written in the inventory wins; otherwise ~/.ssh/config
// (first matching Host block wins, as in OpenSSH); otherwise the inventory's default.
// ~/.ssh/config is matched against the inventory address, the name you would type after `ssh`,
// so a host you reach with `ssh pi-1` works with `address: pi-1` unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { SshSettings } from '../inventory/types.js';
import { expandSshTokens, parseSshConfig, sshConfigForHost, type SshConfigBlock } from './ssh-config.js';
import type { HostSpecForSsh, SettingSource, SshTarget } from './target.js';

/** OpenSSH's default identities, tried when neither the inventory nor ~/.ssh/config names one. */
const defaultIdentityNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const maxJumpDepth = 8;

function readUserSshConfig(): string {
  const path = join(homedir(), '.ssh', 'config');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`; IPv6 as `[addr]:port`. */
export function parseJumpSpec(spec: string): JumpSpec {
  const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim());
  if (!match) throw new InputError(`cannot read ProxyJump ${JSON.stringify(spec)}`, 'write it as user@host:port (user and port optional)');
  const host = match[2].replace(/^\[|\]$/g, '');
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port <= 0 || port > 65535)) throw new InputError(`ProxyJump ${JSON.stringify(spec)} has an invalid port`);
  return { user: match[1], host, port };
}

/**
 * Resolve a ProxyJump chain (`a,b` = through a, then b). A hop with no IdentityFile in
 * ~/.ssh/config is offered the target's keys: a fleet bastion usually takes the same key.
 */
function resolveJumpChain(chain: string, blocks: readonly SshConfigBlock[], knownHostsFile: string, fallbackIdentityFiles: string[], depth: number): SshTarget | undefined {
  if (chain.trim().toLowerCase() === 'none') return undefined;
  if (depth > maxJumpDepth) throw new InputError(`ProxyJump chain is longer than ${maxJumpDepth} hops (a loop in ~/.ssh/config?)`);
  const hops = chain
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  let previous: SshTarget | undefined;
  hops.forEach((hop, index) => {
    const spec = parseJumpSpec(hop);
    const config = sshConfigForHost(blocks, spec.host);
    const port = spec.port ?? config.port ?? 22;
    const user = spec.user ?? config.user ?? process.env.USER ?? 'root';
    const tokens = { host: config.hostName ?? spec.host, user, port, originalHost: spec.host };
    // Only the first hop of a chain may itself be reached through its own configured ProxyJump.
    const ownJump = index === 0 && config.proxyJump ? resolveJumpChain(config.proxyJump, blocks, knownHostsFile, fallbackIdentityFiles, depth + 1) : undefined;
    previous = {
      label: hop,
      address: config.hostName ? expandSshTokens(config.hostName, tokens) : spec.host,
      port,
      user,
      identityFiles: config.identityFiles.length > 0 ? config.identityFiles.map((file) => expandSshTokens(file, tokens)) : fallbackIdentityFiles,
      knownHostsFile: config.userKnownHostsFile ? expandSshTokens(config.userKnownHostsFile, tokens) : knownHostsFile,
      jump: previous ?? ownJump,
      sources: {
        address: config.hostName ? 'ssh-config' : 'inventory',
        user: spec.user ? 'inventory' : config.user ? 'ssh-config' : 'default',
        port: spec.port ? 'inventory' : config.port ? 'ssh-config' : 'default',
        identityFiles: config.identityFiles.length > 0 ? 'ssh-config' : 'inventory',
        jump: previous ? 'inventory' : ownJump ? 'ssh-config' : 'default',
      },
    };
  });
  return previous;
}

/**
 * Resolve how to reach `host`. `sshConfigText` is the ~/.ssh/config content; when omitted the
 * current user's ~/.ssh/config is read (if it exists). Pass '' to ignore ~/.ssh/config.
 */
export function resolveSshTarget(host: HostSpecForSsh, sshConfigText?: string): SshTarget {
  const blocks = parseSshConfig(sshConfigText ?? readUserSshConfig());
  const config = sshConfigForHost(blocks, host.address);
  const ssh = host.ssh;
  const isExplicit = (key: keyof SshSettings): boolean => (ssh.explicit ? ssh.explicit.has(key) : ssh[key] !== undefined);
  const pick = <T>(key: 'user' | 'port' | 'knownHostsFile', inventoryValue: T, configValue: T | undefined): [T, SettingSource] => {
    if (isExplicit(key)) return [inventoryValue, 'inventory'];
    if (configValue !== undefined) return [configValue, 'ssh-config'];
    return [inventoryValue, 'default'];
  };
  const [user, userSource] = pick('user', ssh.user, config.user);
  const [port, portSource] = pick('port', ssh.port, config.port);
  const tokens = { host: config.hostName ?? host.address, user, port, originalHost: host.address };
  const address = config.hostName ? expandSshTokens(config.hostName, tokens) : host.address;
  const configKnownHosts = config.userKnownHostsFile ? expandSshTokens(config.userKnownHostsFile, tokens) : undefined;
  const [knownHostsFile] = pick('knownHostsFile', ssh.knownHostsFile, configKnownHosts);

  let identityFiles: string[];
  let identitySource: SettingSource;
  if (ssh.identityFile !== undefined && isExplicit('identityFile')) {
    [identityFiles, identitySource] = [[ssh.identityFile], 'inventory'];
  } else if (config.identityFiles.length > 0) {
    [identityFiles, identitySource] = [config.identityFiles.map((file) => expandSshTokens(file, tokens)), 'ssh-config'];
  } else if (ssh.identityFile !== undefined) {
    [identityFiles, identitySource] = [[ssh.identityFile], 'default'];
  } else {
    identityFiles = defaultIdentityNames.map((name) => join(homedir(), '.ssh', name)).filter((path) => existsSync(path));
    identitySource = 'default';
  }

  let jump: SshTarget | undefined;
  let jumpSource: SettingSource = 'default';
  if (ssh.proxyJump !== undefined && isExplicit('proxyJump')) {
    jump = resolveJumpChain(ssh.proxyJump, blocks, knownHostsFile, identityFiles, 1);
    jumpSource = 'inventory';
  } else if (config.proxyJump !== undefined) {
    jump = resolveJumpChain(config.proxyJump, blocks, knownHostsFile, identityFiles, 1);
    jumpSource = 'ssh-config';
  } else if (ssh.proxyJump !== undefined) {
    jump = resolveJumpChain(ssh.proxyJump, blocks, knownHostsFile, identityFiles, 1);
  }

  return {
    label: host.name,
    address,
    port,
    user,
    identityFiles,
    knownHostsFile,
    jump,
    sources: { address: config.hostName ? 'ssh-config' : 'inventory', user: userSource, port: portSource, identityFiles: identitySource, jump: jumpSource },
  };
}
