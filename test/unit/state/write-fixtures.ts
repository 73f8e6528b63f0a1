// Contents for the kill tests, big enough that a write takes a while (so kills land inside one).
import { stringify } from 'yaml';
import { appendHost } from '../../../src/inventory/write-back.js';

export const killTestToken = (i: number): string => `K10${'ab'.repeat(32)}::server:${String(i).padStart(8, '0')}${'f'.repeat(64)}`;

/** fleet's kubeconfig for the lab cluster, in one of two versions (another server address). */
export function labKubeconfig(version: number): string {
  const name = 'lab';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: `https://10.0.0.${version + 1}:6443`, 'certificate-authority-data': 'Q'.repeat(150_000) } }],
    users: [{ name, user: { token: `t${version}`.repeat(5_000) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

/** A user's ~/.kube/config with many other clusters. */
export function userKubeconfig(): string {
  const names = Array.from({ length: 10 }, (_, i) => `other-${i}`);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map((name) => ({ name, cluster: { server: `https://${name}.example:6443`, 'certificate-authority-data': 'C'.repeat(60_000) } })),
    users: names.map((name) => ({ name, user: { token: `${name}-token` } })),
    contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
    'current-context': 'other-0',
  });
}

export function inventoryTexts(): { base: string; appended: string } {
  const hosts = Array.from({ length: 400 }, (_, i) => `  - { name: h${i}, address: 10.0.${Math.floor(i / 250)}.${(i % 250) + 1}, role: ${i < 3 ? 'server' : 'agent'} }  # rack ${i % 7}`);
  const base = `# the home lab\ncluster:\n  name: lab\n\nhosts:\n${hosts.join('\n')}\n`;
  return { base, appended: appendHost(base, { name: 'new-1', address: '10.0.9.9', role: 'agent' }) };
}
