// The upgrade plan walked by the engine with handlers that only record: the order the rules ask
// for holds under the engine's real scheduling (not only in the dependsOn lists).
import { expect } from 'chai';
import { runSteps } from '../../../../src/engine/run-steps.js';
import type { Step } from '../../../../src/engine/step.js';
import { AGENT_LANE, buildUpgradeSteps } from '../../../../src/ops/upgrade/steps.js';

const SERVERS = ['s-1', 's-2', 's-3'];
const AGENTS = ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6', 'a-7'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('plan: upgrade steps on the engine', () => {
  it('restarts one server at a time, touches no agent before the last server, keeps at most max-unavailable agents cordoned', async () => {
    const batches = [AGENTS.slice(0, 3), AGENTS.slice(3, 6), AGENTS.slice(6)];
    const steps = buildUpgradeSteps({ target: 'v1.32.1+k3s1', servers: SERVERS, agentBatches: batches, uncordonOnly: [], drain: true, snapshot: { host: 's-1', name: 'x' } });
    const log: string[] = [];
    let serversDown = 0;
    let mostServersDown = 0;
    const cordoned = new Set<string>();
    let mostCordoned = 0;
    const record = async (step: Step) => {
      log.push(step.id);
      await sleep(Math.random() * 5);
      if (step.action === 'cordon' && AGENTS.includes(step.host)) cordoned.add(step.host);
      if (step.action === 'uncordon') cordoned.delete(step.host);
      mostCordoned = Math.max(mostCordoned, cordoned.size);
      if (step.action === 'upgrade-k3s' && SERVERS.includes(step.host)) mostServersDown = Math.max(mostServersDown, ++serversDown);
      if (step.action === 'wait-upgraded' && SERVERS.includes(step.host)) serversDown--;
      return { changed: step.changes ? 'yes' : 'none' };
    };
    const actions = ['etcd-snapshot', 'check-quorum', 'cordon', 'drain', 'upgrade-k3s', 'wait-upgraded', 'uncordon'];
    const runs = await runSteps(steps, { handlers: Object.fromEntries(actions.map((a) => [a, record])), laneLimits: { [AGENT_LANE]: 3 } });
    expect(runs.every((r) => r.outcome !== 'failed' && r.outcome !== 'not-started')).to.equal(true);
    expect(log[0]).to.equal('etcd-snapshot:s-1');
    expect(mostServersDown).to.equal(1);
    expect(mostCordoned).to.be.at.most(3);
    const lastServer = log.indexOf('uncordon:s-3');
    expect(log.findIndex((id) => AGENTS.includes(id.split(':')[1]!))).to.be.greaterThan(lastServer);
    expect(log.indexOf('cordon:a-4')).to.be.greaterThan(Math.max(log.indexOf('uncordon:a-1'), log.indexOf('uncordon:a-2'), log.indexOf('uncordon:a-3')));
  });

  it('starts nothing after a failed server: no later server, no agent', async () => {
    const steps = buildUpgradeSteps({ target: 'v', servers: SERVERS, agentBatches: [AGENTS], uncordonOnly: [], drain: false });
    const runs = await runSteps(steps, {
      handlers: {
        'check-quorum': async () => ({}),
        'upgrade-k3s': async (step) => {
          if (step.host === 's-2') throw new Error('lost');
          return { changed: 'install' };
        },
        'wait-upgraded': async () => ({}),
      },
    });
    const started = runs.filter((r) => r.outcome !== 'not-started').map((r) => r.id);
    expect(started).to.deep.equal(['check-quorum:s-1', 'upgrade-k3s:s-1', 'wait-upgraded:s-1', 'check-quorum:s-2', 'upgrade-k3s:s-2']);
  });
});
