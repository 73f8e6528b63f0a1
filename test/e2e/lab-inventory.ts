// Inventories for e2e tests of existing clusters: chosen hosts and roles of one lab, block style
// with comments (so write-back can be checked to keep them), cluster name "lab".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { LAB_K3S_VERSION } from '../lab/inventory-file.js';
import { standinBinary, standinInstallScript } from '../lab/paths.js';
import { versionBinary } from '../lab/versions.js';

export interface InventoryExtras {
  /** Lines under `cluster:` (indented by the caller), e.g. '  token: x'. */
  cluster?: string[];
  /** Per host, lines under the host (indented by the caller). */
  host?: Record<string, string[]>;
  /** Install this version's stand-in (DIR/k3s-versions.json) instead of the unversioned one. */
  k3sVersion?: string;
}

export function labInventory(lab: Lab, roles: Record<string, string>, extras: InventoryExtras = {}): string {
  const first = lab.hosts[0]!;
  const lines = [
    '# The lab cluster: servers first, then agents.',
    'cluster:',
    '  name: lab',
    `  k3s: { version: ${extras.k3sVersion ?? LAB_K3S_VERSION} }`,
    `  install: { script: ${standinInstallScript()}, binary: ${extras.k3sVersion ? versionBinary(lab.dir, extras.k3sVersion) : standinBinary()} }`,
    // These tests are about clusters, not disks: a busy CI machine must not trip the disk gate.
    '  disk: { maxFsyncP99Ms: 200 }',
    ...(extras.cluster ?? []),
    'defaults:',
    `  ssh: { user: ${first.user}, port: ${first.port}, identityFile: ${first.identityFile}, knownHostsFile: ${first.knownHostsFile} }`,
    'hosts:',
  ];
  for (const [name, role] of Object.entries(roles)) {
    const host = lab.hosts.find((h) => h.name === name)!;
    lines.push(`  # ${name}: ${role}`, `  - name: ${name}`, `    address: ${host.address}`, `    role: ${role}`, `    kind: ${host.pi ? 'pi' : 'x86'}`, ...(extras.host?.[name] ?? []));
  }
  return `${lines.join('\n')}\n`;
}

export function writeLabInventory(lab: Lab, file: string, roles: Record<string, string>, extras: InventoryExtras = {}): string {
  const path = join(lab.dir, file);
  writeFileSync(path, labInventory(lab, roles, extras));
  return path;
}

/** Nothing of K3s on these hosts: no binary, no config. */
export async function untouched(lab: Lab, names: string[]): Promise<string[]> {
  const touched: string[] = [];
  for (const name of names) {
    const probe = await lab.sshExec(name, 'test -e /usr/local/bin/k3s || test -e /etc/rancher/k3s/config.yaml');
    if (probe.code === 0) touched.push(name);
  }
  return touched;
}
