// `fleet up` as an operation: check → gather, find a live server, plan (shared with fleet plan) →
// record the plan and refuse what it refuses → token → confirm stale-member removal → the engine
// walks the plan's steps → report. Nothing changes anywhere until every refusal has had its turn.
import { runSteps } from '../../engine/run-steps.js';
import type { Step, StepRun } from '../../engine/step.js';
import { ExitCode, InputError } from '../../errors.js';
import { silentProgress } from '../../engine/progress.js';
import { ReportRecorder } from '../../engine/report.js';
import { confirmStaleRemoval } from './stale-members.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { plan as makePlan } from './plan.js';
import type { AddNodeRule } from './add-node-rule.js';
import { installTimeoutMs } from '../../actions/install-timeout.js';
import { gatherAndPlan } from './gather-and-plan.js';
import { interrupted, type RunContext, type UpDeps, type UpOptions, type UpResult } from './context.js';
import { upHandlers } from './handlers.js';
import { recordPlan } from './record-plan.js';
import { resolveRunToken } from '../../token/run-token.js';

export interface OperationInput {
  inventory: Inventory;
  /** add-node: its quorum rule as a plan check. */
  addNode?: AddNodeRule;
  /** Facts the operation already gathered (add-node narrows the inventory with them). */
  facts?: FleetFacts;
}

export async function runUp(inventory: Inventory, deps: UpDeps, options: UpOptions = {}): Promise<UpResult> {
  installTimeoutMs(); // a bad FLEET_INSTALL_TIMEOUT_MS is exit 2 before anything connects, not a failed host later
  // What the inventory alone already refuses (an even server count, no server) is refused
  // before connecting: facts can add existing members but never fix such an inventory.
  refuseInvalidPlanBeforeConnecting(inventory);
  return runPlannedOperation({ inventory }, deps, options);
}

/** The phases every up-shaped operation (up, add-node) runs, over one context. */
export async function runPlannedOperation(input: OperationInput, deps: UpDeps, options: UpOptions): Promise<UpResult> {
  const { inventory } = input;
  const concurrency = options.concurrency ?? inventory.cluster.concurrency;
  const prepared = await gatherAndPlan(inventory, deps, {
    concurrency,
    ...(options.diskProbe ? { diskProbe: options.diskProbe } : {}),
    ...(input.facts ? { facts: input.facts } : {}),
    planOptions: { ...(input.addNode ? { addNode: input.addNode } : {}), ...(options.restoreFrom ? { restoreFrom: options.restoreFrom.snapshot.record.name } : {}) },
  });
  const ctx: RunContext = {
    inventory,
    deps,
    options,
    progress: deps.progress ?? silentProgress,
    recorder: new ReportRecorder(options.command ?? 'up', inventory.cluster.name, deps.now),
    ...prepared,
    planned: new Map(prepared.plan.hosts.map((h) => [h.name, h])),
    reports: new Map(),
    ended: new Map(),
    clusterChanges: [],
  };
  recordPlan(ctx);
  await resolveRunToken(ctx);
  // --restore-from: fresh hosts only, and the snapshot's token (exit 3 before anything changes).
  if (options.restoreFrom) options.restoreFrom.check(ctx.plan, ctx.facts, ctx.token ?? '');
  if (ctx.live && ctx.plan.staleMembers.length > 0) {
    await confirmStaleRemoval(ctx.live, ctx.plan.staleMembers, await deps.transportFor(ctx.live.name), { yes: options.yes, confirm: deps.confirm });
  }
  const runs = await walkSteps(ctx, concurrency);
  ctx.progress.stop();
  if (ctx.refusal !== undefined) throw ctx.refusal;
  return { report: finishReport(ctx, runs), plan: ctx.plan, ...(ctx.verify ? { verify: ctx.verify } : {}) };
}

/** The engine over the plan's steps, with progress per host step. */
function walkSteps(ctx: RunContext, concurrency: number): Promise<StepRun[]> {
  const hostStep = (step: Step) => step.action.startsWith('install-') || step.action === 'convert-to-etcd';
  return runSteps(ctx.plan.steps, {
    handlers: upHandlers(ctx),
    laneLimits: { agents: concurrency, servers: 1 },
    ...(ctx.deps.signal ? { signal: ctx.deps.signal } : {}),
    ...(ctx.deps.now ? { now: ctx.deps.now } : {}),
    onStart: (step) => {
      if (hostStep(step)) ctx.progress.update(step.host, ctx.planned.get(step.host)!.role === 'server' ? 'installing server' : 'installing agent');
    },
    onFinish: (step, run) => {
      ctx.ended.set(step.id, run);
      if (run.outcome === 'failed') {
        ctx.deps.logger?.error({ step: step.id, err: run.error }, 'step failed');
        if (step.host !== 'cluster' && ctx.reports.has(step.host) && step.action !== 'verify' && step.action !== 'kubeconfig') ctx.recorder.fail(ctx.reports.get(step.host)!, run.error ?? 'failed');
        if (step.action !== 'verify' && step.action !== 'kubeconfig') ctx.progress.update(step.host, (run.error ?? 'failed').split('\n')[0]!, 'failed');
      } else if (hostStep(step)) ctx.progress.update(step.host, run.outcome === 'changed' ? 'done' : 'no change', 'ok');
    },
  });
}

function finishReport(ctx: RunContext, runs: StepRun[]) {
  const { recorder } = ctx;
  // The report names the hosts whose own step never started (a failure before it, or Ctrl-C).
  for (const run of runs) {
    if (run.outcome === 'not-started' && (run.action.startsWith('install-') || run.action === 'convert-to-etcd') && !recorder.notStarted.includes(run.host)) recorder.notStarted.push(run.host);
  }
  const anyFailed = [...ctx.reports.values()].some((r) => r.outcome === 'failed') || runs.some((r) => r.outcome === 'failed');
  const exitCode = interrupted(ctx) ? ExitCode.interrupted : anyFailed ? ExitCode.hostFailed : ExitCode.ok;
  const extra = { ...(ctx.kubeconfigPath ? { kubeconfig: ctx.kubeconfigPath } : {}), ...(ctx.clusterChanges.length > 0 ? { clusterChanges: ctx.clusterChanges } : {}) };
  const report = recorder.finish(exitCode, extra);
  report.steps = runs;
  return report;
}

function refuseInvalidPlanBeforeConnecting(inventory: Inventory): void {
  try {
    makePlan(inventory);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
}
