// One run context for an operation's phases: inventory, facts, the plan, transports, log,
// progress and the report being recorded. Phases read and fill it; nothing else is shared.
import type { OperationDeps } from '../operation-deps.js';
import type { RestoreFromHook } from './restore-from.js';
import type { MergeOptions } from '../../state/kubeconfig-merge.js';
import type { HealthyMember } from '../../facts/live-server.js';
import type { StepRun } from '../../engine/step.js';
import type { Progress } from '../../engine/progress.js';
import type { HostReport, ReportRecorder, RunReport } from '../../engine/report.js';
import type { DiskProbeOptions } from '../../facts/disk-probe.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import type { Plan, PlannedHost } from './types.js';
import type { VerifyResult } from '../../actions/check-cluster-view.js';

export interface UpDeps extends OperationDeps {
  /** Ask a person (stale etcd members); absent without a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface UpOptions {
  concurrency?: number;
  /** Merge the kubeconfig into the user's (~/.kube/config) with these options; absent: no merge. */
  merge?: MergeOptions;
  /** The kubeconfig's cluster, user and context name (default: the cluster's name). */
  contextName?: string;
  /** How long one server may take to become ready. */
  serverTimeoutMs?: number;
  /** How long agents may take to become Ready after their install. */
  agentTimeoutMs?: number;
  /** Disk probe bounds. */
  diskProbe?: DiskProbeOptions;
  command?: string;
  /** Confirm the removal of stale etcd members without asking (--yes). */
  yes?: boolean;
  /** --restore-from: the first server is reset from a snapshot before anything joins it. */
  restoreFrom?: RestoreFromHook;
}

export interface UpResult {
  report: RunReport;
  plan?: Plan;
  verify?: VerifyResult;
}

export interface RunContext {
  /** A refusal raised by a step (the registration address check): the run exits 3 with it. */
  refusal?: unknown;
  inventory: Inventory;
  deps: UpDeps;
  options: UpOptions;
  progress: Progress;
  recorder: ReportRecorder;
  facts: FleetFacts;
  live?: HealthyMember;
  plan: Plan;
  planned: Map<string, PlannedHost>;
  reports: Map<string, HostReport>;
  /** The token, once resolved (only when some step installs). */
  token?: string;
  /** Steps that have ended so far, by id (the engine's onFinish). */
  ended: Map<string, StepRun>;
  clusterChanges: string[];
  verify?: VerifyResult;
  kubeconfigPath?: string;
}

export const interrupted = (ctx: RunContext): boolean => ctx.deps.signal?.aborted === true;
