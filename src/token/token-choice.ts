// The token a run will use, decided from fingerprints only (the planner never sees a cluster's
// token): its source, and the fingerprint each host's config.yaml is compared with.
import { SafetyError } from '../errors.js';
import { tokenFingerprint } from '../facts/k3s-config.js';
import type { FleetFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import type { TokenSource } from '../ops/up/types.js';

/** Members whose installed config was written with a different token than `fingerprint`'s. */
export function fingerprintMismatches(fingerprint: string, members: string[], facts: FleetFacts): string[] {
  return members.filter((name) => {
    const hash = facts.get(name)?.k3s.tokenHash;
    return hash !== undefined && hash !== fingerprint;
  });
}

export interface TokenChoice {
  /** Compared with each host's config.yaml; undefined: no host can be converged (a new token). */
  fingerprint?: string;
  /** The stored token is the one every member holds: a run that installs nothing reads no server. */
  storedMatches: boolean;
}

/** Refuses an inventory token the running members do not use; picks the fingerprint to compare. */
export function chooseTokenFingerprint(inventory: Inventory, members: string[], facts: FleetFacts, storedFingerprint: string | undefined): TokenChoice {
  if (inventory.cluster.token !== undefined) {
    const fingerprint = tokenFingerprint(inventory.cluster.token);
    const wrong = fingerprintMismatches(fingerprint, members, facts);
    if (wrong.length > 0) {
      throw new SafetyError(
        `the inventory's token differs from the one the running cluster uses (on ${wrong.join(', ')})`,
        'a server joined with another token fails ("bootstrap data already found and encrypted with different token"); put the cluster\'s token in the inventory (it is in /var/lib/rancher/k3s/server/token on any server), or remove cluster.token to let fleet read it',
      );
    }
    return { fingerprint, storedMatches: false };
  }
  if (members.length === 0) return { fingerprint: storedFingerprint, storedMatches: storedFingerprint !== undefined };
  const hashes = new Set(members.map((name) => facts.get(name)?.k3s.tokenHash));
  const storedMatches = storedFingerprint !== undefined && hashes.size === 1 && hashes.has(storedFingerprint);
  // The cluster's token is the one its members were written with (when they agree on one).
  const common = hashes.size === 1 ? [...hashes][0] : undefined;
  return { fingerprint: storedMatches ? storedFingerprint : common, storedMatches };
}

/** Where the run's token comes from, once the plan knows whether anything installs. */
export function tokenSource(inventory: Inventory, members: string[], choice: TokenChoice, installs: boolean): TokenSource {
  if (inventory.cluster.token !== undefined) return 'inventory';
  if (members.length > 0) return choice.storedMatches && !installs ? 'stored' : 'cluster';
  return choice.storedMatches ? 'stored' : 'generated';
}
