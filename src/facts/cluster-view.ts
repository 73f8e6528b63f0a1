// What one server sees of the cluster: nodes and etcd members, in one round trip.
import type { Transport } from '../ssh/transport.js';
import { readPlaybookFile } from './playbook-file.js';
import { splitSections } from './sections.js';
import { parseHealth, parseMemberList, type EtcdMember } from './etcd-members.js';
import { parseNodeList, type NodeInfo } from './nodes.js';

export interface ClusterView {
  /** The server this view was read from. */
  from: string;
  nodes?: NodeInfo[];
  nodesError?: string;
  members?: EtcdMember[];
  membersError?: string;
  /** etcd on this server answers /health with true (it has a leader: quorum holds). */
  etcdHealthy: boolean;
}

export function parseClusterView(from: string, stdout: string): ClusterView {
  const sections = splitSections(stdout);
  const view: ClusterView = { from, etcdHealthy: false };
  const nodes = sections.get('nodes');
  try {
    view.nodes = parseNodeList(nodes?.text ?? '');
  } catch (err) {
    view.nodesError = firstLine(nodes?.text) || (err as Error).message;
  }
  const members = sections.get('etcd-members');
  try {
    view.members = parseMemberList(members?.text ?? '');
  } catch (err) {
    view.membersError = firstLine(members?.text) || (err as Error).message;
  }
  view.etcdHealthy = parseHealth(sections.get('etcd-health')?.text ?? '');
  return view;
}

function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? ''
  );
}

export async function readClusterView(transport: Transport, timeoutMs = 20_000): Promise<ClusterView> {
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('cluster-state.sh'), sudo: true, timeoutMs });
  return parseClusterView(transport.host, result.stdout);
}
