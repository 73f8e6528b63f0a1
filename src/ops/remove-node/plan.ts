// `fleet remove-node` as a pure plan: which host, what it is in the cluster (etcd member, node,
// service), the quorum arithmetic of taking it out, the refusals, and the steps in K3s's safe
// order: cordon, drain, stop and disable the service (a deleted node whose service runs registers
// again), delete the node through a live server (K3s then removes its etcd member), make sure the
// member is gone, uninstall on the host, check nothing is left, forget it in the inventory.
import type { EtcdMember } from '../../facts/etcd-members.js';
import { memberAt } from '../../facts/etcd-members.js';
import { findNode, type NodeInfo } from '../../facts/nodes.js';
import type { Step } from '../../engine/step.js';
import { InputError, SafetyError } from '../../errors.js';
import type { HostFacts } from '../../facts/types.js';
import type { HostSpec, Inventory } from '../../inventory/types.js';
import { quorumOf, type QuorumFigures } from '../../rules/quorum.js';

export interface RemoveNodeInput {
  inventory: Inventory;
  /** The inventory host to remove. */
  host: string;
  /** Its facts (unreachable facts when it did not answer). */
  facts: HostFacts | undefined;
  /** The live, healthy server the cluster-side steps go through; never the host being removed. */
  via: string;
  /** The cluster as `via` sees it. */
  members: EtcdMember[];
  nodes: NodeInfo[];
  /** IDs of members whose own /health said true. */
  healthyIds: ReadonlySet<string>;
  allowEven?: boolean;
  keepInInventory?: boolean;
}

export interface RemovalArithmetic {
  before: QuorumFigures;
  after: QuorumFigures;
  /** Healthy voters once the host's member is gone. */
  healthyAfter: number;
  /** The figures in words, for the plan and the refusals. */
  text: string;
}

export interface RemoveNodePlan {
  cluster: string;
  host: string;
  address: string;
  /** server: it holds an etcd member or runs the server service; agent: it runs the agent. */
  role: 'server' | 'agent' | 'not-in-cluster';
  reachable: boolean;
  via: string;
  /** Its node object's name, when the cluster has one. */
  node?: string;
  member?: { id: string; name: string; peerURL: string };
  arithmetic?: RemovalArithmetic;
  /** What the host still holds when the plan cannot touch it (unreachable). */
  leftOnHost?: string;
  warnings: string[];
  steps: Step[];
}

const failures = (n: number) => (n === 0 ? 'no failure' : `${n} failure${n === 1 ? '' : 's'}`);
const servers = (n: number) => `${n} server${n === 1 ? '' : 's'}`;

/** Servers before and after taking one voter out, with the healthy voters that would remain. */
export function removalArithmetic(members: EtcdMember[], healthyIds: ReadonlySet<string>, removing: EtcdMember | undefined): RemovalArithmetic {
  const voters = members.filter((m) => !m.isLearner);
  const remaining = voters.filter((m) => m.id !== removing?.id);
  const before = quorumOf(Math.max(1, voters.length));
  const after = remaining.length > 0 ? quorumOf(remaining.length) : { servers: 0, quorum: 0, faultTolerance: 0 };
  const healthyAfter = remaining.filter((m) => healthyIds.has(m.id)).length;
  const text =
    `${servers(voters.length)} → ${servers(after.servers)}: quorum ${before.quorum} → ${after.quorum}, ` +
    `tolerates ${failures(before.faultTolerance)} → ${failures(after.faultTolerance)}; ${healthyAfter} of ${after.servers} healthy afterwards`;
  return { before: { ...before, servers: voters.length }, after, healthyAfter, text };
}

function roleOf(facts: HostFacts | undefined, member: EtcdMember | undefined, node: NodeInfo | undefined): RemoveNodePlan['role'] {
  if (member || facts?.k3s.etcdData || facts?.k3s.role === 'server') return 'server';
  if (node?.roles.includes('control-plane') || node?.roles.includes('etcd')) return 'server';
  if (node || facts?.k3s.role === 'agent') return 'agent';
  return 'not-in-cluster';
}

/** Refuses (SafetyError, exit 3) a removal that loses quorum, or leaves an even count unless allowed. */
function checkServerRemoval(plan: RemoveNodePlan, input: RemoveNodeInput, member: EtcdMember, warnings: string[]): RemovalArithmetic {
  const arithmetic = removalArithmetic(input.members, input.healthyIds, member);
  const { after, healthyAfter } = arithmetic;
  const nothingChanged = 'nothing was changed';
  if (after.servers === 0) {
    throw new SafetyError(`${plan.host} is the cluster's last server: removing it ends the cluster; ${nothingChanged}`, `to tear the whole cluster down use fleet reset`, plan.host);
  }
  if (healthyAfter < after.quorum) {
    throw new SafetyError(
      `removing ${plan.host} would lose quorum: ${arithmetic.text}, and ${after.quorum} are needed; ${nothingChanged}`,
      'bring the unhealthy servers back (fleet status) before removing one',
      plan.host,
    );
  }
  // While a reachable server stops, its member still counts: the others alone must hold quorum.
  const healthyOthers = input.members.filter((m) => !m.isLearner && m.id !== member.id && input.healthyIds.has(m.id)).length;
  if (plan.reachable && !member.isLearner && healthyOthers < arithmetic.before.quorum) {
    throw new SafetyError(
      `removing ${plan.host} would lose quorum while its service stops (${healthyOthers} other healthy voter${healthyOthers === 1 ? '' : 's'} of ${arithmetic.before.servers}, quorum ${arithmetic.before.quorum}); ${nothingChanged}`,
      'add a server first, so that the others hold quorum on their own',
      plan.host,
    );
  }
  if (after.servers % 2 === 0) {
    const why =
      after.servers === 2
        ? `${arithmetic.text}. 2 servers have no fault tolerance: losing either one stops the control plane`
        : `${arithmetic.text}. An even count tolerates no more failures than ${servers(after.servers - 1)}`;
    if (!input.allowEven) {
      throw new SafetyError(
        `removing ${plan.host} leaves an even number of servers: ${why}; ${nothingChanged}`,
        `pass --allow-even to remove it anyway, or add a server first (then ${servers(after.servers + 1)} remain)`,
        plan.host,
      );
    }
    warnings.push(`--allow-even: ${why}`);
    const inventoryServers = input.inventory.hosts.filter((h) => h.role === 'server' && h.name !== plan.host).length;
    if (!input.keepInInventory && inventoryServers % 2 === 0 && !input.inventory.cluster.allowEvenServers) {
      warnings.push(`the inventory then lists ${servers(inventoryServers)}: fleet up refuses an even count until you add a server or set cluster.allowEvenServers: true`);
    }
  }
  if (after.servers === 1) warnings.push(`1 server remains: it tolerates no failure`);
  return arithmetic;
}

export function planRemoveNode(input: RemoveNodeInput): RemoveNodePlan {
  const spec = input.inventory.hosts.find((h) => h.name === input.host);
  if (!spec) throw new InputError(`${input.host} is not in the inventory`, `name a host of ${input.inventory.file} with --host`);
  if (input.via === input.host) throw new TypeError('remove-node: the cluster steps must go through another server');
  const member = memberAt(input.members, spec.address);
  const node = findNode(input.nodes, spec);
  const reachable = input.facts?.reachable === true;
  const warnings: string[] = [];
  const plan: RemoveNodePlan = {
    cluster: input.inventory.cluster.name,
    host: spec.name,
    address: spec.address,
    role: roleOf(input.facts, member, node),
    reachable,
    via: input.via,
    warnings,
    steps: [],
  };
  if (node) plan.node = node.name;
  if (member) plan.member = { id: member.id, name: member.name, peerURL: member.peerURLs[0] ?? '' };
  if (member) plan.arithmetic = checkServerRemoval(plan, input, member, warnings);
  if (!reachable && plan.role !== 'not-in-cluster') {
    plan.leftOnHost = `${spec.name} could not be reached (${input.facts?.error ?? 'no answer'}): its disk still holds K3s (service, binary, /etc/rancher/k3s, /var/lib/rancher/k3s${plan.role === 'server' ? ' with its old etcd data' : ''}). Before it boots into a network again, wipe it: run ${plan.role === 'server' ? 'k3s-uninstall.sh' : 'k3s-agent-uninstall.sh'} on it, or re-image it`;
    warnings.push(plan.leftOnHost);
  }
  if (plan.role === 'not-in-cluster') warnings.push(`${spec.name} is not in the cluster (no node, no etcd member${reachable ? ', no K3s installed' : ''})`);
  plan.steps = removalSteps(spec, plan, input);
  return plan;
}

function removalSteps(spec: HostSpec, plan: RemoveNodePlan, input: RemoveNodeInput): Step[] {
  const steps: Step[] = [];
  let last: string[] = [];
  const add = (action: string, changes: boolean, reason: string) => {
    const id = `${action}:${spec.name}`;
    steps.push({ id, host: spec.name, action, changes, reason, dependsOn: last });
    last = [id];
  };
  const installed = input.facts?.k3s.installed === true || input.facts?.k3s.etcdData === true;
  if (plan.node) {
    add('cordon', true, `no new pods on ${plan.node} (through ${input.via})`);
    if (plan.reachable) add('drain', true, `evict ${plan.node}'s pods (through ${input.via})`);
  }
  if (plan.reachable && installed) add('stop-service', true, 'stop and disable its K3s service first: a deleted node whose service runs registers again');
  if (plan.node) add('delete-node', true, `delete node ${plan.node} through ${input.via}${plan.member ? ' (K3s removes its etcd member with it)' : ''}`);
  if (plan.member) add('remove-member', true, `make sure etcd member ${plan.member.name || plan.member.id} is gone (removed explicitly if still listed), quorum checked`);
  if (plan.reachable && installed) {
    add('uninstall', true, `run the uninstall script the install script left (${plan.role === 'server' ? 'k3s-uninstall.sh' : 'k3s-agent-uninstall.sh'})`);
    add('check-clean', false, 'no K3s process, unit, binary, config or data left');
  }
  if (!input.keepInInventory) add('forget-host', true, `remove ${spec.name} from ${input.inventory.file}, keeping comments and layout`);
  return steps;
}
