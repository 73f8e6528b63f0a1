import { expect } from 'chai';
import { runSteps } from '../../../../src/engine/run-steps.js';
import { unreachableHostFacts } from '../../../../src/facts/host-facts.js';
import type { FleetFacts } from '../../../../src/facts/types.js';
import { planReset } from '../../../../src/ops/reset/plan.js';
import { host, hostFacts, inventory } from '../../support/plan-inputs.js';

function fleet(): FleetFacts {
  const facts: FleetFacts = new Map();
  for (const name of ['h1', 'h2', 'h3']) facts.set(name, hostFacts(name, { etcdData: true, runningServer: true }));
  for (const name of ['h4', 'h5', 'h6']) {
    const agent = hostFacts(name);
    agent.k3s = { ...agent.k3s, installed: true, running: true, role: 'agent' };
    facts.set(name, agent);
  }
  facts.set('h7', hostFacts('h7'));
  facts.set('h8', unreachableHostFacts('h8', 'connect ETIMEDOUT'));
  return facts;
}
const inv = () =>
  inventory(
    ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8'].map((n) => host(n)),
    { concurrency: 2 },
  );

describe('plan: reset', () => {
  it('agents in the bounded lane, then servers one at a time (first server last), a check after each uninstall', () => {
    const plan = planReset(inv(), fleet());
    expect(plan.hosts.map((h) => h.action)).to.deep.equal([
      'uninstall-server',
      'uninstall-server',
      'uninstall-server',
      'uninstall-agent',
      'uninstall-agent',
      'uninstall-agent',
      'check-only',
      'unreachable',
    ]);
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    expect(byId.get('uninstall:h4')!.lane).to.equal('agents');
    expect(byId.get('uninstall:h3')!.dependsOn).to.deep.equal(['uninstall:h4', 'uninstall:h5', 'uninstall:h6']);
    expect(byId.get('uninstall:h2')!.dependsOn).to.deep.equal(['check-clean:h3']);
    expect(byId.get('uninstall:h1')!.dependsOn).to.deep.equal(['check-clean:h2']);
    expect(byId.get('check-clean:h7')!.dependsOn).to.deep.equal([]);
    expect([...byId.keys()].some((id) => id.endsWith(':h8'))).to.equal(false);
    expect(plan.warnings).to.have.length(1);
    expect(plan.warnings[0]).to.match(/^h8 could not be reached \(connect ETIMEDOUT\)/);
    expect(plan.removeLocalState).to.equal(true);
    expect(planReset(inv(), fleet(), { keepState: true }).removeLocalState).to.equal(false);
  });

  it('walked by the engine: never more agents at once than the lane allows, every server alone and after the agents', async () => {
    const plan = planReset(inv(), fleet());
    const running = new Set<string>();
    let agentsAtOnce = 0;
    const order: string[] = [];
    const isServer = (host: string) => ['h1', 'h2', 'h3'].includes(host);
    const handler = async (step: { id: string; host: string; action: string }) => {
      running.add(step.id);
      const uninstalls = [...running].filter((id) => id.startsWith('uninstall:'));
      if (isServer(step.host) && step.action === 'uninstall') expect(uninstalls).to.deep.equal([step.id]);
      else agentsAtOnce = Math.max(agentsAtOnce, [...running].filter((id) => !isServer(id.split(':')[1]!)).length);
      order.push(step.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running.delete(step.id);
      return { changed: 'x' };
    };
    const runs = await runSteps(plan.steps, { handlers: { uninstall: handler, 'check-clean': handler }, laneLimits: { agents: plan.concurrency } });
    expect(runs.filter((r) => r.outcome !== 'changed')).to.deep.equal([]);
    expect(agentsAtOnce).to.be.at.most(2);
    expect(order.indexOf('uninstall:h3')).to.be.greaterThan(Math.max(order.indexOf('uninstall:h4'), order.indexOf('uninstall:h5'), order.indexOf('uninstall:h6')));
    expect(order.filter((id) => id.startsWith('uninstall:h') && ['h1', 'h2', 'h3'].includes(id.slice(10)))).to.deep.equal(['uninstall:h3', 'uninstall:h2', 'uninstall:h1']);
  });
});
