// Applies defaults and makes paths absolute: validated raw inventory → resolved Inventory.
import { createHash } from 'node:crypto';
import type { Arch, ClusterSpec, HostSpec, Inventory, RegistriesFile, SshSettings } from './types.js';
import { mergeRegistries, redactRegistries, renderRegistriesYaml, type Registries } from '../rules/registries.js';
import { resolveLocalPath } from './local-path.js';
import type { RawHost, RawInventory } from './inventory-schema.js';

export const DEFAULTS = Object.freeze({
  sshPort: 22,
  knownHostsFile: '~/.ssh/known_hosts',
  k3sChannel: 'stable',
  maxFsyncP99Ms: 10,
  onSlow: 'refuse' as const,
  concurrency: 10,
  agentsWaitFor: 'first-server' as const,
});

export interface ResolveContext {
  file: string;
  dir: string;
  home: string;
  /** Login user when neither the host nor defaults.ssh names one (the local user, like ssh). */
  localUser: string;
  token?: { value: string; source: 'inline' | 'env' | 'file' };
}

export function resolveInventory(raw: RawInventory, context: ResolveContext): Inventory {
  const path = (given: string) => resolveLocalPath(given, context.dir, context.home);
  return {
    file: context.file,
    dir: context.dir,
    cluster: resolveCluster(raw, context, path),
    hosts: raw.hosts.map((host, index) => resolveHost(host, index, raw, context, path)),
  };
}

function resolveCluster(raw: RawInventory, context: ResolveContext, path: (given: string) => string): ClusterSpec {
  const cluster = raw.cluster;
  const k3s = cluster.k3s?.version !== undefined ? { version: cluster.k3s.version } : { channel: cluster.k3s?.channel ?? DEFAULTS.k3sChannel };
  const spec: ClusterSpec = {
    name: cluster.name,
    k3s,
    tlsSan: [...(cluster.tlsSan ?? [])],
    allowEvenServers: cluster.allowEvenServers ?? false,
    config: { ...(cluster.config as ClusterSpec['config'] | undefined) },
    agentConfig: { ...(cluster.agentConfig as ClusterSpec['agentConfig'] | undefined) },
    disk: { maxFsyncP99Ms: cluster.disk?.maxFsyncP99Ms ?? DEFAULTS.maxFsyncP99Ms, onSlow: cluster.disk?.onSlow ?? DEFAULTS.onSlow },
    concurrency: cluster.concurrency ?? DEFAULTS.concurrency,
    agentsWaitFor: cluster.agentsWaitFor ?? DEFAULTS.agentsWaitFor,
  };
  if (context.token) {
    spec.token = context.token.value;
    spec.tokenSource = context.token.source;
    if (cluster.tokenFile !== undefined) spec.tokenFile = path(cluster.tokenFile);
  }
  if (cluster.registrationAddress !== undefined) spec.registrationAddress = cluster.registrationAddress;
  if (cluster.vip !== undefined) {
    spec.vip = { address: cluster.vip.address, interface: cluster.vip.interface, ...(cluster.vip.image !== undefined ? { image: cluster.vip.image } : {}) };
    // The VIP is where agents register and what every server's certificate names.
    spec.registrationAddress ??= cluster.vip.address;
  }
  if (cluster.servers !== undefined) spec.servers = cluster.servers;
  if (cluster.install) {
    const install: NonNullable<ClusterSpec['install']> = {};
    if (cluster.install.script !== undefined) install.script = path(cluster.install.script);
    const binary = cluster.install.binary;
    if (typeof binary === 'string') install.binary = { amd64: path(binary), arm64: path(binary), arm: path(binary) };
    else if (binary) {
      install.binary = Object.fromEntries(
        Object.entries(binary)
          .filter((entry): entry is [Arch, string] => entry[1] !== undefined)
          .map(([arch, file]) => [arch, path(file)]),
      );
    }
    spec.install = install;
  }
  return spec;
}

function resolveHost(host: RawHost, index: number, raw: RawInventory, context: ResolveContext, path: (given: string) => string): HostSpec {
  const ssh = { ...raw.defaults?.ssh, ...host.ssh };
  const settings: SshSettings = {
    user: ssh.user ?? context.localUser,
    port: ssh.port ?? DEFAULTS.sshPort,
    knownHostsFile: path(ssh.knownHostsFile ?? DEFAULTS.knownHostsFile),
    explicit: new Set((['user', 'port', 'identityFile', 'knownHostsFile', 'proxyJump'] as const).filter((key) => ssh[key] !== undefined)),
  };
  if (ssh.identityFile !== undefined) settings.identityFile = path(ssh.identityFile);
  if (ssh.proxyJump !== undefined) settings.proxyJump = ssh.proxyJump;
  const spec: HostSpec = {
    name: host.name,
    address: host.address,
    role: host.role ?? 'auto',
    init: host.init ?? false,
    ssh: settings,
    config: { ...(host.config as HostSpec['config'] | undefined) },
    labels: Object.fromEntries(Object.entries(host.labels ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)])),
    index,
  };
  if (host.kind !== undefined) spec.kind = host.kind;
  const registries = mergeRegistries(raw.cluster.registries, host.registries);
  if (registries !== undefined) spec.registries = registriesFile(registries);
  const disk = host.disk ?? (host.kind === 'pi' ? 'sd' : host.kind === 'x86' ? 'ssd' : undefined);
  if (disk !== undefined) spec.disk = disk;
  return spec;
}

function registriesFile(registries: Registries): RegistriesFile {
  const content = renderRegistriesYaml(registries);
  return { content, redacted: renderRegistriesYaml(redactRegistries(registries)), fingerprint: `sha256:${createHash('sha256').update(content).digest('hex')}` };
}
