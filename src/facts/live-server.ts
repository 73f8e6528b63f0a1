// The one way to find a live, healthy server: a host whose facts show a running K3s server with
// etcd data AND whose etcd says it is healthy right now, tried in inventory order, so a dead first
// server never blocks a join. Used by up, add-node, status and kubeconfig.
import type { FleetFacts } from './types.js';
import type { Transport } from '../ssh/transport.js';
import { readClusterView, type ClusterView } from './cluster-view.js';

export interface HealthyMember {
  name: string;
  view: ClusterView;
}

/** Hosts that could be a live server, in inventory order: reachable, running a server. */
export function serverCandidates(hosts: string[], facts: FleetFacts, options: { etcdOnly?: boolean } = {}): string[] {
  return hosts.filter((name) => {
    const k3s = facts.get(name)?.k3s;
    return facts.get(name)?.reachable === true && k3s?.role === 'server' && k3s.running && (options.etcdOnly === false || k3s.etcdData);
  });
}

/** The first candidate whose etcd is healthy and lists its members; undefined when none is. */
export async function findHealthyMember(
  candidates: string[],
  transportFor: (name: string) => Promise<Transport>,
  timeoutMs = 15_000,
  seen?: (view: ClusterView) => void,
): Promise<HealthyMember | undefined> {
  for (const name of candidates) {
    try {
      const view = await readClusterView(await transportFor(name), timeoutMs);
      if (view.etcdHealthy && view.members) return { name, view };
      seen?.(view);
    } catch {
      // Next candidate: any healthy member will do.
    }
  }
  return undefined;
}

/** A live, healthy etcd member of the cluster the facts describe. */
export function findLiveServer(
  hosts: string[],
  facts: FleetFacts,
  transportFor: (name: string) => Promise<Transport>,
  options: { timeoutMs?: number; seen?: (view: ClusterView) => void } = {},
): Promise<HealthyMember | undefined> {
  return findHealthyMember(serverCandidates(hosts, facts), transportFor, options.timeoutMs, options.seen);
}
