// `fleet remove-node`: gather facts once, find a live healthy server other than the host, plan
// (refusals included), show the plan and confirm, walk the steps on the engine, report.
import type { OperationDeps } from '../operation-deps.js';
import { existsSync, readFileSync } from 'node:fs';
import { healthyMemberIds } from '../../facts/member-health.js';
import { deleteNode } from '../../actions/delete-node.js';
import { runSteps } from '../../engine/run-steps.js';
import type { Step } from '../../engine/step.js';
import { InputError, SafetyError } from '../../errors.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import { findLiveServer } from '../../facts/live-server.js';
import { silentProgress } from '../../engine/progress.js';
import type { RunReport } from '../../engine/report.js';
import type { Inventory } from '../../inventory/types.js';
import { serverUrl } from '../../rules/host-config.js';
import { statePaths } from '../../state/state-paths.js';
import { planRemoveNode, type RemoveNodePlan } from './plan.js';
import { cordonNode, drainNode } from '../../actions/cordon-drain.js';
import { ensureMemberGone } from '../../actions/remove-member.js';
import { stopService } from '../../actions/stop-service.js';
import { checkClean, uninstallK3s } from '../../actions/uninstall-k3s.js';
import { forgetHostInInventory } from './forget-host.js';
import { stepReport } from '../../engine/step-report.js';

export interface RemoveNodeOptions {
  host: string;
  allowEven?: boolean;
  keepInInventory?: boolean;
  /** Stop after planning (dry run): nothing changes. */
  planOnly?: boolean;
  /** Shown the plan, asked before anything changes; throws to refuse. */
  confirm: (plan: RemoveNodePlan) => Promise<void>;
}

export interface RemoveNodeResult {
  plan: RemoveNodePlan;
  report?: RunReport & { removal: Pick<RemoveNodePlan, 'host' | 'role' | 'via' | 'member' | 'arithmetic' | 'leftOnHost'> };
}

/** Facts, the live server and its view: everything the planner needs, read-only. */
export async function planRemoval(inventory: Inventory, deps: OperationDeps, options: RemoveNodeOptions): Promise<RemoveNodePlan> {
  if (!inventory.hosts.some((h) => h.name === options.host)) throw new InputError(`${options.host} is not in the inventory`, `name a host of ${inventory.file} with --host`);
  const facts = await gatherFleetFacts(inventory, { transportFor: deps.transportFor, signal: deps.signal, progress: deps.progress }, { concurrency: 20, measureDisks: false });
  const others = inventory.hosts.map((h) => h.name).filter((name) => name !== options.host);
  const live = await findLiveServer(others, facts, deps.transportFor);
  if (!live) {
    throw new SafetyError(
      `no healthy server other than ${options.host} answered: there is no cluster to remove it through; nothing was changed`,
      'check fleet status; to tear the whole cluster down use fleet reset',
    );
  }
  const members = live.view.members ?? [];
  const healthyIds = await healthyMemberIds(await deps.transportFor(live.name), members);
  return planRemoveNode({
    inventory,
    host: options.host,
    facts: facts.get(options.host),
    via: live.name,
    members,
    nodes: live.view.nodes ?? [],
    healthyIds,
    allowEven: options.allowEven,
    keepInInventory: options.keepInInventory,
  });
}

export async function runRemoveNode(inventory: Inventory, deps: OperationDeps, options: RemoveNodeOptions): Promise<RemoveNodeResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const plan = await planRemoval(inventory, deps, options);
  if (options.planOnly) return { plan };
  await options.confirm(plan);
  const progress = deps.progress ?? silentProgress;
  const via = () => deps.transportFor(plan.via);
  const kubectl = { servers: [plan.via], transportFor: deps.transportFor };
  const onHost = () => deps.transportFor(plan.host);
  const role = plan.role === 'agent' ? 'agent' : 'server';
  const handlers: Record<string, (step: Step) => Promise<{ changed?: string } | void>> = {
    cordon: async () => cordonNode(kubectl, plan.host, plan.node!),
    drain: async () => drainNode(kubectl, plan.host, plan.node!, 300, true),
    'stop-service': async () => stopService(await onHost(), role),
    'delete-node': async () => {
      await deleteNode(await via(), plan.node!);
      return { changed: `node ${plan.node} deleted` };
    },
    'remove-member': async () => ensureMemberGone(await via(), plan.member!),
    uninstall: async () => uninstallK3s(await onHost()),
    'check-clean': async () => checkClean(await onHost()),
    'forget-host': async () => forgetHostInInventory(inventory.file, plan.host),
  };
  const runs = await runSteps(plan.steps, {
    handlers,
    signal: deps.signal,
    onStart: (step) => progress.update(step.host, step.action),
    onFinish: (step, run) => progress.update(step.host, `${step.action}${run.error ? `: ${run.error.split('\n')[0]}` : ''}`, run.outcome === 'failed' ? 'failed' : 'ok'),
  });
  progress.stop();
  const report = stepReport({
    command: `remove-node ${plan.host}`,
    cluster: plan.cluster,
    startedAt: started,
    now: now(),
    runs,
    roles: new Map([[plan.host, role]]),
    warnings: plan.warnings,
    interrupted: deps.signal?.aborted === true,
  });
  const stale = kubeconfigPointingAt(inventory, plan);
  if (stale) report.warnings.push(stale);
  const removal = {
    host: plan.host,
    role: plan.role,
    via: plan.via,
    ...(plan.member ? { member: plan.member } : {}),
    ...(plan.arithmetic ? { arithmetic: plan.arithmetic } : {}),
    ...(plan.leftOnHost ? { leftOnHost: plan.leftOnHost } : {}),
  };
  return { plan, report: { ...report, removal } };
}

/** fleet's kubeconfig points at the first server (without a registration address): say so when that one went. */
function kubeconfigPointingAt(inventory: Inventory, plan: RemoveNodePlan): string | undefined {
  if (plan.role !== 'server') return undefined;
  const file = statePaths(inventory).kubeconfig;
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes(serverUrl(plan.address))) return undefined;
  return `${file} points at ${plan.host}, which is gone: run fleet kubeconfig ${inventory.file} to point it at a live server`;
}
