import { expect } from 'chai';
import type { EtcdMember } from '../../../../src/facts/etcd-members.js';
import type { NodeInfo } from '../../../../src/facts/nodes.js';
import { InputError, SafetyError } from '../../../../src/errors.js';
import type { FleetFacts } from '../../../../src/facts/types.js';
import { checkEtcdForUpgrade } from '../../../../src/ops/upgrade/etcd-gate.js';
import { maxUnavailable } from '../../../../src/rules/max-unavailable.js';
import { planUpgrade, snapshotName, type UpgradeClusterView } from '../../../../src/ops/upgrade/plan.js';
import { renderUpgradePlan } from '../../../../src/ops/upgrade/render.js';
import type { UpgradeOptions } from '../../../../src/ops/upgrade/types.js';
import { minorPath, versionStep } from '../../../../src/rules/version-skew.js';
import { refuseVersionChange } from '../../../../src/ops/up/version-change.js';
import { fleetFacts, host, hostFacts, inventory } from '../../support/plan-inputs.js';

const OLD = 'v1.31.4+k3s1';
const NEW = 'v1.32.1+k3s1';
const options: UpgradeOptions = { concurrency: 10, drain: true, snapshot: true, allowDowngrade: false, drainTimeoutSeconds: 120 };

/** 3 servers + n agents, every host installed and running `versions[name] ?? OLD`. */
function cluster(agents: number, versions: Record<string, string> = {}, nodeOverrides: Partial<Record<string, Partial<NodeInfo>>> = {}) {
  const hosts = [host('s-1', { role: 'server' }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' })];
  for (let i = 0; i < agents; i++) hosts.push(host(`a-${10 + i}`, { role: 'agent' }));
  const facts: FleetFacts = fleetFacts(
    ...hosts.map((h) => {
      const f = hostFacts(h.name, { etcdData: h.role === 'server', runningServer: true });
      f.k3s.role = h.role === 'server' ? 'server' : 'agent';
      f.k3s.version = versions[h.name] ?? OLD;
      return f;
    }),
  );
  const nodes: NodeInfo[] = hosts.map((h) => ({ name: h.name, ready: true, roles: [], version: versions[h.name] ?? OLD, internalIP: h.address, ...nodeOverrides[h.name] }));
  const members: EtcdMember[] = hosts
    .filter((h) => h.role === 'server')
    .map((h, i) => ({ id: String(i + 1), name: `${h.name}-x`, peerURLs: [`http://${h.address}:2380`], clientURLs: [`http://${h.address}:2379`], isLearner: false }));
  const view: UpgradeClusterView = { from: 's-1', nodes, etcd: { etcdHealthy: true, members, healthyIds: new Set(members.map((m) => m.id)) } };
  return { inv: inventory(hosts, { k3s: { version: NEW } }), facts, view };
}

describe('plan: upgrade', () => {
  it('upgrades servers strictly one after another, then agents in batches behind the last server', () => {
    const { inv, facts, view } = cluster(6);
    const plan = planUpgrade(inv, facts, view, { ...options, maxUnavailable: '2' });
    expect(plan.servers).to.deep.equal(['s-1', 's-2', 's-3']);
    expect(plan.agentBatches).to.deep.equal([
      ['a-10', 'a-11'],
      ['a-12', 'a-13'],
      ['a-14', 'a-15'],
    ]);
    const step = (id: string) => plan.steps.find((s) => s.id === id)!;
    expect(plan.steps[0]!.id).to.equal('etcd-snapshot:s-1');
    expect(step('check-quorum:s-1').dependsOn).to.deep.equal(['etcd-snapshot:s-1']);
    expect(step('check-quorum:s-2').dependsOn).to.deep.equal(['uncordon:s-1']);
    expect(plan.steps.filter((s) => s.host === 's-2').map((s) => s.action)).to.deep.equal(['check-quorum', 'cordon', 'drain', 'upgrade-k3s', 'wait-upgraded', 'uncordon']);
    // No agent step before the last server is uncordoned; a batch waits for the previous one.
    expect(step('cordon:a-10').dependsOn).to.deep.equal(['uncordon:s-3']);
    expect(step('cordon:a-12').dependsOn).to.deep.equal(['uncordon:a-10', 'uncordon:a-11']);
    expect(plan.snapshot).to.deep.equal({ host: 's-1', name: 'fleet-pre-upgrade-v1.32.1-k3s1' });
  });

  it('leaves hosts on the target alone, so a re-run continues where it stopped; uncordons one left cordoned', () => {
    const { inv, facts, view } = cluster(3, { 's-1': NEW, 's-2': NEW, 'a-10': NEW }, { 's-2': { unschedulable: true } });
    const plan = planUpgrade(inv, facts, view, options);
    expect(plan.hosts.map((h) => [h.name, h.action])).to.deep.equal([
      ['s-1', 'none'],
      ['s-2', 'uncordon'],
      ['s-3', 'upgrade'],
      ['a-10', 'none'],
      ['a-11', 'upgrade'],
      ['a-12', 'upgrade'],
    ]);
    expect(plan.servers).to.deep.equal(['s-3']);
    expect(plan.steps.filter((s) => s.host === 's-1').map((s) => s.action)).to.deep.equal(['etcd-snapshot']);
    expect(plan.steps.find((s) => s.id === 'uncordon:s-2')!.dependsOn).to.deep.equal([]);
  });

  it('upgrades a host whose binary is new but whose node still runs the old version (crashed mid-upgrade)', () => {
    const { inv, facts, view } = cluster(1, {}, {});
    facts.get('s-2')!.k3s.version = NEW;
    expect(planUpgrade(inv, facts, view, options).servers).to.deep.equal(['s-1', 's-2', 's-3']);
  });

  it('has nothing to do when every host runs the target', () => {
    const { inv, facts, view } = cluster(2, { 's-1': NEW, 's-2': NEW, 's-3': NEW, 'a-10': NEW, 'a-11': NEW });
    const plan = planUpgrade(inv, facts, view, options);
    expect(plan.steps).to.deep.equal([]);
    expect(renderUpgradePlan(plan)).to.include('nothing to upgrade');
  });

  it('a single server on SQLite: no etcd to guard, no snapshot, the server then its agent', () => {
    const { inv, facts, view } = cluster(1);
    const single = { ...inv, hosts: inv.hosts.filter((h) => h.name === 's-1' || h.name === 'a-10') };
    facts.get('s-1')!.k3s.etcdData = false;
    facts.get('s-1')!.k3s.sqliteData = true;
    const plan = planUpgrade(single, facts, { from: 's-1', nodes: view.nodes }, options);
    expect(plan.steps.map((s) => s.id)).to.deep.equal([
      'cordon:s-1',
      'drain:s-1',
      'upgrade-k3s:s-1',
      'wait-upgraded:s-1',
      'uncordon:s-1',
      'cordon:a-10',
      'drain:a-10',
      'upgrade-k3s:a-10',
      'wait-upgraded:a-10',
      'uncordon:a-10',
    ]);
    expect(plan.rules.join('\n')).to.include('no embedded etcd (single server)');
  });

  it('--no-drain: no cordon, drain or uncordon; --no-snapshot: no snapshot', () => {
    const { inv, facts, view } = cluster(1);
    const plan = planUpgrade(inv, facts, view, { ...options, drain: false, snapshot: false });
    expect(plan.steps.map((s) => s.action)).to.not.include.members(['cordon', 'drain', 'uncordon', 'etcd-snapshot']);
    expect(plan.rules.join('\n')).to.include('--no-drain').and.include('--no-snapshot');
  });

  it('refuses skipping a minor, listing the path through it', () => {
    const { inv, facts, view } = cluster(1, { 's-1': 'v1.30.8+k3s1' });
    expect(() => planUpgrade(inv, facts, view, options)).to.throw(SafetyError, /s-1 runs v1\.30\.8\+k3s1; v1\.32\.1\+k3s1 skips 1 minor version/);
    try {
      planUpgrade(inv, facts, view, options);
    } catch (err) {
      expect((err as SafetyError).hint).to.include('1.30 → 1.31 → 1.32');
    }
  });

  it('refuses a downgrade unless allowed', () => {
    const { inv, facts, view } = cluster(1, { 'a-10': 'v1.32.3+k3s1' });
    expect(() => planUpgrade(inv, facts, view, options)).to.throw(SafetyError, /a-10 runs v1\.32\.3\+k3s1, newer than the target v1\.32\.1\+k3s1: a downgrade is refused/);
    expect(planUpgrade(inv, facts, view, { ...options, allowDowngrade: true }).agentBatches).to.deep.equal([['a-10']]);
  });

  it('refuses without a version to upgrade to (a channel alone)', () => {
    const { facts, view } = cluster(0);
    const inv = inventory([host('s-1', { role: 'server' }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' })]);
    expect(() => planUpgrade(inv, facts, view, options)).to.throw(InputError, /cluster\.k3s\.version is not set \(only channel: stable\)/);
  });

  it('refuses a cluster with a learner, an unhealthy member, no quorum, or too few voters to lose one', () => {
    const base = cluster(0).view.etcd!;
    expect(() => checkEtcdForUpgrade({ ...base, members: base.members.map((m, i) => ({ ...m, isLearner: i === 2 })) })).to.throw(SafetyError, /s-3-x is a learner/);
    expect(() => checkEtcdForUpgrade({ ...base, healthyIds: new Set(['1', '2']) })).to.throw(SafetyError, /member s-3-x is not healthy/);
    expect(() => checkEtcdForUpgrade({ ...base, etcdHealthy: false })).to.throw(SafetyError, /etcd is not healthy/);
    expect(() => checkEtcdForUpgrade({ ...base, members: base.members.slice(0, 2) })).to.throw(SafetyError, /2 etcd voters need a quorum of 2: with one server restarting only 1 would remain/);
    expect(checkEtcdForUpgrade(base).arithmetic).to.equal('3 voters, quorum 2: with one server restarting 2 remain');
    const { inv, facts, view } = cluster(1);
    view.etcd!.members[1]!.isLearner = true;
    expect(() => planUpgrade(inv, facts, view, options)).to.throw(SafetyError, /learner/);
  });

  it('--max-unavailable: 10% by default, at least 1, never above --concurrency; bad values are input errors', () => {
    expect(maxUnavailable(undefined, 6, 10).value).to.equal(1);
    expect(maxUnavailable(undefined, 50, 10).value).to.equal(5);
    expect(maxUnavailable('50%', 50, 10)).to.deep.equal({ value: 10, arithmetic: '50% of 50 agents → 25 (capped at --concurrency 10) → 10 at a time' });
    expect(maxUnavailable('3', 6, 10).value).to.equal(3);
    for (const bad of ['0', '-1', 'x', '150%', '0%']) expect(() => maxUnavailable(bad, 6, 10)).to.throw(InputError);
  });

  it('version steps and the minor path', () => {
    expect(versionStep('h', OLD, NEW, false)).to.equal('next-minor');
    expect(versionStep('h', 'v1.32.0+k3s1', NEW, false)).to.equal('patch');
    expect(versionStep('h', NEW, NEW, false)).to.equal('same');
    expect(minorPath('v1.29.1+k3s1', NEW)).to.equal('1.29 → 1.30 → 1.31 → 1.32');
    expect(snapshotName('v1.32.1+k3s1')).to.equal('fleet-pre-upgrade-v1.32.1-k3s1');
  });

  it('renders the order, the batches and each rule', () => {
    const { inv, facts, view } = cluster(4);
    const text = renderUpgradePlan(planUpgrade(inv, facts, view, { ...options, maxUnavailable: '2' }));
    expect(text).to.include('1. snapshot fleet-pre-upgrade-v1.32.1-k3s1 on s-1').and.include('2. server s-1').and.include('5. agents batch 1: a-10, a-11');
    expect(text).to.include('quorum: 3 voters, quorum 2').and.include('--max-unavailable 2 → 2 at a time; 2 batches');
  });
});

describe('plan: fleet up on a fleet whose version differs', () => {
  it('refuses and points to fleet upgrade; accepts a fleet on the inventory version', () => {
    const { inv, facts } = cluster(1, { 's-2': NEW });
    expect(() => refuseVersionChange(inv, facts)).to.throw(
      SafetyError,
      /s-1 \(v1\.31\.4\+k3s1\), s-3 \(v1\.31\.4\+k3s1\), a-10 \(v1\.31\.4\+k3s1\) run another version: fleet up does not change the version/,
    );
    for (const f of facts.values()) f.k3s.version = NEW;
    expect(() => refuseVersionChange(inv, facts)).to.not.throw();
  });
});
