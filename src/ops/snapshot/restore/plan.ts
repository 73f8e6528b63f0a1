// `fleet snapshot restore`: pure. Decides whether the snapshot may be restored onto the cluster
// the facts show (refusals, exit 3), which server is reset from it, the order the others rejoin in,
// and the steps: stop everything → reset one from the snapshot → start it → each other server
// rejoins with its etcd data moved aside, one at a time → agents restart → node objects of hosts
// gone from the inventory are deleted → verify.
import { urlHost } from '../../../facts/etcd-members.js';
import type { Step } from '../../../engine/step.js';
import { SafetyError } from '../../../errors.js';
import type { FleetFacts } from '../../../facts/types.js';
import type { HostSpec } from '../../../inventory/types.js';
import type { SnapshotRecord } from '../record.js';
import { parseK3sVersion } from '../../../rules/version-order.js';

export interface RestoreInput {
  cluster: string;
  hosts: Array<Pick<HostSpec, 'name' | 'address'>>;
  facts: FleetFacts;
  record: SnapshotRecord;
  /** sha256 of the snapshot file as it is now on the controller. */
  fileSha256: string;
  /** Fingerprint of the inventory's token, when it sets one. */
  inventoryTokenFingerprint?: string;
  /** A file fleet keeps a token in whose fingerprint is the snapshot's (a token rotated out since). */
  keptTokenFile?: string;
}

export interface RestorePlan {
  /** The server reset from the snapshot. */
  target: string;
  /** The other servers, in the order they rejoin. */
  rejoining: string[];
  agents: string[];
  /** The snapshot needs a token fleet kept (rotated out since): written to every host first. */
  tokenFrom?: string;
  /** Inventory hosts without K3s: left alone (fleet up adds them afterwards). */
  untouched: string[];
  /** Node objects in the snapshot for hosts the inventory no longer has: deleted after the restore. */
  staleNodes: string[];
  warnings: string[];
  steps: Step[];
}

export function planSnapshotRestore(input: RestoreInput): RestorePlan {
  refuseSnapshotProblems(input);
  const installed = (name: string) => input.facts.get(name)?.k3s.installed === true;
  const unreachable = input.hosts.filter((h) => input.facts.get(h.name)?.reachable !== true).map((h) => h.name);
  const servers = input.hosts.filter((h) => installed(h.name) && input.facts.get(h.name)?.k3s.role === 'server');
  const agents = input.hosts.filter((h) => installed(h.name) && input.facts.get(h.name)?.k3s.role === 'agent').map((h) => h.name);
  if (unreachable.length > 0) {
    throw new SafetyError(
      `cannot reach ${unreachable.join(', ')}: a restore must stop K3s on every host first, or a server left running keeps the old cluster alive beside the restored one`,
      'bring the hosts back (or remove them from the inventory) and run the restore again',
    );
  }
  if (servers.length === 0) throw new SafetyError('no host of the inventory runs a K3s server: there is no cluster to restore into', 'on hosts without K3s, use fleet up --restore-from SNAPSHOT');
  const switchToken = refuseTokenMismatch(
    input,
    servers.map((s) => s.name),
  );
  refuseNewerMinor(
    input,
    servers.map((s) => s.name),
  );
  const { target, rejoining } = serverOrder(input, servers);
  const inventoryNames = new Set(input.hosts.map((h) => h.name));
  const staleNodes = input.record.nodes.filter((node) => !inventoryNames.has(node));
  const untouched = input.hosts.filter((h) => !installed(h.name)).map((h) => h.name);
  const warnings =
    untouched.length > 0
      ? [
          `${untouched.join(', ')} ${untouched.length === 1 ? 'has' : 'have'} no K3s and ${untouched.length === 1 ? 'is' : 'are'} left alone: run fleet up afterwards to add ${untouched.length === 1 ? 'it' : 'them'}`,
        ]
      : [];
  const added = agents.filter((name) => !input.record.nodes.includes(name));
  if (added.length > 0)
    warnings.push(
      `${added.join(', ')} joined after the snapshot: ${added.length === 1 ? 'its node object is' : 'their node objects are'} not in it, and ${added.length === 1 ? 'registers' : 'register'} again when restarted (labels and taints set by hand since are lost)`,
    );
  const steps = restoreSteps(
    target,
    servers.map((s) => s.name),
    rejoining,
    agents,
    staleNodes,
    input.record.name,
  );
  const plan: RestorePlan = { target, rejoining, agents, untouched, staleNodes, warnings, steps: switchToken ? withKeptToken(steps, input.keptTokenFile!) : steps };
  if (switchToken) plan.tokenFrom = input.keptTokenFile!;
  return plan;
}

/** The snapshot's token (kept by fleet) into every stopped host's config.yaml before the reset; fleet's copy follows. */
function withKeptToken(steps: Step[], file: string): Step[] {
  const writes: Step[] = steps
    .filter((s) => s.action === 'stop-k3s')
    .map((stop) => ({
      id: `write-token:${stop.host}`,
      host: stop.host,
      action: 'write-token',
      changes: true,
      reason: `the snapshot's token (kept in ${file}) into config.yaml`,
      dependsOn: [stop.id],
    }));
  const out = steps.map((s) => (s.action === 'cluster-reset' ? { ...s, dependsOn: [...s.dependsOn, ...writes.map((w) => w.id)] } : s));
  const reset = out.find((s) => s.action === 'cluster-reset')!;
  const keep: Step = {
    id: 'keep-token:local',
    host: 'local',
    action: 'keep-token',
    changes: true,
    reason: `fleet's copy becomes the snapshot's token; the one replaced is kept as .previous`,
    dependsOn: [reset.id],
  };
  const index = out.indexOf(reset);
  return [...out.slice(0, index), ...writes, ...out.slice(index), keep];
}

function refuseSnapshotProblems(input: RestoreInput): void {
  const { record } = input;
  if (input.fileSha256 !== record.sha256) {
    throw new SafetyError(
      `the snapshot file ${record.name} does not match its record: sha256 ${input.fileSha256}, recorded ${record.sha256}`,
      'the file was changed or damaged since it was saved; restore another snapshot, or a good copy of this one',
    );
  }
  if (record.cluster !== input.cluster) {
    throw new SafetyError(`${record.name} was taken from cluster ${record.cluster}, not ${input.cluster}`, 'restore a snapshot of this cluster, or use the inventory of the cluster it came from');
  }
}

/** Refuses a token K3s could not open the snapshot with; true when the token fleet kept must be written first. */
function refuseTokenMismatch(input: RestoreInput, servers: string[]): boolean {
  const expected = input.record.tokenFingerprint;
  const differing = servers.filter((name) => input.facts.get(name)?.k3s.tokenHash !== expected);
  const inventoryDiffers = input.inventoryTokenFingerprint !== undefined && input.inventoryTokenFingerprint !== expected;
  if (differing.length > 0 && !inventoryDiffers && input.keptTokenFile !== undefined) return true;
  if (inventoryDiffers) differing.unshift('the inventory (cluster.token)');
  if (differing.length > 0) {
    const needs = `It needs the token with fingerprint ${expected.slice(0, 19)}…, ${input.keptTokenFile ? `which fleet keeps in ${input.keptTokenFile}` : 'and fleet keeps no copy with that fingerprint (.fleet/<cluster>/token and its token.<date>.previous files)'}`;
    throw new SafetyError(
      `the token that would be used (${differing.join(', ')}) is not the one ${input.record.name} was taken with: K3s could not decrypt the snapshot's bootstrap data ("bootstrap data already found and encrypted with different token"). ${needs}`,
      input.keptTokenFile
        ? `point cluster.tokenFile at ${input.keptTokenFile} (or remove cluster.token) for the restore`
        : 'restore with the token the cluster had when the snapshot was taken: set cluster.token to it and run fleet up first, then the restore',
    );
  }
  return false;
}

/** K3s restores onto the same or a newer minor only. */
function refuseNewerMinor(input: RestoreInput, servers: string[]): void {
  const taken = parseK3sVersion(input.record.k3sVersion);
  for (const name of servers) {
    const version = input.facts.get(name)?.k3s.version;
    const running = version ? parseK3sVersion(version) : undefined;
    if (!taken || !running) continue;
    if (taken[0]! > running[0]! || (taken[0] === running[0] && taken[1]! > running[1]!)) {
      throw new SafetyError(
        `${input.record.name} was taken on K3s ${input.record.k3sVersion}, a newer minor than ${version} on ${name}: K3s cannot restore a snapshot onto an older minor`,
        `upgrade the cluster to ${input.record.k3sVersion.replace(/^(v?\d+\.\d+).*$/, '$1')} first (fleet upgrade), then restore`,
      );
    }
  }
}

/** The reset server needs no join URL (cluster-init, or none); each other joins through one already up. */
function serverOrder(input: RestoreInput, servers: Array<Pick<HostSpec, 'name' | 'address'>>): { target: string; rejoining: string[] } {
  const config = (name: string) => input.facts.get(name)?.k3s.config ?? {};
  const joinsThrough = (name: string): string | undefined => {
    const url = config(name)['server'];
    if (typeof url !== 'string') return undefined;
    const address = urlHost(url);
    return servers.find((s) => s.address === address || s.name === address)?.name ?? `${address} (not a server of the inventory)`;
  };
  const target =
    servers.find((s) => config(s.name)['cluster-init'] === true || String(config(s.name)['cluster-init']) === 'true')?.name ??
    servers.find((s) => joinsThrough(s.name) === undefined)?.name ??
    servers[0]!.name;
  const up = new Set([target]);
  const rejoining: string[] = [];
  let rest = servers.map((s) => s.name).filter((n) => n !== target);
  while (rest.length > 0) {
    const next = rest.find((name) => joinsThrough(name) === undefined || up.has(joinsThrough(name)!));
    if (!next) {
      const stuck = rest.map((name) => `${name} joins through ${joinsThrough(name)}`).join('; ');
      throw new SafetyError(`after the restore, these servers could not rejoin: ${stuck}`, "run fleet up first so that every server's config.yaml points at a server of the inventory");
    }
    rejoining.push(next);
    up.add(next);
    rest = rest.filter((n) => n !== next);
  }
  return { target, rejoining };
}

function restoreSteps(target: string, servers: string[], rejoining: string[], agents: string[], staleNodes: string[], snapshot: string): Step[] {
  const stops: Step[] = [...servers, ...agents].map((host) => ({
    id: `stop-k3s:${host}`,
    host,
    action: 'stop-k3s',
    changes: true,
    reason: 'every K3s stops before etcd is reset',
    dependsOn: [],
  }));
  const upload: Step = { id: `upload-snapshot:${target}`, host: target, action: 'upload-snapshot', changes: true, reason: `copy ${snapshot} to the server that is reset from it`, dependsOn: [] };
  const reset: Step = {
    id: `cluster-reset:${target}`,
    host: target,
    action: 'cluster-reset',
    changes: true,
    reason: 'k3s server --cluster-reset --cluster-reset-restore-path (old etcd data moved aside by K3s)',
    dependsOn: [...stops.map((s) => s.id), upload.id],
  };
  const start: Step = { id: `start-server:${target}`, host: target, action: 'start-server', changes: true, reason: 'start the restored single member and wait for it', dependsOn: [reset.id] };
  const chain: Step[] = [];
  let previous = start.id;
  for (const host of rejoining) {
    const step: Step = {
      id: `rejoin-server:${host}`,
      host,
      action: 'rejoin-server',
      changes: true,
      reason: 'move its etcd data aside (kept), start it so it rejoins, wait (one at a time: etcd admits one learner)',
      dependsOn: [previous],
    };
    chain.push(step);
    previous = step.id;
  }
  const agentSteps: Step[] = agents.map((host) => ({
    id: `start-agent:${host}`,
    host,
    action: 'start-agent',
    changes: true,
    reason: 'restart the agent against the restored cluster',
    dependsOn: [previous],
    lane: 'agents',
  }));
  const deletes: Step[] = staleNodes.map((node) => ({
    id: `delete-node:${node}`,
    host: target,
    action: 'delete-node',
    changes: true,
    reason: `the snapshot has a node ${node}, which the inventory no longer lists`,
    dependsOn: [previous],
  }));
  const verify: Step = {
    id: 'verify:cluster',
    host: 'cluster',
    action: 'verify',
    changes: false,
    reason: 'every node Ready, every server a voting etcd member',
    dependsOn: [...agentSteps, ...deletes].map((s) => s.id).concat(agentSteps.length + deletes.length === 0 ? [previous] : []),
  };
  return [...stops, upload, reset, start, ...chain, ...agentSteps, ...deletes, verify];
}
