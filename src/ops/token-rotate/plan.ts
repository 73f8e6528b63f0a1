// planTokenRotate(): inventory hosts + facts + what the servers hold of the token (fingerprints
// only) → the rotation plan. Pure: no I/O, no clock, no token (only fingerprints and the verdict
// of the new token's format). Every refusal is thrown here, before any host changes. Where a
// killed run stopped is read from the hosts: which token the bootstrap data is under, which token
// each config.yaml and each server's token file hold; what is done already is left alone.
import { SafetyError } from '../../errors.js';
import { bootstrapPrefix, type ServerTokenState } from '../../facts/token-state.js';
import { maxUnavailable } from '../../rules/max-unavailable.js';
import { hasTokenRotate, ROTATE_RELEASES } from '../../rules/token-rotate-support.js';
import type { TokenFormat } from '../../token/format.js';
import { buildTokenRotateSteps } from './steps.js';
import type { RotateHost, TokenRotateInput, TokenRotatePlan } from './types.js';

/** "sha256:1a2b3c4d…": enough to tell tokens apart in output, nothing to recover one from. */
export const shortFingerprint = (fingerprint: string | undefined): string => (fingerprint ? `${fingerprint.slice(0, 19)}…` : 'unknown');

function refuseHosts(input: TokenRotateInput): void {
  for (const host of input.hosts) {
    const facts = input.facts.get(host.name);
    if (!facts?.reachable) {
      throw new SafetyError(
        `${host.name} is unreachable (${facts?.error ?? 'no facts'}): every server and agent needs the new token, so the rotation does not start`,
        `bring ${host.name} back (or take it out of the inventory and re-add it later with fleet add-node), then run fleet token rotate again`,
        host.name,
      );
    }
    if (!facts.k3s.installed || !facts.k3s.role) {
      throw new SafetyError(
        `${host.name} does not run K3s: fleet token rotate works on the hosts of a running cluster`,
        `take ${host.name} out of the inventory, or install it first with fleet up`,
        host.name,
      );
    }
  }
  const old = input.hosts.filter((h) => input.facts.get(h.name)?.k3s.role === 'server' && !hasTokenRotate(input.facts.get(h.name)?.k3s.version));
  if (old.length > 0) {
    const versions = old.map((h) => `${h.name} ${input.facts.get(h.name)?.k3s.version ?? 'unknown'}`).join(', ');
    throw new SafetyError(`K3s on ${versions} has no \`k3s token rotate\` (it exists from ${ROTATE_RELEASES})`, 'upgrade the cluster first (fleet upgrade), then rotate the token');
  }
}

function refuseFormat(format: TokenFormat, source: string): void {
  if (!format.ok)
    throw new SafetyError(
      `the new token (${source}) is not one K3s accepts as its server token: ${format.reason}`,
      'give a token of at least 16 letters and digits, or leave out --new-token-file to let fleet generate one',
    );
}

/** Where the cluster's token stands: not rotated yet (old), rotated (new), or neither (refused). */
export function rotationState(input: TokenRotateInput, servers: string[]): 'old' | 'new' {
  const { oldFingerprint, newFingerprint } = input;
  const states = servers.map((s) => input.tokenStates.get(s)).filter((s): s is ServerTokenState => s !== undefined);
  const prefixes = states.find((s) => s.bootstrapPrefixes && s.bootstrapPrefixes.length > 0)?.bootstrapPrefixes;
  if (prefixes) {
    if (prefixes.includes(bootstrapPrefix(newFingerprint))) return 'new';
    if (oldFingerprint && prefixes.includes(bootstrapPrefix(oldFingerprint))) return 'old';
  } else {
    if (states.some((s) => s.tokenFileFingerprint === newFingerprint)) return 'new';
    if (oldFingerprint && states.length > 0 && states.every((s) => s.tokenFileFingerprint === oldFingerprint)) return 'old';
  }
  throw new SafetyError(
    `the cluster's token is not fleet's copy (${input.oldSource}, ${shortFingerprint(oldFingerprint)}) nor the new one: K3s's bootstrap data is encrypted with another token`,
    "put the cluster's current token in the inventory (cluster.tokenFile; it is in /var/lib/rancher/k3s/server/token on any server), then run fleet token rotate again",
  );
}

function judgeServer(input: TokenRotateInput, name: string): RotateHost {
  const config = input.facts.get(name)?.k3s.tokenHash;
  const file = input.tokenStates.get(name)?.tokenFileFingerprint;
  if (config === input.newFingerprint && file === input.newFingerprint) return { name, role: 'server', action: 'none', reason: 'runs with the new token already' };
  if (config === input.newFingerprint) return { name, role: 'server', action: 'restart', reason: 'config.yaml has the new token; K3s not restarted with it yet' };
  return { name, role: 'server', action: 'update', reason: 'new token into config.yaml, then restart' };
}

function judgeAgent(input: TokenRotateInput, name: string): RotateHost {
  const config = input.facts.get(name)?.k3s.tokenHash;
  if (config === input.newFingerprint) return { name, role: 'agent', action: 'none', reason: 'config.yaml has the new token already' };
  if (config === undefined || config === input.oldFingerprint) return { name, role: 'agent', action: 'update', reason: 'joined with the server token: new token into config.yaml, then restart' };
  return { name, role: 'agent', action: 'none', reason: 'uses an agent token of its own: left alone' };
}

function refuseQuorum(input: TokenRotateInput): void {
  if (!input.etcd) return;
  if (!input.etcd.healthy) {
    throw new SafetyError(
      `etcd has no quorum (${input.etcd.arithmetic}): a rotation needs a healthy cluster; nothing was changed`,
      'check fleet status: bring the servers back until etcd has quorum, then run fleet token rotate again',
    );
  }
}

export function planTokenRotate(input: TokenRotateInput): TokenRotatePlan {
  refuseFormat(input.newFormat, input.newSource);
  if (input.oldFingerprint === input.newFingerprint)
    throw new SafetyError('the new token is the token the cluster uses now', 'give another token, or leave out --new-token-file to let fleet generate one');
  refuseHosts(input);
  refuseQuorum(input);
  if (input.local.kind === 'inventory' && !input.newTokenGiven) {
    throw new SafetyError(
      `the token comes from the inventory (${input.local.where}), which fleet cannot change`,
      `write the new token to a file (0600) and pass it with --new-token-file; fleet tells you at the end what to update`,
    );
  }
  const servers = input.hosts.filter((h) => input.facts.get(h.name)?.k3s.role === 'server').map((h) => h.name);
  const agents = input.hosts.filter((h) => input.facts.get(h.name)?.k3s.role === 'agent').map((h) => h.name);
  const rotated = rotationState(input, servers) === 'new';
  const rotateOn = rotated ? undefined : (input.liveServer ?? servers[0]);
  // The server K3s rotates on goes first: it holds the new token in memory already.
  const ordered = rotateOn ? [rotateOn, ...servers.filter((s) => s !== rotateOn)] : servers;
  const serverHosts = ordered.map((name) => judgeServer(input, name));
  const agentHosts = agents.map((name) => judgeAgent(input, name));
  const limit = maxUnavailable(input.maxUnavailable, agents.length, input.concurrency);
  const toUpdate = agentHosts.filter((h) => h.action !== 'none');
  const agentBatches: RotateHost[][] = [];
  for (let i = 0; i < toUpdate.length; i += limit.value) agentBatches.push(toUpdate.slice(i, i + limit.value));
  agentBatches.forEach((batch, index) => batch.forEach((h) => (h.batch = index)));
  const plan: TokenRotatePlan = {
    cluster: input.cluster,
    oldFingerprint: shortFingerprint(input.oldFingerprint),
    newFingerprint: shortFingerprint(input.newFingerprint),
    newSource: input.newSource,
    rotated,
    hosts: [...serverHosts, ...agentHosts],
    maxUnavailable: limit,
    local: input.local,
    steps: buildTokenRotateSteps({ rotateOn, servers: serverHosts, agentBatches, verifyOldToo: input.oldFingerprint !== undefined }),
    warnings: [],
  };
  if (rotateOn) plan.rotateOn = rotateOn;
  if (servers.length === 1) plan.warnings.push(`a single server: the Kubernetes API is down while ${servers[0]} restarts`);
  return plan;
}
