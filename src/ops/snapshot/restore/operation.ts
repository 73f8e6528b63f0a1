// `fleet snapshot restore`: snapshot file and record → facts → plan (refusals, exit 3, before
// anything changes) → the plan shown → typed confirmation → the engine walks the steps → report.
import type { StepHandler } from '../../../engine/run-steps.js';
import { runSteps } from '../../../engine/run-steps.js';
import type { Step, StepRun } from '../../../engine/step.js';
import { CommandError, ExitCode } from '../../../errors.js';
import { gatherFleetFacts } from '../../../facts/gather-fleet.js';
import { silentProgress } from '../../../engine/progress.js';
import { ReportRecorder, type RunReport } from '../../../engine/report.js';
import { deleteNode } from '../../../actions/delete-node.js';
import { tokenFingerprint } from '../../../facts/k3s-config.js';
import type { Inventory } from '../../../inventory/types.js';
import { planSnapshotRestore, type RestorePlan } from './plan.js';
import { resolveSnapshot, sha256OfFile, type ControllerSnapshot } from '../record.js';
import { clusterReset, uploadSnapshot } from '../../../actions/cluster-reset.js';
import { rejoinServer, startAgent, startServer } from '../../../actions/start-k3s.js';
import { stopK3s } from '../../../actions/stop-k3s.js';
import { checkClusterView } from '../../../actions/check-cluster-view.js';
import { waitForNodes } from '../../../actions/wait-ready.js';
import type { SnapshotDeps } from '../save/operation.js';
import { writeConfigToken } from '../../../actions/write-token.js';
import { findKeptToken } from '../../../token/kept.js';
import { readStoredToken, replaceStoredToken } from '../../../token/store.js';
import { statePaths } from '../../../state/state-paths.js';

export interface RestoreOptions {
  snapshot: string;
  dryRun?: boolean;
  /** Shows the plan, then asks (typed cluster name) or refuses; throws when not confirmed. */
  confirm: (what: string) => Promise<void>;
  show: (text: string) => void;
  serverTimeoutMs?: number;
  nodesTimeoutMs?: number;
  command?: string;
}

export interface RestoreResult {
  plan: RestorePlan;
  snapshot: ControllerSnapshot;
  report?: RunReport;
}

export async function runSnapshotRestore(inventory: Inventory, deps: SnapshotDeps, options: RestoreOptions): Promise<RestoreResult> {
  const snapshot = resolveSnapshot(inventory, options.snapshot);
  const fileSha256 = await sha256OfFile(snapshot.file);
  const facts = await gatherFleetFacts(inventory, deps, { concurrency: inventory.cluster.concurrency, measureDisks: false });
  // A snapshot from before a token rotation needs the token of its time: fleet kept it.
  const kept = findKeptToken(inventory, snapshot.record.tokenFingerprint);
  const plan = planSnapshotRestore({
    ...(kept ? { keptTokenFile: kept.file } : {}),
    cluster: inventory.cluster.name,
    hosts: inventory.hosts,
    facts,
    record: snapshot.record,
    fileSha256,
    ...(inventory.cluster.token !== undefined ? { inventoryTokenFingerprint: tokenFingerprint(inventory.cluster.token) } : {}),
  });
  options.show(renderRestorePlan(inventory.cluster.name, snapshot, plan));
  if (options.dryRun) return { plan, snapshot };
  await options.confirm(`restore cluster ${inventory.cluster.name} from ${snapshot.record.name} (every K3s stops; etcd is replaced by the snapshot)`);

  const recorder = new ReportRecorder(options.command ?? 'snapshot restore', inventory.cluster.name, deps.now);
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  const roleOf = (name: string): 'server' | 'agent' => (plan.agents.includes(name) ? 'agent' : 'server');
  for (const name of [plan.target, ...plan.rejoining, ...plan.agents]) recorder.host(name, roleOf(name));
  const timed = (step: Step, work: () => Promise<{ changed: string }>) => recorder.step(recorder.host(step.host === 'cluster' ? plan.target : step.host, roleOf(step.host)), step.action, work);
  const transport = (name: string) => deps.transportFor(name);
  const wait = { timeoutMs: options.serverTimeoutMs ?? 300_000, signal: deps.signal };
  const handlers: Record<string, StepHandler> = {
    'stop-k3s': (step) => timed(step, async () => stopK3s(await transport(step.host), roleOf(step.host))),
    'upload-snapshot': (step) => timed(step, async () => uploadSnapshot(await transport(step.host), snapshot.file, snapshot.record.name)),
    'cluster-reset': (step) => timed(step, async () => clusterReset(await transport(step.host), snapshot.record.name)),
    'start-server': (step) => timed(step, async () => startServer(await transport(step.host), byName.get(step.host)!, wait)),
    'rejoin-server': (step) => timed(step, async () => rejoinServer(await transport(step.host), byName.get(step.host)!, wait, Math.floor((deps.now ?? Date.now)() / 1000))),
    'start-agent': (step) => timed(step, async () => startAgent(await transport(step.host))),
    'delete-node': (step) =>
      timed(step, async () => {
        await deleteNode(await transport(plan.target), step.id.slice('delete-node:'.length));
        return { changed: 'deleted' };
      }),
    'write-token': (step) => timed(step, async () => writeConfigToken(await transport(step.host), kept!.token)),
    'keep-token': async () => {
      const stored = statePaths(inventory).token;
      const day = new Date((deps.now ?? Date.now)()).toISOString().slice(0, 10);
      const previous = replaceStoredToken(stored, kept!.token, day, readStoredToken(stored));
      return { changed: `${stored} holds the snapshot's token${previous ? `, the replaced one kept as ${previous}` : ''}` };
    },
    verify: (step) => timed(step, async () => verifyRestored(inventory, plan, await transport(plan.target), options.nodesTimeoutMs ?? 180_000, deps.signal)),
  };
  const progress = deps.progress ?? silentProgress;
  const runs: StepRun[] = await runSteps(plan.steps, {
    handlers,
    laneLimits: { agents: inventory.cluster.concurrency },
    signal: deps.signal,
    now: deps.now,
    onStart: (step) => progress.update(step.host === 'cluster' ? plan.target : step.host, step.action),
    onFinish: (step, run) =>
      progress.update(
        step.host === 'cluster' ? plan.target : step.host,
        `${step.action}: ${run.outcome}${run.error ? ` (${run.error.split('\n')[0]})` : ''}`,
        run.outcome === 'failed' ? 'failed' : 'ok',
      ),
  });
  progress.stop();
  recorder.warnings.push(...plan.warnings);
  const notRun = runs.filter((r) => r.outcome === 'not-started').map((r) => r.id);
  recorder.notStarted.push(...notRun);
  const failed = runs.some((r) => r.outcome === 'failed');
  const exitCode = deps.signal?.aborted ? ExitCode.interrupted : failed || notRun.length > 0 ? ExitCode.hostFailed : ExitCode.ok;
  const clusterChanges = [`etcd restored from ${snapshot.record.name} on ${plan.target}`, ...plan.staleNodes.map((n) => `node ${n} deleted (not in the inventory)`)];
  const report = recorder.finish(exitCode, { clusterChanges });
  report.steps = runs;
  return { plan, snapshot, report };
}

async function verifyRestored(
  inventory: Inventory,
  plan: RestorePlan,
  server: Awaited<ReturnType<SnapshotDeps['transportFor']>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ changed: string }> {
  const hosts = [plan.target, ...plan.rejoining, ...plan.agents].map((name) => {
    const host = inventory.hosts.find((h) => h.name === name)!;
    return { name, address: host.address, role: plan.agents.includes(name) ? ('agent' as const) : ('server' as const) };
  });
  const waited = await waitForNodes(server, hosts, { timeoutMs, signal });
  const result = checkClusterView(waited.view, hosts);
  const problems = [...[...waited.notReady].map(([host, why]) => `${host}: ${why}`), ...result.problems.map((p) => `${p.host}: ${p.message}`)];
  if (problems.length > 0) throw new CommandError(server.host, 'verify', null, '', `after the restore: ${[...new Set(problems)].join('; ')}`);
  return { changed: 'none' };
}

export function renderRestorePlan(cluster: string, snapshot: ControllerSnapshot, plan: RestorePlan): string {
  const { record } = snapshot;
  const lines = [
    `Restore cluster ${cluster} from ${record.name}`,
    `  taken ${record.takenAt} on ${record.server}, K3s ${record.k3sVersion}, ${record.size} bytes, sha256 ${record.sha256.slice(0, 16)}… (matches)`,
    `  1. stop K3s on ${[plan.target, ...plan.rejoining, ...plan.agents].join(', ')}`,
    ...(plan.tokenFrom ? [`     and write the snapshot's token (sha256 ${record.tokenFingerprint.slice(7, 19)}…, kept in ${plan.tokenFrom}) into each config.yaml; fleet's copy follows`] : []),
    `  2. ${plan.target}: upload the snapshot, k3s server --cluster-reset --cluster-reset-restore-path, start, wait`,
    ...plan.rejoining.map((name, i) => `  ${3 + i}. ${name}: move its etcd data aside (kept), start, wait until it has rejoined`),
    ...(plan.agents.length > 0 ? [`  ${3 + plan.rejoining.length}. start the agents: ${plan.agents.join(', ')}`] : []),
    ...(plan.staleNodes.length > 0 ? [`  then delete node objects of hosts no longer in the inventory: ${plan.staleNodes.join(', ')}`] : []),
    '  then verify: every node Ready, every server a voting etcd member',
    'Everything written to the cluster since the snapshot is lost.',
    ...plan.warnings.map((w) => `warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}
