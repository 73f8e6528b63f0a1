// DIR/inventory.yaml: a fleet inventory for the lab's hosts that installs the k3s stand-in.
import type { HostEntry } from './host-spec.js';
import { standinBinary, standinInstallScript } from './paths.js';

export const LAB_K3S_VERSION = 'v1.31.4+k3s1';
const SERVER_COUNT = 3;

export function renderInventory(hosts: HostEntry[]): string {
  const first = hosts[0];
  if (!first) throw new Error('lab: an inventory needs at least one host');
  const lines = [
    '# Written by `npm run lab -- up`: the lab hosts, the first three as servers.',
    'cluster:',
    '  name: lab',
    '  k3s:',
    `    version: ${LAB_K3S_VERSION}`,
    '  install:',
    `    script: ${standinInstallScript()}`,
    `    binary: ${standinBinary()}`,
    // Every lab host's disk is this machine's one disk, shared with every etcd of the lab: under
    // test load its fdatasync p99 passes the 10 ms default now and then. --slow-disk hosts use 30 ms
    // or more, so 25 still tells them apart.
    '  disk: { maxFsyncP99Ms: 25, onSlow: refuse }',
    'defaults:',
    '  ssh:',
    `    user: ${first.user}`,
    `    port: ${first.port}`,
    `    identityFile: ${first.identityFile}`,
    `    knownHostsFile: ${first.knownHostsFile}`,
    'hosts:',
  ];
  hosts.forEach((host, index) => {
    lines.push(
      `  - name: ${host.name}`,
      `    address: ${host.address}`,
      `    role: ${index < SERVER_COUNT ? 'server' : 'agent'}`,
      `    kind: ${host.pi ? 'pi' : 'x86'}`,
      `    disk: ${host.slowDiskMs > 0 ? 'sd' : 'ssd'}`,
    );
  });
  return `${lines.join('\n')}\n`;
}
