// Benchmark 7, upgrade: `fleet upgrade` of 3 servers + N agents (v1.31 → v1.32 of the stand-in)
// on a fresh lab, its wall time against the critical path of its remote steps: the longest chain
// through the plan's dependsOn (from `--dry-run --json`, the same step ids), each step weighted by
// the time it took in the run report. The rest is fleet's own: start-up, facts, the plan, gaps.
import { labInventory } from '../test/e2e/lab-inventory.js';
import type { Lab } from '../test/lab/lab.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetJson } from './support/fleet-cli.js';
import { hostCount, withLab } from './support/lab.js';

const FROM = 'v1.31.4+k3s1';
const TO = 'v1.32.1+k3s1';

interface PlanStep {
  id: string;
  dependsOn: string[];
}
interface StepRun {
  id: string;
  outcome: string;
  startedAt?: string;
  durationMs?: number;
}

export interface UpgradeBench {
  hosts: number;
  agents: number;
  concurrency: number;
  maxUnavailable: number;
  batches: number;
  wallMs: number;
  criticalPathMs: number;
  /** wall / critical path: the target is ≤ 1.10. */
  ratio: number;
  /** Parts of the critical path: the snapshot, the servers, the agent batches. */
  snapshotMs: number;
  serversMs: number;
  agentBatchesMs: number;
  /** Where wall − critical path goes: before the first step (start-up, facts, cluster view, plan), after the last (report, exit), and in between. */
  overhead: { beforeStepsMs: number; afterStepsMs: number; betweenMs: number };
  /** Mean duration per step action, over every host. */
  meanStepMs: Record<string, number>;
  upWallMs: number;
}

/** Longest chain through `steps` by dependsOn, each step weighing its duration. */
export function longestPath(steps: readonly PlanStep[], durations: Map<string, number>): { ms: number; path: string[] } {
  const best = new Map<string, { ms: number; path: string[] }>();
  const visit = (step: PlanStep): { ms: number; path: string[] } => {
    const known = best.get(step.id);
    if (known) return known;
    let before = { ms: 0, path: [] as string[] };
    for (const dep of step.dependsOn) {
      const chain = visit(steps.find((s) => s.id === dep)!);
      if (chain.ms > before.ms) before = chain;
    }
    const result = { ms: before.ms + (durations.get(step.id) ?? 0), path: [...before.path, step.id] };
    best.set(step.id, result);
    return result;
  };
  let longest = { ms: 0, path: [] as string[] };
  for (const step of steps) {
    const chain = visit(step);
    if (chain.ms > longest.ms) longest = chain;
  }
  return longest;
}

function writeInventory(lab: Lab, version: string): string {
  const roles = Object.fromEntries(lab.hosts.map((h, i) => [h.name, i < 3 ? 'server' : 'agent']));
  const file = join(lab.dir, `upgrade-${version}.yaml`);
  writeFileSync(file, labInventory(lab, roles, { k3sVersion: version }));
  return file;
}

export async function benchUpgrade(agents: number, concurrency = 20): Promise<UpgradeBench> {
  return withLab({ hosts: hostCount(agents) }, async (lab) => {
    const up = await fleetJson<{ exitCode: number }>(['up', writeInventory(lab, FROM), '--concurrency', String(concurrency)], 900_000);
    if (up.json.exitCode !== 0) throw new Error(`upgrade bench: fleet up exited ${up.json.exitCode}:\n${up.run.stderr.slice(-2000)}`);
    const inventory = writeInventory(lab, TO);
    const plan = await fleetJson<{ steps: PlanStep[]; maxUnavailable: { value: number }; agentBatches: string[][] }>(['upgrade', inventory, '--dry-run', '--concurrency', String(concurrency)]);
    const { run, json } = await fleetJson<{ exitCode: number; steps: StepRun[] }>(['upgrade', inventory, '--yes', '--concurrency', String(concurrency)], 1_800_000);
    if (json.exitCode !== 0) throw new Error(`upgrade bench: fleet upgrade exited ${json.exitCode}:\n${run.stderr.slice(-2000)}`);
    const durations = new Map(json.steps.map((s) => [s.id, s.durationMs ?? 0]));
    const critical = longestPath(plan.json.steps, durations);
    const sum = (ids: string[]) => ids.reduce((t, id) => t + (durations.get(id) ?? 0), 0);
    const servers = new Set(lab.hosts.slice(0, 3).map((h) => h.name));
    const onPath = critical.path.map((id) => ({ id, host: id.split(':')[1]! }));
    const byAction = new Map<string, number[]>();
    for (const step of json.steps) byAction.set(step.id.split(':')[0]!, [...(byAction.get(step.id.split(':')[0]!) ?? []), step.durationMs ?? 0]);
    const starts = json.steps.filter((st) => st.startedAt).map((st) => Date.parse(st.startedAt!));
    const ends = json.steps.filter((st) => st.startedAt).map((st) => Date.parse(st.startedAt!) + (st.durationMs ?? 0));
    const beforeStepsMs = Math.min(...starts) - run.startedAtMs;
    const afterStepsMs = run.startedAtMs + run.wallMs - Math.max(...ends);
    const result: UpgradeBench = {
      overhead: { beforeStepsMs: Math.round(beforeStepsMs), afterStepsMs: Math.round(afterStepsMs), betweenMs: Math.round(run.wallMs - critical.ms - beforeStepsMs - afterStepsMs) },
      hosts: lab.hosts.length,
      agents,
      concurrency,
      maxUnavailable: plan.json.maxUnavailable.value,
      batches: plan.json.agentBatches.length,
      wallMs: run.wallMs,
      criticalPathMs: critical.ms,
      ratio: Math.round((run.wallMs / critical.ms) * 100) / 100,
      snapshotMs: sum(onPath.filter((s) => s.id.startsWith('etcd-snapshot:')).map((s) => s.id)),
      serversMs: sum(onPath.filter((s) => servers.has(s.host) && !s.id.startsWith('etcd-snapshot:')).map((s) => s.id)),
      agentBatchesMs: sum(onPath.filter((s) => !servers.has(s.host)).map((s) => s.id)),
      meanStepMs: Object.fromEntries([...byAction].map(([action, list]) => [action, Math.round(list.reduce((a, b) => a + b, 0) / list.length)])),
      upWallMs: up.run.wallMs,
    };
    console.error(`upgrade: ${result.hosts} hosts, wall ${Math.round(result.wallMs)} ms, critical path ${result.criticalPathMs} ms, ${result.ratio}×`);
    return result;
  });
}
