// `fleet reset`: gather facts once, plan (who is a server, an agent, unreachable), show and
// confirm by the cluster name, uninstall agents (bounded queue) then servers (one at a time) on
// the engine, each followed by a check that nothing of K3s is left. Local state is removed by the
// command after the run session has released it (forget-local-state.ts).
import { runSteps } from '../../engine/run-steps.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import { silentProgress } from '../../engine/progress.js';
import type { RunReport } from '../../engine/report.js';
import type { Inventory } from '../../inventory/types.js';
import { planReset, RESET_AGENT_LANE, type ResetPlan } from './plan.js';
import { checkClean, uninstallK3s } from '../../actions/uninstall-k3s.js';
import type { OperationDeps } from '../operation-deps.js';
import { stepReport } from '../../engine/step-report.js';

export interface ResetOptions {
  keepState?: boolean;
  concurrency?: number;
  planOnly?: boolean;
  confirm: (plan: ResetPlan) => Promise<void>;
}

export interface ResetResult {
  plan: ResetPlan;
  report?: RunReport & { unreachable: string[] };
}

export async function runReset(inventory: Inventory, deps: OperationDeps, options: ResetOptions): Promise<ResetResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const facts = await gatherFleetFacts(inventory, { transportFor: deps.transportFor, signal: deps.signal, progress: deps.progress }, { concurrency: 20, measureDisks: false });
  const plan = planReset(inventory, facts, { keepState: options.keepState, concurrency: options.concurrency });
  if (options.planOnly) return { plan };
  await options.confirm(plan);
  const progress = deps.progress ?? silentProgress;
  const runs = await runSteps(plan.steps, {
    handlers: {
      uninstall: async (step) => uninstallK3s(await deps.transportFor(step.host)),
      'check-clean': async (step) => checkClean(await deps.transportFor(step.host)),
    },
    laneLimits: { [RESET_AGENT_LANE]: plan.concurrency },
    signal: deps.signal,
    onStart: (step) => progress.update(step.host, step.action),
    onFinish: (step, run) => progress.update(step.host, `${step.action}${run.error ? `: ${run.error.split('\n')[0]}` : ''}`, run.outcome === 'failed' ? 'failed' : 'ok'),
  });
  progress.stop();
  const unreachable = plan.hosts.filter((h) => h.action === 'unreachable').map((h) => h.name);
  const roles = new Map(plan.hosts.map((h) => [h.name, h.action === 'uninstall-server' ? ('server' as const) : ('agent' as const)]));
  const report = stepReport({
    command: 'reset',
    cluster: plan.cluster,
    startedAt: started,
    now: now(),
    runs,
    roles,
    warnings: [...plan.warnings],
    untouched: unreachable,
    interrupted: deps.signal?.aborted === true,
  });
  for (const name of unreachable) report.hosts.push({ name, role: roles.get(name)!, outcome: 'failed', error: plan.hosts.find((h) => h.name === name)!.reason, steps: [] });
  return { plan, report: { ...report, unreachable } };
}
