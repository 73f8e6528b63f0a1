// `fleet status` for people: one row per host, then etcd's members and, in plain words, how many
// more server failures the cluster survives.
import type { ClusterStatus, HostStatus } from './cluster-status.js';
import { textTable as table } from '../../util/text-table.js';

function etcdCell(host: HostStatus): string {
  if (!host.etcdMember) return '-';
  if (host.etcdMember.learner) return 'learner';
  return host.etcdMember.healthy ? 'healthy' : 'UNHEALTHY';
}

/** "1 more server failure loses quorum" and friends. */
export function dangerLine(status: ClusterStatus): string {
  const etcd = status.etcd;
  if (!etcd)
    return status.quorumHolds
      ? 'Datastore: SQLite on a single server (no etcd, tolerates no failure)'
      : status.hosts.every((h) => !h.reachable)
        ? 'Nothing is known about the cluster: no host answered'
        : 'No server is running';
  if (etcd.quorumLost) return `quorum LOST: ${etcd.healthyVoters} of ${etcd.voters} voting members healthy, ${etcd.quorum} needed; the control plane cannot change anything`;
  if (etcd.canLose === 0) return `1 more server failure loses quorum (${etcd.healthyVoters} of ${etcd.voters} voting members healthy, quorum ${etcd.quorum})`;
  return `quorum holds: ${etcd.healthyVoters} of ${etcd.voters} voting members healthy, quorum ${etcd.quorum}; ${etcd.canLose + 1} more server failures lose quorum`;
}

/** `  pi-3: connection refused …`: the host named once, however the error was worded. */
function unreachableLine(host: HostStatus): string {
  const reason = (host.error ?? 'unreachable').split('\n')[0]!;
  return `  ${host.name}: ${reason.startsWith(`${host.name}: `) ? reason.slice(host.name.length + 2) : reason}`;
}

export function renderStatusHuman(status: ClusterStatus): string {
  const rows = [['HOST', 'ADDRESS', 'REACHABLE', 'ROLE', 'K3S', 'SERVICE', 'NODE', 'ETCD']];
  for (const h of status.hosts) {
    rows.push([
      h.name,
      h.address,
      h.reachable ? 'yes' : 'NO',
      h.role ?? '-',
      h.k3sVersion ?? '-',
      !h.reachable ? '?' : h.running ? 'running' : h.role ? 'STOPPED' : '-',
      h.nodeReady === undefined ? '?' : h.nodeReady ? 'Ready' : h.inCluster ? 'NotReady' : '-',
      etcdCell(h),
    ]);
  }
  const lines = [`Cluster ${status.cluster}`, '', table(rows)];
  if (status.etcd) {
    lines.push('', `etcd members${status.etcd.from ? ` (as ${status.etcd.from} sees them)` : ''}:`);
    if (status.etcd.error) lines.push(`  could not list them: ${status.etcd.error}`);
    for (const m of status.etcd.members) {
      lines.push(
        `  ${(m.name || '(unstarted)').padEnd(24)} ${m.peerURL.padEnd(28)} ${m.learner ? 'learner' : 'voter'}  ${m.healthy ? 'healthy' : 'UNHEALTHY'}${m.host ? '' : '  (not in the inventory)'}`,
      );
    }
  }
  const unreachable = status.hosts.filter((h) => !h.reachable);
  if (unreachable.length > 0) {
    const head =
      unreachable.length === status.hosts.length
        ? `Nothing answers: ${status.hosts.length === 1 ? 'the only host' : `none of the ${status.hosts.length} hosts`} could be reached over SSH.`
        : 'Not answering:';
    lines.push('', head, ...unreachable.map(unreachableLine));
  }
  // An unreachable host may well be in the cluster: only hosts that answered are called missing.
  const missing = status.notInCluster.filter((name) => status.hosts.some((h) => h.name === name && h.reachable));
  if (missing.length > 0) lines.push('', `In the inventory but not in the cluster: ${missing.join(', ')} (fleet add-node --host NAME)`);
  if (status.strangers.length > 0) lines.push('', `etcd members not in the inventory: ${status.strangers.map((m) => `${m.name || m.id} ${m.peerURL}`).join(', ')}`);
  if (status.certificates.length > 0) {
    lines.push('', 'Certificates:');
    const rows = status.certificates.map((c) => [
      `  ${c.host ?? (c.data?.file as string | undefined) ?? '-'}`,
      c.check.replace('certificates.', ''),
      c.status === 'ok' ? 'ok' : c.status.toUpperCase(),
      c.value,
    ]);
    lines.push(table(rows).replace(/\n$/, ''));
    for (const c of status.certificates.filter((row) => row.status !== 'ok')) lines.push(`  ${c.host ? `${c.host}: ` : ''}${c.message}${c.fix ? `; ${c.fix}` : ''}`);
  }
  const down = status.hosts.filter((h) => h.inCluster && !h.healthy).map((h) => h.name);
  if (down.length > 0) lines.push('', `Unhealthy: ${down.join(', ')}`);
  lines.push('', dangerLine(status));
  return `${lines.join('\n')}\n`;
}
