import { expect } from 'chai';
import type { EtcdMember } from '../../../../src/facts/etcd-members.js';
import type { NodeInfo } from '../../../../src/facts/nodes.js';
import { InputError, SafetyError } from '../../../../src/errors.js';
import { unreachableHostFacts } from '../../../../src/facts/host-facts.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import { planRemoveNode, type RemoveNodeInput } from '../../../../src/ops/remove-node/plan.js';
import { renderRemoveNodePlan } from '../../../../src/ops/remove-node/render.js';
import { host, hostFacts, inventory } from '../../support/plan-inputs.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `h${i + 1}`);
const member = (name: string): EtcdMember => ({
  id: `${name.slice(1)}00`,
  name: `${name}-abcd`,
  peerURLs: [`http://10.0.0.${name.slice(1)}:2380`],
  clientURLs: [`http://10.0.0.${name.slice(1)}:2379`],
  isLearner: false,
});
const node = (name: string, server: boolean): NodeInfo => ({
  name,
  ready: true,
  roles: server ? ['control-plane', 'etcd', 'master'] : [],
  version: 'v1.31.4+k3s1',
  internalIP: `10.0.0.${name.slice(1)}`,
});
const agentFacts = (name: string): HostFacts => {
  const facts = hostFacts(name);
  facts.k3s = { ...facts.k3s, installed: true, running: true, role: 'agent' };
  return facts;
};

/** A cluster of `serverCount` servers h1..hN and `agentCount` agents after them, all healthy. */
function input(serverCount: number, agentCount: number, removing: string, extra: Partial<RemoveNodeInput> = {}): RemoveNodeInput {
  const serverNames = names(serverCount);
  const agentNames = names(serverCount + agentCount).slice(serverCount);
  const members = serverNames.map(member);
  return {
    inventory: inventory([...serverNames.map((n) => host(n, { role: 'server' })), ...agentNames.map((n) => host(n, { role: 'agent' }))]),
    host: removing,
    facts: serverNames.includes(removing) ? hostFacts(removing, { etcdData: true, runningServer: true }) : agentFacts(removing),
    via: removing === 'h1' ? 'h2' : 'h1',
    members,
    nodes: [...serverNames.map((n) => node(n, true)), ...agentNames.map((n) => node(n, false))],
    healthyIds: new Set(members.map((m) => m.id)),
    ...extra,
  };
}

describe('plan: remove-node', () => {
  it("a server of five: the arithmetic, and K3s's safe order through another server", () => {
    const plan = planRemoveNode(input(5, 2, 'h1', { allowEven: true }));
    expect(plan.role).to.equal('server');
    expect(plan.via).to.equal('h2');
    expect(plan.arithmetic!.text).to.equal('5 servers → 4 servers: quorum 3 → 3, tolerates 2 failures → 1 failure; 4 of 4 healthy afterwards');
    expect(plan.steps.map((s) => s.id)).to.deep.equal(['cordon:h1', 'drain:h1', 'stop-service:h1', 'delete-node:h1', 'remove-member:h1', 'uninstall:h1', 'check-clean:h1', 'forget-host:h1']);
    // Strictly one after another.
    plan.steps.forEach((s, i) => expect(s.dependsOn).to.deep.equal(i === 0 ? [] : [plan.steps[i - 1]!.id]));
    expect(plan.warnings.join('\n')).to.include('--allow-even: 5 servers → 4 servers');
    expect(renderRemoveNodePlan(plan)).to.include('Servers: 5 servers → 4 servers').and.include('Cluster steps go through h2.');
  });

  it('refuses a removal that leaves an even count, naming no fault tolerance for 3 → 2', () => {
    expect(() => planRemoveNode(input(3, 0, 'h3'))).to.throw(
      SafetyError,
      /leaves an even number of servers: 3 servers → 2 servers: quorum 2 → 2, tolerates 1 failure → no failure; 2 of 2 healthy afterwards. 2 servers have no fault tolerance/,
    );
    const allowed = planRemoveNode(input(3, 0, 'h3', { allowEven: true }));
    expect(allowed.warnings[0]).to.match(/^--allow-even: .*no fault tolerance/);
    expect(allowed.warnings[1]).to.match(/the inventory then lists 2 servers: fleet up refuses an even count/);
  });

  it('refuses a removal that would lose quorum, whatever --allow-even says', () => {
    const base = input(5, 0, 'h5', { allowEven: true });
    // Two of the five are down: removing a third healthy one leaves 2 healthy of 4, quorum 3.
    const healthy = new Set(
      base.members
        .slice(0, 3)
        .map((m) => m.id)
        .concat(base.members[4]!.id),
    );
    healthy.delete(base.members[2]!.id);
    expect(() => planRemoveNode({ ...base, healthyIds: healthy })).to.throw(SafetyError, /would lose quorum: 5 servers → 4 servers: .*2 of 4 healthy afterwards, and 3 are needed/);
  });

  it('refuses the last server (use reset) and a reachable server of two (quorum lost while it stops)', () => {
    const two = input(2, 0, 'h2');
    expect(() => planRemoveNode({ ...two, members: two.members.slice(1) })).to.throw(SafetyError, /h2 is the cluster's last server: removing it ends the cluster/);
    expect(() => planRemoveNode(two)).to.throw(SafetyError, /lose quorum while its service stops/);
    // The same server dead: nothing stops, the survivor keeps quorum alone.
    const dead = planRemoveNode({ ...two, facts: unreachableHostFacts('h2', 'connect ETIMEDOUT'), healthyIds: new Set([two.members[0]!.id]) });
    expect(dead.arithmetic!.text).to.equal('2 servers → 1 server: quorum 2 → 1, tolerates no failure → no failure; 1 of 1 healthy afterwards');
  });

  it('an unreachable server: cluster steps only, and the report names what is left on its disk', () => {
    const base = input(3, 0, 'h3', { allowEven: true });
    const plan = planRemoveNode({ ...base, facts: unreachableHostFacts('h3', 'connect ECONNREFUSED'), healthyIds: new Set(base.members.slice(0, 2).map((m) => m.id)) });
    expect(plan.steps.map((s) => s.id)).to.deep.equal(['cordon:h3', 'delete-node:h3', 'remove-member:h3', 'forget-host:h3']);
    expect(plan.leftOnHost).to.match(/^h3 could not be reached \(connect ECONNREFUSED\): its disk still holds K3s .*old etcd data.*run k3s-uninstall.sh on it, or re-image it/);
  });

  it('an agent: no quorum arithmetic, no member step; --keep-in-inventory keeps the entry', () => {
    const plan = planRemoveNode(input(3, 2, 'h5', { keepInInventory: true }));
    expect(plan.role).to.equal('agent');
    expect(plan.arithmetic).to.equal(undefined);
    expect(plan.steps.map((s) => s.action)).to.deep.equal(['cordon', 'drain', 'stop-service', 'delete-node', 'uninstall', 'check-clean']);
  });

  it('a server whose node object is already gone still gets its member removed', () => {
    const base = input(5, 0, 'h4', { allowEven: true });
    const plan = planRemoveNode({ ...base, nodes: base.nodes.filter((n) => n.name !== 'h4') });
    expect(plan.steps.map((s) => s.action)).to.deep.equal(['stop-service', 'remove-member', 'uninstall', 'check-clean', 'forget-host']);
  });

  it('a host that is not in the inventory is bad input', () => {
    expect(() => planRemoveNode(input(3, 0, 'h9'))).to.throw(InputError, /h9 is not in the inventory/);
  });
});
