// The token rotation's input and plan: plain data, fingerprints only (never a token).
import type { Step } from '../../engine/step.js';
import type { FleetFacts } from '../../facts/types.js';
import type { ServerTokenState } from '../../facts/token-state.js';
import type { MaxUnavailable } from '../../rules/max-unavailable.js';
import type { TokenFormat } from '../../token/format.js';
import type { LocalCopy } from '../../token/rotation.js';

export type { LocalCopy };

export interface TokenRotateInput {
  cluster: string;
  hosts: Array<{ name: string; address: string }>;
  facts: FleetFacts;
  tokenStates: Map<string, ServerTokenState>;
  /** Quorum as read from a healthy member; undefined for a single server on SQLite. */
  etcd?: { healthy: boolean; arithmetic: string };
  /** A server whose etcd member answered healthy: where K3s rotates. */
  liveServer?: string;
  /** Fingerprint of the token fleet knows the cluster by; undefined when fleet has no copy. */
  oldFingerprint?: string;
  oldSource: string;
  newFingerprint: string;
  newFormat: TokenFormat;
  /** Generated, --new-token-file, FLEET_NEW_TOKEN, or the pending copy of a killed run. */
  newSource: string;
  /** The new token came from the user (--new-token-file or FLEET_NEW_TOKEN). */
  newTokenGiven: boolean;
  local: LocalCopy;
  maxUnavailable?: string;
  concurrency: number;
}

export interface RotateHost {
  name: string;
  role: 'server' | 'agent';
  /** update: config.yaml then restart; restart: config done, restart only; none: left alone. */
  action: 'update' | 'restart' | 'none';
  reason: string;
  batch?: number;
}

export interface TokenRotatePlan {
  cluster: string;
  oldFingerprint: string;
  newFingerprint: string;
  newSource: string;
  /** K3s's bootstrap data is under the new token already (a killed run): no second rotation. */
  rotated: boolean;
  rotateOn?: string;
  hosts: RotateHost[];
  maxUnavailable: MaxUnavailable;
  local: LocalCopy;
  warnings: string[];
  steps: Step[];
}
