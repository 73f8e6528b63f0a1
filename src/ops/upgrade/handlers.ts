// The upgrade's step handlers, bound to one run: each looks up what it needs (host, node name,
// servers to run kubectl on) and calls the step in src/steps.
import type { StepHandler } from '../../engine/run-steps.js';
import type { StepResult } from '../../engine/step.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { findNode } from '../../facts/nodes.js';
import type { UpgradeClusterView } from './plan.js';
import type { UpgradePlan } from './types.js';
import type { Transport } from '../../ssh/transport.js';
import { cordonNode, drainNode, uncordonNode } from '../../actions/cordon-drain.js';
import { saveEtcdSnapshot } from '../../actions/etcd-snapshot.js';
import { installK3s } from '../../actions/install-k3s.js';
import { checkQuorumBefore, waitUpgraded, type ClusterAccess } from './checks.js';

export interface UpgradeRun {
  inventory: Inventory;
  facts: FleetFacts;
  view: UpgradeClusterView;
  plan: UpgradePlan;
  transportFor: (name: string) => Promise<Transport>;
  signal?: AbortSignal;
  /** How long a host may take to run the target after its restart. */
  readyTimeoutMs: number;
}

export function upgradeHandlers(run: UpgradeRun): Record<string, StepHandler> {
  const spec = (name: string) => run.inventory.hosts.find((h) => h.name === name)!;
  const role = (name: string) => run.plan.hosts.find((h) => h.name === name)!.role;
  const nodeName = (name: string) => findNode(run.view.nodes, spec(name))?.name ?? name;
  const servers = run.plan.hosts.filter((h) => h.role === 'server').map((h) => h.name);
  const access: ClusterAccess = { servers, transportFor: run.transportFor };
  // kubectl for a server's own node runs on it first (it is up while cordoned and once Ready).
  const kubectlFor = (host: string) => ({ servers: role(host) === 'server' ? [host, ...servers.filter((s) => s !== host)] : servers, transportFor: run.transportFor });

  return {
    'etcd-snapshot': async (step) => saveEtcdSnapshot(await run.transportFor(step.host), run.plan.snapshot!.name),
    'check-quorum': async (step): Promise<StepResult> => {
      await checkQuorumBefore(access, step.host);
      return {};
    },
    cordon: (step) => cordonNode(kubectlFor(step.host), step.host, nodeName(step.host)),
    drain: (step) => drainNode(kubectlFor(step.host), step.host, nodeName(step.host), run.plan.drainTimeoutSeconds),
    uncordon: (step) => uncordonNode(kubectlFor(step.host), step.host, nodeName(step.host)),
    'upgrade-k3s': async (step) => {
      const host = spec(step.host);
      const outcome = await installK3s({
        transport: await run.transportFor(step.host),
        planned: { name: host.name, address: host.address, role: role(step.host), reason: 'inventory', action: 'install', actionReason: 'upgrade K3s to the target version', config: {} },
        facts: run.facts.get(step.host),
        cluster: run.inventory.cluster,
        token: '',
        upgrade: true,
      });
      return { changed: outcome.changed };
    },
    'wait-upgraded': async (step): Promise<StepResult> => {
      await waitUpgraded(access, { host: spec(step.host), role: role(step.host), version: run.plan.target, etcd: run.view.etcd !== undefined, timeoutMs: run.readyTimeoutMs, signal: run.signal });
      return {};
    },
  };
}
