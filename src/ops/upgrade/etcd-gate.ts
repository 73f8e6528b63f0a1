// The quorum rule of an upgrade, checked by the planner once and again before each server: etcd
// healthy, every member a started voter (no learner), every member answering, and quorum kept
// with the server about to restart down. Pure: the caller reads the members and their health.
import { SafetyError } from '../../errors.js';
import type { EtcdMember } from '../../facts/etcd-members.js';
import { voterQuorum } from '../../rules/quorum.js';

export interface EtcdHealthView {
  etcdHealthy: boolean;
  members: EtcdMember[];
  /** IDs of the members whose own /health says true. */
  healthyIds: Set<string>;
}

export interface EtcdGate {
  voters: number;
  quorum: number;
  /** "3 voters, quorum 2: with one server restarting 2 remain" */
  arithmetic: string;
}

const WAY_OUT = "check fleet status and the servers' journals (journalctl -u k3s); re-run fleet upgrade once every etcd member is a healthy voter";

export function checkEtcdForUpgrade(view: EtcdHealthView, server?: string): EtcdGate {
  const before = server ? ` before restarting ${server}` : '';
  if (!view.etcdHealthy) throw new SafetyError(`etcd is not healthy${before} (no leader: quorum may already be lost); nothing was changed`, WAY_OUT, server);
  const learners = view.members.filter((m) => m.isLearner);
  if (learners.length > 0) {
    throw new SafetyError(
      `etcd member ${learners.map((m) => m.name || m.id).join(', ')} is a learner (a server still joining, not a voter)${before}; nothing was changed`,
      'wait until it is promoted (fleet status shows it as a voter), then re-run fleet upgrade',
      server,
    );
  }
  const unstarted = view.members.filter((m) => m.name === '');
  if (unstarted.length > 0)
    throw new SafetyError(
      `etcd has ${unstarted.length} member(s) added but never started${before}; nothing was changed`,
      'finish or undo that join (fleet add-node, or remove the member), then re-run fleet upgrade',
      server,
    );
  const unhealthy = view.members.filter((m) => !view.healthyIds.has(m.id));
  if (unhealthy.length > 0) throw new SafetyError(`etcd member ${unhealthy.map((m) => m.name).join(', ')} is not healthy${before}; nothing was changed`, WAY_OUT, server);
  const { voters, quorum } = voterQuorum(view.members);
  if (voters > 1 && voters - 1 < quorum) {
    throw new SafetyError(
      `${voters} etcd voters need a quorum of ${quorum}: with one server restarting only ${voters - 1} would remain, and etcd would stop accepting writes${before}; nothing was changed`,
      'add a server first so that the cluster tolerates one down (3 servers tolerate 1), or upgrade with the cluster stopped',
      server,
    );
  }
  const arithmetic = voters === 1 ? '1 voter: the only server restarts, the API is down meanwhile' : `${voters} voters, quorum ${quorum}: with one server restarting ${voters - 1} remain`;
  return { voters, quorum, arithmetic };
}
