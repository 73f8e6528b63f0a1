// With facts: what a run will do on each host (preflight, the token, nothing / install /
// reconfigure / convert), the stale members to remove and add-node's quorum rule. Pure.
import type { ClusterView } from '../../facts/cluster-view.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { hostAction } from '../../rules/host-action.js';
import { isExistingServer } from '../../rules/select-servers.js';
import type { Plan, PlannedHost } from './types.js';
import { checkAddNode, type AddNodeRule } from './add-node-rule.js';
import { applyPreflight } from './apply-preflight.js';
import { planStaleMembers } from './plan-stale-members.js';
import { chooseTokenFingerprint, tokenSource } from '../../token/token-choice.js';

export interface LiveFacts {
  facts: FleetFacts;
  /** The live, healthy member's view of the cluster, when one answered. */
  view?: ClusterView;
  /** Fingerprint of .fleet/<cluster>/token, when fleet stored one. */
  storedTokenFingerprint?: string;
  addNode?: AddNodeRule;
}

/** Fills in actions, token source, stale members, warnings and refusal of a plan made with facts. */
export function decideWithFacts(plan: Plan, inventory: Inventory, live: LiveFacts): void {
  const { facts } = live;
  plan.refusal = applyPreflight(plan.hosts, inventory.hosts, facts, live.view !== undefined, plan.warnings);
  const members = plan.hosts.filter((h) => h.role === 'server' && isExistingServer(facts.get(h.name))).map((h) => h.name);
  const choice = chooseTokenFingerprint(inventory, members, facts, live.storedTokenFingerprint);
  for (const host of plan.hosts) {
    if (host.action === 'left-out') continue;
    Object.assign(host, actionOf(host, plan, inventory, facts, choice.fingerprint));
  }
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  plan.staleMembers = planStaleMembers(
    live.view,
    plan.joiningServers.map((name) => byName.get(name)!),
    facts,
  );
  const installs = plan.hosts.some((h) => h.action !== 'none' && h.action !== 'left-out');
  plan.token = tokenSource(inventory, members, choice, installs);
  if (live.addNode) {
    const liveServers = members.filter((name) => facts.get(name)?.k3s.running).length;
    plan.warnings.push(...checkAddNode(live.addNode, plan.joiningServers, plan.hosts, live.view, liveServers));
  }
}

function actionOf(host: PlannedHost, plan: Plan, inventory: Inventory, facts: FleetFacts, fingerprint: string | undefined): Pick<PlannedHost, 'action' | 'actionReason'> {
  const { action, reason } = hostAction(host, facts.get(host.name), inventory.cluster, fingerprint, host.name === plan.convertToEtcd);
  return { action, actionReason: reason };
}
