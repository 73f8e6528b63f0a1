// The engine: the one walker of a plan's steps for every operation (up, add-node, upgrade,
// remove-node, reset, restore). A step starts once everything it depends on has succeeded, every
// step it comes `after` has ended (any outcome), and its lane has room; a failed step's
// dependents (transitively) are not started; once the signal is aborted nothing new starts,
// while running steps are let finish (an install is never cut).
import { checkSteps, type Step, type StepResult, type StepRun } from './step.js';

export type StepHandler = (step: Step) => Promise<StepResult | void>;

export interface RunStepsOptions {
  /** Handler per action; a step whose action has none is a programming error (TypeError). */
  handlers: Record<string, StepHandler>;
  /** Most steps of a lane running at once (e.g. { agents: 10, servers: 1 }); default unbounded. */
  laneLimits?: Record<string, number>;
  signal?: AbortSignal;
  now?: () => number;
  onStart?: (step: Step) => void;
  onFinish?: (step: Step, run: StepRun) => void;
}

export async function runSteps(steps: readonly Step[], options: RunStepsOptions): Promise<StepRun[]> {
  checkSteps(steps);
  for (const step of steps) {
    if (!options.handlers[step.action]) throw new TypeError(`engine: no handler for action ${step.action} (step ${step.id})`);
  }
  for (const [lane, limit] of Object.entries(options.laneLimits ?? {})) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`engine: lane ${lane} limit must be a positive integer, got ${limit}`);
  }
  const now = options.now ?? Date.now;
  const runs = new Map<string, StepRun>(steps.map((s) => [s.id, { id: s.id, host: s.host, action: s.action, outcome: 'not-started' }]));
  const pending = new Set(steps.map((s) => s.id));
  const finished = new Set<string>();
  const running = new Map<string, number>();
  let active = 0;

  return new Promise<StepRun[]>((resolve) => {
    // Starts or decides every step that can be now, then ends the walk once nothing runs.
    const settle = () => {
      while (startReady());
      if (active > 0) return;
      for (const id of pending) runs.get(id)!.error ??= options.signal?.aborted ? 'interrupted before it started' : 'not reached';
      resolve(steps.map((s) => runs.get(s.id)!));
    };
    // One pass over the steps in plan order; true when it started or decided at least one.
    const startReady = (): boolean => {
      let started = false;
      for (const step of steps) {
        if (!pending.has(step.id)) continue;
        const blocker = step.dependsOn.find((dep) => runs.get(dep)!.outcome === 'failed' || (finished.has(dep) && runs.get(dep)!.outcome === 'not-started'));
        if (blocker !== undefined) {
          pending.delete(step.id);
          finished.add(step.id);
          runs.get(step.id)!.error = `not started: ${blocker} ${runs.get(blocker)!.outcome === 'failed' ? 'failed' : 'did not run'}`;
          started = true;
          continue;
        }
        if (options.signal?.aborted) continue;
        if (!step.dependsOn.every((dep) => finished.has(dep) && runs.get(dep)!.outcome !== 'not-started')) continue;
        if (!(step.after ?? []).every((id) => finished.has(id))) continue;
        const limit = step.lane !== undefined ? options.laneLimits?.[step.lane] : undefined;
        if (limit !== undefined && (running.get(step.lane!) ?? 0) >= limit) continue;
        pending.delete(step.id);
        start(step);
        started = true;
      }
      return started;
    };
    const start = (step: Step) => {
      active++;
      if (step.lane !== undefined) running.set(step.lane, (running.get(step.lane) ?? 0) + 1);
      const run = runs.get(step.id)!;
      const startMs = now();
      run.startedAt = new Date(startMs).toISOString();
      options.onStart?.(step);
      Promise.resolve()
        .then(() => options.handlers[step.action]!(step))
        .then(
          (result) => {
            const changed = result?.changed;
            run.outcome = changed !== undefined && changed !== 'none' ? 'changed' : 'unchanged';
            if (run.outcome === 'changed') run.changed = changed;
          },
          (err: unknown) => {
            run.outcome = 'failed';
            run.error = err instanceof Error ? err.message : String(err);
          },
        )
        .finally(() => {
          const endMs = now();
          run.finishedAt = new Date(endMs).toISOString();
          run.durationMs = Math.round(endMs - startMs);
          active--;
          if (step.lane !== undefined) running.set(step.lane, running.get(step.lane)! - 1);
          finished.add(step.id);
          options.onFinish?.(step, run);
          settle();
        });
    };
    settle();
  });
}
