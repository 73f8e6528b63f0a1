// A step is data: what one operation will do on one host, and what must have finished first.
// Planners (src/plan) produce them, `fleet plan --json` prints them, and the engine
// (run-steps.ts) walks exactly them: what a run does is decided once, in the plan.

export interface Step {
  /** Unique within a plan and stable across runs: `<action>:<host>` by convention. */
  id: string;
  /** Inventory host name, or `cluster` for a step that acts on the cluster as a whole. */
  host: string;
  /** What the step does; the engine looks up its handler by this name. */
  action: string;
  /** True when the step changes a host or the cluster; false for checks and waits. */
  changes: boolean;
  /** Why the planner put this step in, for people reading the plan. */
  reason?: string;
  /** Step ids that must have succeeded before this one starts. */
  dependsOn: string[];
  /**
   * Step ids that must have ended (in any outcome, or been passed over) before this one starts:
   * ordering only, e.g. verify runs after every install, whether each one succeeded or not.
   */
  after?: string[];
  /**
   * Steps that share a lane run at most the lane's limit at a time (agents: the bounded queue;
   * servers: one at a time). No lane: limited by dependsOn alone.
   */
  lane?: string;
}

export type StepOutcome = 'changed' | 'unchanged' | 'failed' | 'not-started';

/** What the engine reports for each step: the same id as in the plan, with outcome and times. */
export interface StepRun {
  id: string;
  host: string;
  action: string;
  outcome: StepOutcome;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** What changed (handler's word), e.g. "config install"; absent when nothing did. */
  changed?: string;
  /** Why the step failed, or why it never started (a failed dependency, an interruption). */
  error?: string;
}

/** What a handler may return: what it changed ("none" or absent: nothing). */
export interface StepResult {
  changed?: string;
}

/** Throws a TypeError when ids repeat, a dependency is unknown, or the steps form a cycle. */
export function checkSteps(steps: readonly Step[]): void {
  const ids = new Set<string>();
  for (const step of steps) {
    if (ids.has(step.id)) throw new TypeError(`steps: id ${step.id} appears twice`);
    ids.add(step.id);
  }
  for (const step of steps) {
    for (const dep of prerequisites(step)) if (!ids.has(dep)) throw new TypeError(`steps: ${step.id} depends on unknown step ${dep}`);
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new TypeError(`steps: cycle ${[...path, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const dep of prerequisites(byId.get(id)!)) visit(dep, [...path, id]);
    state.set(id, 'done');
  };
  for (const step of steps) visit(step.id, []);
}

/** Every step id that must come before `step`: its dependencies and its ordering-only `after`. */
export function prerequisites(step: Step): string[] {
  return [...step.dependsOn, ...(step.after ?? [])];
}

/** The steps that change something: what `fleet plan` promises and the run report must match. */
export function changingSteps(steps: readonly Step[]): Step[] {
  return steps.filter((s) => s.changes);
}
