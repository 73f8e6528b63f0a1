// What every command module receives from main.ts: injected so tests can swap each part.
import type { Environment } from '../inventory/expand-env.js';
import type { FactsGatherer } from '../ops/plan/gather-for-plan.js';
import type { Output } from './output.js';

export interface CommandDeps {
  output: Output;
  env: Environment;
  /** Secrets learnt while running (the token): the error reporter redacts them. */
  secrets: string[];
  gatherFacts: FactsGatherer;
  signal?: AbortSignal;
  /** A command that finished without throwing but with failed hosts sets 1 here. */
  setExitCode?: (code: number) => void;
}
