// Which token this run uses, in order: the inventory's; the running cluster's (read from a server
// over SSH, root-only file); the one fleet generated earlier for this cluster; a new one.
import { SafetyError } from '../errors.js';
import { tokenFingerprint } from '../facts/k3s-config.js';
import type { FleetFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import type { Transport } from '../ssh/transport.js';
import { generateToken, readStoredToken, storeToken } from './store.js';

export interface ResolvedToken {
  token: string;
  source: 'inventory' | 'cluster' | 'stored' | 'generated';
}

/** Members whose installed config was written with a different token than `token`. */
export function tokenMismatches(token: string, members: string[], facts: FleetFacts): string[] {
  const expected = tokenFingerprint(token);
  return members.filter((name) => {
    const hash = facts.get(name)?.k3s.tokenHash;
    return hash !== undefined && hash !== expected;
  });
}

export async function resolveToken(
  inventory: Inventory,
  members: string[],
  facts: FleetFacts,
  transportFor: (name: string) => Promise<Transport>,
  storedTokenFile: string,
  options: { installsNothingWith?: (token: string) => boolean } = {},
): Promise<ResolvedToken> {
  if (inventory.cluster.token !== undefined) {
    const wrong = tokenMismatches(inventory.cluster.token, members, facts);
    if (wrong.length > 0) {
      throw new SafetyError(
        `the inventory's token differs from the one the running cluster uses (on ${wrong.join(', ')})`,
        'a server joined with another token fails ("bootstrap data already found and encrypted with different token"); put the cluster\'s token in the inventory (it is in /var/lib/rancher/k3s/server/token on any server), or remove cluster.token to let fleet read it',
      );
    }
    return { token: inventory.cluster.token, source: 'inventory' };
  }
  // A converged run installs nothing, so it needs no more than the token's fingerprint: when the
  // stored token is the one every member's config.yaml holds, the server's token file (a round
  // trip on every run) is not read. Anything that joins still gets the cluster's full token,
  // K10<CA hash>::server:<secret>, which makes the joining node check the cluster's CA.
  const storedFirst = members.length > 0 && options.installsNothingWith ? readStoredToken(storedTokenFile) : undefined;
  if (storedFirst && members.every((name) => facts.get(name)?.k3s.tokenHash === tokenFingerprint(storedFirst)) && options.installsNothingWith!(storedFirst)) {
    return { token: storedFirst, source: 'stored' };
  }
  for (const name of members) {
    try {
      const transport = await transportFor(name);
      const result = await transport.exec('cat /var/lib/rancher/k3s/server/token', { sudo: true, timeoutMs: 20_000 });
      const token = result.stdout.trim();
      if (result.exitCode === 0 && token.length > 0) return { token, source: 'cluster' };
    } catch {
      // Try the next member: any server of the cluster holds the token.
    }
  }
  if (members.length > 0) {
    const stored = readStoredToken(storedTokenFile);
    if (stored && tokenMismatches(stored, members, facts).length === 0) return { token: stored, source: 'stored' };
    throw new SafetyError(`a cluster runs on ${members.join(', ')} but fleet could not read its token from any of them`, "set cluster.token (or tokenFile) in the inventory to the cluster's token");
  }
  const stored = readStoredToken(storedTokenFile);
  if (stored) return { token: stored, source: 'stored' };
  const token = generateToken();
  storeToken(storedTokenFile, token);
  return { token, source: 'generated' };
}
