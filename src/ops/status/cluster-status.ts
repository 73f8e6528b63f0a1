// `fleet status` as data: per host what it runs and how it is, and etcd's own view of its members
// with the quorum arithmetic that says how close the cluster is to losing it. Pure: assembled
// from facts, one server's cluster view and the members' /health answers.
import type { FleetFacts } from '../../facts/types.js';
import { majority } from '../../rules/quorum.js';
import type { HostSpec } from '../../inventory/types.js';
import type { EtcdMember } from '../../facts/etcd-members.js';
import { matchMembers } from '../../rules/member-hosts.js';
import { findNode } from '../../facts/nodes.js';
import type { ClusterView } from '../../facts/cluster-view.js';
import { certificateChecks, type KubeconfigCertificate } from '../../rules/cert-expiry.js';
import { worstStatus, type HealthCheck } from '../../rules/health-check.js';

export interface HostStatus {
  name: string;
  address: string;
  reachable: boolean;
  error?: string;
  k3sVersion?: string;
  /** The service the host runs (k3s → server, k3s-agent → agent), when installed. */
  role?: 'server' | 'agent';
  running: boolean;
  /** undefined: the node list could not be read. */
  nodeReady?: boolean;
  inCluster: boolean;
  etcdMember?: { id: string; learner: boolean; healthy: boolean };
  healthy: boolean;
}

export interface MemberStatus {
  id: string;
  name: string;
  peerURL: string;
  learner: boolean;
  healthy: boolean;
  /** The inventory host at the member's address, if any. */
  host?: string;
}

export interface EtcdStatus {
  /** Where the member list came from; absent when no server could give one. */
  from?: string;
  members: MemberStatus[];
  voters: number;
  healthyVoters: number;
  quorum: number;
  /** How many more voters may fail before quorum is lost (0: the next failure loses it). */
  canLose: number;
  quorumLost: boolean;
  error?: string;
}

export interface ClusterStatus {
  cluster: string;
  /** SQLite: a single server without embedded etcd. */
  datastore: 'etcd' | 'sqlite' | 'unknown';
  hosts: HostStatus[];
  etcd?: EtcdStatus;
  /** Inventory hosts that are not (yet) in the cluster. */
  notInCluster: string[];
  /** etcd members no inventory host accounts for. */
  strangers: MemberStatus[];
  quorumHolds: boolean;
  allHealthy: boolean;
  /** Earliest certificate expiry per node, the CA's and the kubeconfigs' (src/rules/cert-expiry.ts). */
  certificates: HealthCheck[];
  /** The worst of those rows: fail makes status exit 1, like lost quorum. */
  certificatesStatus: 'ok' | 'warn' | 'fail';
}

export interface CertificateInput {
  nowMs: number;
  kubeconfigs: KubeconfigCertificate[];
  inventoryFile: string;
}

export interface StatusInput {
  cluster: string;
  hosts: HostSpec[];
  facts: FleetFacts;
  view?: ClusterView;
  /** IDs of members whose own /health said true. */
  healthyIds: ReadonlySet<string>;
  /** The clock and the local kubeconfigs the certificate rows need; without it there are none. */
  certificates?: CertificateInput;
}

export function etcdQuorum(members: Array<{ learner: boolean; healthy: boolean }>): Pick<EtcdStatus, 'voters' | 'healthyVoters' | 'quorum' | 'canLose' | 'quorumLost'> {
  const voters = members.filter((m) => !m.learner);
  const healthyVoters = voters.filter((m) => m.healthy).length;
  const quorum = majority(voters.length);
  return { voters: voters.length, healthyVoters, quorum, canLose: Math.max(0, healthyVoters - quorum), quorumLost: healthyVoters < quorum };
}

function memberStatus(member: EtcdMember, healthyIds: ReadonlySet<string>, host?: string): MemberStatus {
  const status: MemberStatus = { id: member.id, name: member.name, peerURL: member.peerURLs[0] ?? '', learner: member.isLearner, healthy: healthyIds.has(member.id) };
  if (host) status.host = host;
  return status;
}

export function assembleStatus(input: StatusInput): ClusterStatus {
  const { hosts, facts, view, healthyIds } = input;
  const members = view?.members ?? [];
  const match = matchMembers(members, hosts);
  const hostOf = new Map([...match.byHost].map(([host, member]) => [member.id, host]));
  const anyEtcd = hosts.some((h) => facts.get(h.name)?.k3s.etcdData);
  const anySqlite = hosts.some((h) => facts.get(h.name)?.k3s.sqliteData && facts.get(h.name)?.k3s.running);
  const datastore = anyEtcd || members.length > 0 ? 'etcd' : anySqlite ? 'sqlite' : 'unknown';

  const hostStatuses = hosts.map((host): HostStatus => {
    const hostFacts = facts.get(host.name);
    const k3s = hostFacts?.k3s;
    const node = view?.nodes ? findNode(view.nodes, host) : undefined;
    const member = match.byHost.get(host.name);
    const status: HostStatus = {
      name: host.name,
      address: host.address,
      reachable: hostFacts?.reachable === true,
      running: k3s?.running === true,
      inCluster: member !== undefined || node !== undefined || k3s?.etcdData === true || (k3s?.installed === true && k3s.running),
      healthy: false,
    };
    if (hostFacts?.error) status.error = hostFacts.error;
    if (k3s?.version) status.k3sVersion = k3s.version;
    if (k3s?.installed && k3s.role) status.role = k3s.role;
    if (view?.nodes) status.nodeReady = node?.ready === true;
    if (member) status.etcdMember = { id: member.id, learner: member.isLearner, healthy: healthyIds.has(member.id) };
    status.healthy = status.reachable && status.running && status.nodeReady !== false && (status.etcdMember === undefined || (status.etcdMember.healthy && !status.etcdMember.learner));
    return status;
  });

  let etcd: EtcdStatus | undefined;
  if (datastore === 'etcd') {
    const memberStatuses = members.map((m) => memberStatus(m, healthyIds, hostOf.get(m.id)));
    etcd = { members: memberStatuses, ...etcdQuorum(memberStatuses) };
    if (view?.members) etcd.from = view.from;
    else {
      // No server could list the members: without a leader etcd answers nothing, so quorum is lost.
      etcd.error = view?.membersError ?? 'no reachable server could list the etcd members';
      etcd.quorumLost = true;
    }
  }
  const quorumHolds = datastore === 'etcd' ? !etcd!.quorumLost : hostStatuses.some((h) => h.role === 'server' && h.running);
  const certificates = input.certificates
    ? certificateChecks({
        ...input.certificates,
        nodes: hosts.flatMap((h) => {
          const found = facts.get(h.name)?.k3s.certificates;
          return found ? [{ host: h.name, source: found.source, certificates: found.certificates }] : [];
        }),
      })
    : [];
  return {
    cluster: input.cluster,
    datastore,
    hosts: hostStatuses,
    ...(etcd ? { etcd } : {}),
    notInCluster: hostStatuses.filter((h) => !h.inCluster).map((h) => h.name),
    strangers: members.filter((m) => !hostOf.has(m.id)).map((m) => memberStatus(m, healthyIds)),
    quorumHolds,
    allHealthy: quorumHolds && hostStatuses.every((h) => h.healthy),
    certificates,
    certificatesStatus: worstStatus(certificates),
  };
}
