// Parse `kubectl get nodes -o json` into what fleet checks: name, Ready, roles, version, address.
import { textTable } from '../util/text-table.js';

export interface NodeInfo {
  name: string;
  ready: boolean;
  roles: string[];
  version: string;
  internalIP?: string;
  arch?: string;
  /** spec.unschedulable: cordoned. */
  unschedulable?: boolean;
}

interface KubeNode {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Array<{ type?: string; status?: string }>;
    nodeInfo?: { kubeletVersion?: string; architecture?: string };
    addresses?: Array<{ type?: string; address?: string }>;
  };
}

const rolePrefix = 'node-role.kubernetes.io/';

export function parseNodeList(json: string): NodeInfo[] {
  const doc = JSON.parse(json) as { items?: KubeNode[] };
  if (!Array.isArray(doc.items)) throw new Error('not a NodeList: no items');
  return doc.items.map((item) => {
    const labels = item.metadata?.labels ?? {};
    const roles = Object.keys(labels)
      .filter((key) => key.startsWith(rolePrefix) && labels[key] !== 'false')
      .map((key) => key.slice(rolePrefix.length))
      .sort();
    const ready = (item.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    return {
      name: item.metadata?.name ?? '',
      ready,
      roles,
      version: item.status?.nodeInfo?.kubeletVersion ?? '',
      internalIP: item.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
      arch: item.status?.nodeInfo?.architecture ?? labels['kubernetes.io/arch'],
      ...(item.spec?.unschedulable === true ? { unschedulable: true } : {}),
    };
  });
}

/** The node that is this inventory host: same name, or same InternalIP. */
export function findNode(nodes: NodeInfo[], host: { name: string; address: string }): NodeInfo | undefined {
  return nodes.find((n) => n.name === host.name) ?? nodes.find((n) => n.internalIP === host.address);
}

/** A `kubectl get nodes`-style table for people. */
export function renderNodeTable(nodes: NodeInfo[]): string {
  const rows = [['NAME', 'STATUS', 'ROLES', 'VERSION', 'INTERNAL-IP']];
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    rows.push([n.name, n.ready ? 'Ready' : 'NotReady', n.roles.join(',') || '<none>', n.version, n.internalIP ?? '']);
  }
  return textTable(rows, '   ');
}
