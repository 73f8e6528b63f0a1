import { expect } from 'chai';
import { SafetyError } from '../../../src/errors.js';
import { configDrift, describeDrift, mustMatchConflicts, refuseMustMatchConflicts } from '../../../src/rules/drift.js';
import { plan } from '../../../src/ops/up/plan.js';
import { renderPlanHuman } from '../../../src/ops/up/render.js';
import { fleetFacts, host, hostFacts, inventory, servers } from '../support/plan-inputs.js';

describe('plan: config drift', () => {
  it('lists changed, added and removed flags, never the token, ignoring what it is told to', () => {
    const drift = configDrift(
      { token: 'a', 'node-label': ['x=1'], 'kubelet-arg': 'a=b', server: 'https://old:6443' },
      { token: 'b', 'node-label': ['x=1', 'y=2'], 'write-kubeconfig-mode': '0644', server: 'https://new:6443' },
      ['server'],
    );
    expect(drift.map(describeDrift)).to.deep.equal(['flag kubelet-arg: a=b → (unset)', 'flag node-label: [x=1] → [x=1, y=2]', 'flag write-kubeconfig-mode: (unset) → 0644']);
  });

  it('treats 1 and "1", and one-element lists the same as the planner writes them', () => {
    expect(configDrift({ 'node-label': ['a=1'], v: 1 }, { 'node-label': ['a=1'], v: '1' })).to.deep.equal([]);
  });

  it('finds must-match flags the running servers use with another value, and refuses naming both values', () => {
    const facts = fleetFacts(hostFacts('s-1', { etcdData: true, runningServer: true }), hostFacts('s-2', { etcdData: true, runningServer: true }));
    for (const name of ['s-1', 's-2']) facts.get(name)!.k3s.config = { 'cluster-cidr': '10.42.0.0/16' };
    const conflicts = mustMatchConflicts({ 'cluster-cidr': '10.99.0.0/16' }, ['s-1', 's-2'], facts);
    expect(conflicts).to.deep.equal([{ flag: 'cluster-cidr', wanted: '10.99.0.0/16', running: '10.42.0.0/16', hosts: ['s-1', 's-2'] }]);
    expect(() => refuseMustMatchConflicts(conflicts)).to.throw(SafetyError, /cluster-cidr: the inventory says 10\.99\.0\.0\/16, the running servers \(s-1, s-2\) use 10\.42\.0\.0\/16/);
    expect(mustMatchConflicts({ 'cluster-cidr': '10.42.0.0/16' }, ['s-1', 's-2'], facts)).to.deep.equal([]);
  });

  it('shows drift per host in the plan, only on the host that drifted', () => {
    const hosts = servers(3);
    hosts[1] = { ...hosts[1]!, labels: { zone: 'b' } };
    const facts = fleetFacts(...hosts.map((h) => hostFacts(h.name, { etcdData: true, runningServer: true })));
    const inv = inventory(hosts);
    const clean = plan(inv, facts);
    for (const planned of clean.hosts) facts.get(planned.name)!.k3s.config = { ...planned.config, 'node-label': [] };
    facts.get('s-1')!.k3s.config = { ...clean.hosts[0]!.config };
    facts.get('s-3')!.k3s.config = { ...clean.hosts[2]!.config };
    delete facts.get('s-2')!.k3s.config!['node-label'];
    const drifted = plan(inv, facts);
    expect(drifted.hosts.map((h) => h.drift ?? [])).to.deep.equal([[], ['flag node-label: (unset) → [zone=b]'], []]);
    expect(renderPlanHuman(drifted)).to.include('drift: flag node-label: (unset) → [zone=b] (up restarts s-2 alone)');
  });
});

describe('plan: existing clusters', () => {
  it('joins new servers to a live member when the first server is down', () => {
    const hosts = [host('s-1', { role: 'server', init: true }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' }), host('a-4', { role: 'agent' })];
    const down = { ...hostFacts('s-1'), reachable: false };
    const result = plan(inventory(hosts), fleetFacts(down, hostFacts('s-2', { etcdData: true, runningServer: true }), hostFacts('s-3', { p99Ms: 2 }), hostFacts('a-4')));
    expect(result.firstServer).to.equal('s-2');
    expect(result.hosts.find((h) => h.name === 's-3')!.joinUrl).to.equal('https://10.0.0.2:6443');
    expect(result.hosts.some((h) => h.config['cluster-init'] === true)).to.equal(false);
  });

  it('takes the join target the executor found healthy', () => {
    const hosts = servers(3);
    const facts = fleetFacts(...hosts.map((h) => hostFacts(h.name, { etcdData: true, runningServer: true })));
    expect(plan(inventory(hosts), facts, { joinTarget: 's-3' }).firstServer).to.equal('s-3');
  });

  it('converts a SQLite server with cluster-init from v1.22.2+k3s1 on, and refuses older ones', () => {
    const hosts = servers(3);
    const sqlite = (version: string) => {
      const facts = hostFacts('s-1', { runningServer: true });
      facts.k3s.sqliteData = true;
      facts.k3s.version = version;
      return fleetFacts(facts, hostFacts('s-2', { p99Ms: 2 }), hostFacts('s-3', { p99Ms: 2 }));
    };
    const converted = plan(inventory(hosts), sqlite('v1.22.2+k3s1'));
    expect(converted.convertToEtcd).to.equal('s-1');
    expect(converted.hosts[0]!.config['cluster-init']).to.equal(true);
    expect(converted.joiningServers).to.deep.equal(['s-2', 's-3']);
    expect(() => plan(inventory(hosts), sqlite('v1.21.5+k3s1'))).to.throw(SafetyError, 's-1 runs K3s v1.21.5+k3s1 on SQLite; converting it to etcd needs v1.22.2+k3s1 or later');
  });

  it('leaves a lone SQLite server alone when no other server is planned', () => {
    const facts = hostFacts('s-1', { runningServer: true });
    facts.k3s.sqliteData = true;
    facts.k3s.version = 'v1.20.0+k3s1';
    const result = plan(inventory([host('s-1', { role: 'server' }), host('a-2', { role: 'agent' })]), fleetFacts(facts, hostFacts('a-2')));
    expect(result.convertToEtcd).to.equal(undefined);
    expect(result.hosts[0]!.config['cluster-init']).to.equal(undefined);
  });
});
