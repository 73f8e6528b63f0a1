// The upgrade plan: plain data from planUpgrade(), rendered by render.ts and walked by the engine.
import type { Step } from '../../engine/step.js';
import type { EtcdGate } from './etcd-gate.js';
import type { MaxUnavailable } from '../../rules/max-unavailable.js';

export interface UpgradeOptions {
  /** --max-unavailable: N agents or N% of them (default 10%). */
  maxUnavailable?: string;
  concurrency: number;
  /** false: --no-drain (no cordon, no drain). */
  drain: boolean;
  /** false: --no-snapshot. */
  snapshot: boolean;
  allowDowngrade: boolean;
  /** Bound of each drain, seconds (kubectl drain --timeout). */
  drainTimeoutSeconds: number;
}

export type UpgradeAction = 'upgrade' | 'uncordon' | 'none';

export interface UpgradeHost {
  name: string;
  role: 'server' | 'agent';
  /** The version its node reports (what runs), else the installed binary's. */
  from: string;
  action: UpgradeAction;
  reason: string;
  /** Agents: which batch (0-based). */
  batch?: number;
}

export interface UpgradePlan {
  cluster: string;
  target: string;
  /** The server the cluster was read from. */
  readFrom: string;
  hosts: UpgradeHost[];
  /** Servers to upgrade, in order, one at a time. */
  servers: string[];
  /** Agents to upgrade, batch by batch. */
  agentBatches: string[][];
  maxUnavailable: MaxUnavailable;
  etcd?: EtcdGate;
  /** The pre-upgrade snapshot, when one is taken. */
  snapshot?: { host: string; name: string };
  drain: boolean;
  drainTimeoutSeconds: number;
  /** What each rule decided, in words, for --dry-run. */
  rules: string[];
  warnings: string[];
  steps: Step[];
}
