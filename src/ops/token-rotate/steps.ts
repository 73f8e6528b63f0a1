// The rotation's steps as data: `k3s token rotate` on one live server, then each server one at a
// time (config.yaml, restart, wait until Ready with a healthy member), then agents in batches
// (the lane limit is --max-unavailable), then the check with both tokens, then fleet's own copy.
import type { Step } from '../../engine/step.js';
import type { RotateHost } from './types.js';

export const AGENT_LANE = 'token-agents';

function hostSteps(host: RotateHost, after: string[]): { steps: Step[]; last: string } {
  const steps: Step[] = [];
  let previous = after;
  const add = (action: string, changes: boolean, reason: string) => {
    const step: Step = { id: `${action}:${host.name}`, host: host.name, action, changes, reason, dependsOn: previous };
    if (host.role === 'agent') step.lane = AGENT_LANE;
    steps.push(step);
    previous = [step.id];
  };
  if (host.action === 'update') add('write-token', true, 'the new token into /etc/rancher/k3s/config.yaml (0600)');
  add('restart-k3s', true, `systemctl restart ${host.role === 'server' ? 'k3s' : 'k3s-agent'}`);
  add('wait-ready', false, host.role === 'server' ? 'node Ready and its etcd member a healthy voter' : 'node Ready');
  return { steps, last: previous[0]! };
}

export interface TokenRotateStepsInput {
  rotateOn?: string;
  servers: RotateHost[];
  agentBatches: RotateHost[][];
  /** fleet knows the old token: the check asks that it is refused too. */
  verifyOldToo: boolean;
}

export function buildTokenRotateSteps(input: TokenRotateStepsInput): Step[] {
  const steps: Step[] = [];
  let after: string[] = [];
  if (input.rotateOn) {
    const id = `rotate-token:${input.rotateOn}`;
    steps.push({ id, host: input.rotateOn, action: 'rotate-token', changes: true, reason: 'k3s token rotate: bootstrap data re-encrypted with the new token', dependsOn: [] });
    after = [id];
  }
  for (const server of input.servers.filter((h) => h.action !== 'none')) {
    const { steps: own, last } = hostSteps(server, after);
    steps.push(...own);
    after = [last];
  }
  for (const batch of input.agentBatches) {
    const lasts = batch.map((agent) => {
      const { steps: own, last } = hostSteps(agent, after);
      steps.push(...own);
      return last;
    });
    after = lasts;
  }
  const verify: Step = {
    id: 'verify-token:cluster',
    host: 'cluster',
    action: 'verify-token',
    changes: false,
    reason: input.verifyOldToo ? 'every server takes the new token and refuses the old one' : 'every server takes the new token',
    dependsOn: after,
  };
  steps.push(verify);
  steps.push({ id: 'keep-token:local', host: 'local', action: 'keep-token', changes: true, reason: "fleet's copy: the new token kept, the old one kept as .previous", dependsOn: [verify.id] });
  return steps;
}
