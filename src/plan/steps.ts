// The ordered step list: preflight everywhere, disk gate on new servers, the first server, the
// other servers strictly one after another (etcd admits one learner at a time), agents in
// parallel — by default as soon as the first server is ready, overlapping the server joins, since
// an agent only needs one server to register with — then one cluster-wide verify.
import type { PlanStep } from './types.js';

export interface StepInput {
  allHosts: string[];
  firstServer: string;
  newCluster: boolean;
  /** Members that already run (facts); they get no install step. */
  existingServers: string[];
  joiningServers: string[];
  agents: string[];
  /** Agents start after the first server (default) or after every server has joined. */
  agentsWaitFor?: 'first-server' | 'all-servers';
}

export function buildSteps(input: StepInput): PlanStep[] {
  const steps: PlanStep[] = [];
  const add = (step: PlanStep) => {
    steps.push(step);
    return step.id;
  };
  const existing = new Set(input.existingServers);
  if (!input.newCluster) existing.add(input.firstServer);

  for (const host of input.allHosts) {
    add({ id: `preflight:${host}`, host, kind: 'preflight', phase: 'preflight', dependsOn: [], description: 'check login, sudo, architecture, memory cgroup, free space and clock' });
  }
  const gated = [input.firstServer, ...input.joiningServers].filter((host) => !existing.has(host));
  for (const host of gated) {
    add({ id: `disk-gate:${host}`, host, kind: 'disk-gate', phase: 'disk-gate', dependsOn: [`preflight:${host}`], description: 'measure fdatasync p99 on the etcd disk; refuse a slow disk' });
  }
  const gateOf = (host: string) => (gated.includes(host) ? [`disk-gate:${host}`] : [`preflight:${host}`]);

  const firstServerStep = input.newCluster ? `install-first-server:${input.firstServer}` : `existing-server:${input.firstServer}`;
  let lastServerStep = input.newCluster
    ? add({ id: `install-first-server:${input.firstServer}`, host: input.firstServer, kind: 'install-first-server', phase: 'first-server', dependsOn: gateOf(input.firstServer), description: 'install K3s with cluster-init and wait until the node is Ready' })
    : add({ id: `existing-server:${input.firstServer}`, host: input.firstServer, kind: 'existing-server', phase: 'first-server', dependsOn: gateOf(input.firstServer), description: 'already a cluster member: check it is healthy; no cluster-init' });
  for (const host of input.existingServers.filter((name) => name !== input.firstServer)) {
    add({ id: `existing-server:${host}`, host, kind: 'existing-server', phase: 'first-server', dependsOn: [`preflight:${host}`], description: 'already a cluster member: check it is healthy' });
  }
  for (const host of input.joiningServers) {
    lastServerStep = add({
      id: `join-server:${host}`,
      host,
      kind: 'join-server',
      phase: 'join-servers',
      dependsOn: [lastServerStep, ...gateOf(host)],
      description: `install K3s as a server joining ${input.firstServer}; wait until etcd has promoted it before the next server`,
    });
  }
  const agentsAfter = input.agentsWaitFor === 'all-servers' ? lastServerStep : firstServerStep;
  const agentSteps = input.agents.map((host) =>
    add({ id: `join-agent:${host}`, host, kind: 'join-agent', phase: 'join-agents', dependsOn: [agentsAfter, `preflight:${host}`], description: 'install K3s as an agent and wait until the node is Ready' }),
  );
  add({ id: 'verify:cluster', host: input.firstServer, kind: 'verify', phase: 'verify', dependsOn: [lastServerStep, ...agentSteps], description: 'check every node is Ready and every server is an etcd voting member' });
  return steps;
}
