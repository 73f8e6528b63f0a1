// The Plan: plain data from plan(), rendered by render-*.ts and consumed by the executor.
// It never holds the token: config maps carry TOKEN_PLACEHOLDER, which the executor fills in.
import type { FlagMap } from '../inventory/types.js';

/** Stands for the cluster token wherever a plan or its output would show it. */
export const TOKEN_PLACEHOLDER = '<redacted>';

export type PlannedRole = 'server' | 'agent';

export type Phase = 'preflight' | 'disk-gate' | 'first-server' | 'join-servers' | 'join-agents' | 'verify';

export type StepKind =
  | 'preflight'
  | 'disk-gate'
  | 'install-first-server'
  | 'existing-server'
  | 'join-server'
  | 'join-agent'
  | 'verify';

export interface PlanStep {
  /** Unique and stable: `<kind>:<host>`, or `verify:cluster`. */
  id: string;
  /** Inventory host name; `verify` runs against the first server. */
  host: string;
  kind: StepKind;
  phase: Phase;
  /** Step ids that must have succeeded first. Phases are also barriers, in PHASE_ORDER. */
  dependsOn: string[];
  description: string;
}

/** Why a host got its role, for people reading the plan. */
export type RoleReason =
  | 'inventory'
  | 'existing-member'
  | 'auto:fsync'
  | 'auto:disk-hint'
  | 'auto:not-needed'
  | 'auto:slow-disk';

export interface PlannedHost {
  name: string;
  address: string;
  role: PlannedRole;
  reason: RoleReason;
  /** The contents of /etc/rancher/k3s/config.yaml (token as TOKEN_PLACEHOLDER). */
  config: FlagMap;
  /** `https://…:6443` this host joins through; absent for the first server. */
  joinUrl?: string;
  /** Measured fdatasync p99 when facts had it. */
  fsyncP99Ms?: number;
  disk?: string;
}

export interface PlanWarning {
  code: 'single-server' | 'even-servers' | 'slow-disk-hint' | 'slow-disk' | 'existing-cluster' | 'no-token';
  host?: string;
  message: string;
}

export interface Plan {
  cluster: string;
  /** dry-run: planned from the inventory alone; facts: with gathered facts. */
  basis: 'dry-run' | 'facts';
  k3s: { version?: string; channel?: string };
  /** Where joining nodes get the token: the inventory, or read from the first server once it runs. */
  token: 'inventory' | 'first-server';
  registrationAddress?: string;
  /** Facts showed a running cluster: no cluster-init step, new servers join a member. */
  existingCluster: boolean;
  firstServer: string;
  joiningServers: string[];
  /** Servers facts show already in the cluster (other than firstServer): nothing to install. */
  existingServers: string[];
  agents: string[];
  servers: number;
  quorum: number;
  faultTolerance: number;
  /** Agents join this many at a time. */
  concurrency: number;
  hosts: PlannedHost[];
  steps: PlanStep[];
  warnings: PlanWarning[];
}

export const PHASE_ORDER: readonly Phase[] = ['preflight', 'disk-gate', 'first-server', 'join-servers', 'join-agents', 'verify'];
