// What the rotation reads of the live cluster before planning (read-only): a healthy etcd member
// and how many members answer healthy, and what every server holds of the token (fingerprints).
import { voterQuorum } from '../../rules/quorum.js';
import { findHealthyMember, serverCandidates } from '../../facts/live-server.js';
import { healthyMemberIds } from '../../facts/member-health.js';
import { readTokenState, type ServerTokenState } from '../../facts/token-state.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import type { Transport } from '../../ssh/transport.js';

export interface TokenRotateView {
  liveServer?: string;
  etcd?: { healthy: boolean; arithmetic: string };
  tokenStates: Map<string, ServerTokenState>;
}

export async function readTokenRotateView(inventory: Inventory, facts: FleetFacts, transportFor: (name: string) => Promise<Transport>): Promise<TokenRotateView> {
  const servers = inventory.hosts.map((h) => h.name).filter((name) => facts.get(name)?.reachable && facts.get(name)?.k3s.role === 'server');
  const states = await Promise.all(servers.map(async (name) => readTokenState(await transportFor(name)).catch((err: Error): ServerTokenState => ({ host: name, error: err.message }))));
  const view: TokenRotateView = { tokenStates: new Map(states.map((s) => [s.host, s])) };
  const etcdServers = serverCandidates(servers, facts);
  if (etcdServers.length === 0) {
    // A single server on SQLite: no etcd quorum to keep; K3s rotates on that server.
    const sqlite = servers.find((name) => facts.get(name)?.k3s.running && facts.get(name)?.k3s.sqliteData);
    if (sqlite) view.liveServer = sqlite;
    else view.etcd = { healthy: false, arithmetic: 'no running server with a datastore' };
    return view;
  }
  const member = await findHealthyMember(etcdServers, transportFor);
  if (!member?.view.members) {
    view.etcd = { healthy: false, arithmetic: `no healthy etcd member among ${etcdServers.join(', ')}` };
    return view;
  }
  const members = member.view.members;
  const healthy = await healthyMemberIds(await transportFor(member.name), members);
  const { voters, quorum } = voterQuorum(members);
  const healthyVoters = members.filter((m) => !m.isLearner && healthy.has(m.id)).length;
  // Lost quorum refuses; a server already down is one of those the rotation restarts anyway, and
  // each restart waits until its member is healthy again before the next.
  const keeps = healthyVoters >= quorum;
  view.etcd = { healthy: keeps, arithmetic: `${healthyVoters} of ${voters} voters healthy, quorum ${quorum}` };
  view.liveServer = member.name;
  return view;
}
