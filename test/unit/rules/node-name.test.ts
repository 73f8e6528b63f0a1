import { expect } from 'chai';
import { SafetyError } from '../../../src/errors.js';
import { plan } from '../../../src/ops/up/plan.js';
import { fleetFacts, host, hostFacts, inventory, servers } from '../support/plan-inputs.js';

function installed(name: string, config: Record<string, string | boolean>, role: 'server' | 'agent' = 'server') {
  const facts = hostFacts(name, { etcdData: role === 'server', runningServer: role === 'server' });
  facts.k3s = { ...facts.k3s, installed: true, running: true, role, config };
  return facts;
}

describe('plan: node names', () => {
  it('names every new node after its inventory name, whatever the hostnames', () => {
    const hosts = [...servers(3), host('a-1', { role: 'agent' })];
    const facts = fleetFacts(...hosts.map((h) => ({ ...hostFacts(h.name), hostname: 'raspberrypi' })));
    const result = plan(inventory(hosts), facts);
    expect(result.hosts.map((h) => h.config['node-name'])).to.deep.equal(['s-1', 's-2', 's-3', 'a-1']);
    const warning = result.warnings.find((w) => w.code === 'duplicate-hostname');
    expect(warning?.message).to.equal(
      's-1, s-2, s-3, a-1 share the hostname raspberrypi: fleet names each node after the inventory (node-name), so K3s tells them apart; give them their own hostnames when you can',
    );
  });

  it('warns about nothing when hostnames differ', () => {
    const hosts = servers(3);
    const facts = fleetFacts(...hosts.map((h) => ({ ...hostFacts(h.name), hostname: h.name })));
    expect(plan(inventory(hosts), facts).warnings.map((w) => w.code)).to.not.include('duplicate-hostname');
  });

  it('leaves a node installed without node-name as it is: no node-name, so no drift and no restart', () => {
    const hosts = servers(3);
    const facts = fleetFacts(installed('s-1', { 'cluster-init': true }), hostFacts('s-2'), hostFacts('s-3'));
    const result = plan(inventory(hosts), facts);
    expect(result.hosts[0]!.config).to.not.have.property('node-name');
    expect(result.hosts[0]!.drift).to.equal(undefined);
    expect(result.hosts[1]!.config['node-name']).to.equal('s-2');
  });

  it('keeps a node that already carries its inventory name', () => {
    const facts = fleetFacts(installed('s-1', { 'cluster-init': true, 'node-name': 's-1' }), hostFacts('s-2'), hostFacts('s-3'));
    const result = plan(inventory(servers(3)), facts);
    expect(result.hosts[0]!.config['node-name']).to.equal('s-1');
    expect(result.hosts[0]!.drift).to.equal(undefined);
  });

  it('refuses to rename a running node (exit 3), saying how to keep or change it', () => {
    const facts = fleetFacts(installed('s-1', { 'cluster-init': true, 'node-name': 'old-name' }), hostFacts('s-2'), hostFacts('s-3'));
    expect(() => plan(inventory(servers(3)), facts)).to.throw(SafetyError, 's-1 runs as node "old-name": K3s cannot rename a running node');
    try {
      plan(inventory(servers(3)), facts);
    } catch (err) {
      expect((err as SafetyError).hint).to.include('name: old-name');
    }
  });
});
