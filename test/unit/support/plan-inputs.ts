// Builders of resolved inventories and facts for planner tests (no YAML, no files).
import type { FleetFacts, HostFacts } from '../../../src/facts/types.js';
import type { ClusterSpec, HostSpec, Inventory } from '../../../src/inventory/types.js';

export function host(name: string, extra: Partial<HostSpec> = {}): HostSpec {
  return {
    name,
    address: `10.0.0.${Number(name.replace(/\D/g, '')) || 99}`,
    role: 'auto',
    init: false,
    ssh: { user: 'pi', port: 22, knownHostsFile: '/home/t/.ssh/known_hosts' },
    config: {},
    labels: {},
    index: 0,
    ...extra,
  };
}

export function inventory(hosts: HostSpec[], cluster: Partial<ClusterSpec> = {}): Inventory {
  return {
    file: '/fleet/inventory.yaml',
    dir: '/fleet',
    cluster: {
      name: 'lab',
      k3s: { channel: 'stable' },
      tlsSan: [],
      allowEvenServers: false,
      config: {},
      agentConfig: {},
      disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
      concurrency: 10,
      agentsWaitFor: 'first-server',
      ...cluster,
    },
    hosts: hosts.map((spec, index) => ({ ...spec, index })),
  };
}

export function servers(count: number, extra: Partial<HostSpec> = {}): HostSpec[] {
  return Array.from({ length: count }, (_, i) => host(`s-${i + 1}`, { role: 'server', ...extra }));
}

export function hostFacts(name: string, extra: { p99Ms?: number; etcdData?: boolean; runningServer?: boolean } = {}): HostFacts {
  const facts: HostFacts = {
    host: name,
    reachable: true,
    sudo: true,
    machine: 'aarch64',
    arch: 'arm64',
    os: { id: 'debian' },
    memoryCgroup: true,
    memTotalBytes: 8e9,
    k3s: {
      installed: extra.etcdData === true || extra.runningServer === true,
      running: extra.runningServer === true,
      etcdData: extra.etcdData === true,
      sqliteData: false,
      ...(extra.runningServer ? { role: 'server' as const } : {}),
    },
  };
  if (extra.p99Ms !== undefined) facts.disk = { p99Ms: extra.p99Ms, p50Ms: extra.p99Ms / 2, samples: 300, tool: 'fio', directory: '/var/lib/rancher' };
  return facts;
}

export function fleetFacts(...facts: HostFacts[]): FleetFacts {
  return new Map(facts.map((entry) => [entry.host, entry]));
}
