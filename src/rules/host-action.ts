// "Is there anything to do on this host?", decided once, in the plan, from the host's facts and
// the fingerprint of the token the run will use: nothing, a fresh install, or a reconfiguration
// (restart with the planned config.yaml, version or token).
import type { HostFacts } from '../facts/types.js';
import type { ClusterSpec } from '../inventory/types.js';
import { DATASTORE_FLAGS, sameFlags, withoutFlags } from './drift.js';

import type { HostAction, PlannedHost } from '../ops/up/types.js';

/** The host runs the planned role, version, token and flags already: nothing to do. */
export function isConverged(planned: Pick<PlannedHost, 'role' | 'config' | 'registries'>, facts: HostFacts | undefined, cluster: ClusterSpec, tokenFingerprint: string | undefined): boolean {
  const k3s = facts?.k3s;
  if (!k3s || !k3s.installed || !k3s.running || k3s.role !== planned.role || !k3s.config) return false;
  if (cluster.k3s.version !== undefined && k3s.version !== cluster.k3s.version) return false;
  if (tokenFingerprint === undefined || k3s.tokenHash !== tokenFingerprint) return false;
  if (planned.registries && planned.registries.change !== 'none') return false;
  if (k3s.etcdData) return sameFlags(withoutFlags(k3s.config, DATASTORE_FLAGS), withoutFlags(planned.config, DATASTORE_FLAGS));
  return sameFlags(k3s.config, planned.config);
}

/** What `up` does on this host and why, in words a person reads in `fleet plan`. */
export function hostAction(
  planned: PlannedHost,
  facts: HostFacts | undefined,
  cluster: ClusterSpec,
  tokenFingerprint: string | undefined,
  convertToEtcd: boolean,
): { action: HostAction; reason: string } {
  if (convertToEtcd) return { action: 'convert-to-etcd', reason: 'runs K3s on SQLite: restarted with cluster-init so K3s converts its datastore to etcd' };
  if (isConverged(planned, facts, cluster, tokenFingerprint))
    return { action: 'none', reason: `nothing to do: runs ${facts?.k3s.version ?? 'K3s'} as ${planned.role} with the planned config.yaml and token` };
  const k3s = facts?.k3s;
  if (!k3s?.installed) return { action: 'install', reason: `K3s is not installed: install it as ${planned.role === 'server' ? 'a server' : 'an agent'}` };
  return { action: 'reconfigure-restart', reason: `reconfigure and restart: ${differences(planned, facts!, cluster, tokenFingerprint).join('; ')}` };
}

/** Why an installed host is not converged, one phrase per difference. */
function differences(planned: PlannedHost, facts: HostFacts, cluster: ClusterSpec, tokenFingerprint: string | undefined): string[] {
  const k3s = facts.k3s;
  const out: string[] = [];
  if (!k3s.running) out.push('K3s is not running');
  if (k3s.role !== planned.role) out.push(`installed as ${k3s.role ?? 'an unknown role'}`);
  if (cluster.k3s.version !== undefined && k3s.version !== cluster.k3s.version) out.push(`version ${k3s.version ?? 'unknown'} → ${cluster.k3s.version}`);
  if (!k3s.config) out.push('no readable config.yaml');
  else if (tokenFingerprint === undefined || k3s.tokenHash !== tokenFingerprint) out.push(k3s.tokenHash === undefined ? 'config.yaml holds no token' : 'config.yaml holds another token');
  if (planned.drift && planned.drift.length > 0) out.push(...planned.drift);
  return out.length > 0 ? out : ['config.yaml differs from the plan'];
}
