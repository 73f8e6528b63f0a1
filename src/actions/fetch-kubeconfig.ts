// Kubeconfig: K3s writes one pointing at https://127.0.0.1:6443 with everything named "default".
// fleet points it at the registration address (else the first server) and names cluster, user
// and context after the cluster, so several fleet clusters can live in one ~/.kube/config.
import { parse, stringify } from 'yaml';
import { CommandError } from '../errors.js';
import { serverUrl } from '../rules/host-config.js';
import type { Transport } from '../ssh/transport.js';
import { atomicWriteFile } from '../state/atomic-write.js';

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Array<Named<{ server?: string; [key: string]: unknown }>>;
  users?: Array<Named<Record<string, unknown>>>;
  contexts?: Array<Named<{ cluster?: string; user?: string; [key: string]: unknown }>>;
  'current-context'?: string;
  [key: string]: unknown;
}

/** Rewrite K3s's kubeconfig for use from this machine. Pure. */
export function rewriteKubeconfig(text: string, clusterName: string, apiAddress: string): string {
  const doc = parse(text, { logLevel: 'error' }) as KubeConfig;
  if (!doc || !Array.isArray(doc.clusters) || doc.clusters.length === 0) throw new Error('not a kubeconfig: no clusters');
  const cluster = doc.clusters[0]!;
  const user = doc.users?.[0];
  const rewritten: KubeConfig = {
    apiVersion: doc.apiVersion ?? 'v1',
    kind: doc.kind ?? 'Config',
    clusters: [{ ...cluster, name: clusterName, cluster: { ...cluster.cluster, server: serverUrl(apiAddress) } }],
    users: user ? [{ ...user, name: clusterName }] : [],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    'current-context': clusterName,
  };
  return stringify(rewritten);
}

export async function fetchKubeconfig(transport: Transport): Promise<string> {
  const result = await transport.exec('cat /etc/rancher/k3s/k3s.yaml', { sudo: true, timeoutMs: 20_000 });
  if (result.exitCode !== 0) throw new CommandError(transport.host, 'fetch kubeconfig', result.exitCode, result.stderr.trim());
  return result.stdout;
}

/** fleet's own copy (.fleet/<cluster>/kubeconfig): always 0600, written atomically. */
export function writeSecretFile(path: string, content: string): void {
  atomicWriteFile(path, content, { mode: 0o600, forceMode: true });
}
