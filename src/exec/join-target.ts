// The member new servers join: one whose facts show a running K3s server with etcd data AND whose
// etcd says it is healthy right now. Tried in turn, so a dead first server never blocks a join.
import { readClusterView, type ClusterView } from '../cluster/read-state.js';
import type { FleetFacts } from '../facts/types.js';
import type { Transport } from '../ssh/transport.js';

export interface HealthyMember {
  name: string;
  view: ClusterView;
}

/** Hosts that could be a join target, in inventory order. */
export function joinTargetCandidates(hosts: string[], facts: FleetFacts): string[] {
  return hosts.filter((name) => {
    const k3s = facts.get(name)?.k3s;
    return facts.get(name)?.reachable === true && k3s?.role === 'server' && k3s.running && k3s.etcdData;
  });
}

export async function findHealthyMember(candidates: string[], transportFor: (name: string) => Promise<Transport>): Promise<HealthyMember | undefined> {
  for (const name of candidates) {
    try {
      const view = await readClusterView(await transportFor(name), 15_000);
      if (view.etcdHealthy && view.members) return { name, view };
    } catch {
      // Next candidate: any healthy member will do.
    }
  }
  return undefined;
}
