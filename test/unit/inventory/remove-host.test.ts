import { expect } from 'chai';
import { InputError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { removeHost } from '../../../src/inventory/write-back.js';

const BLOCK = `# My Pis. Keep this comment.
cluster:
  name: home   # the cluster's name
  k3s: { version: v1.31.4+k3s1 }

hosts:
  # pi1: the first server
  - name: pi1
    address: 10.0.0.11 # rack A
    role: server
  # pi2: an agent
  - name: pi2
    address: "10.0.0.12"
    role: agent
    ssh: { user: ubuntu }

  - name: pi3
    address: 10.0.0.13
    role: agent
# trailing comment
`;

describe('inventory: removing a host', () => {
  it('removes the entry and its own comment line, and nothing else, byte for byte', () => {
    const out = removeHost(BLOCK, 'pi2');
    expect(out).to.equal(BLOCK.replace('  # pi2: an agent\n  - name: pi2\n    address: "10.0.0.12"\n    role: agent\n    ssh: { user: ubuntu }\n', ''));
    const inventory = parseInventory(out, '/tmp/inv.yaml', { env: {}, home: '/home/pi', localUser: 'pi' });
    expect(inventory.hosts.map((h) => h.name)).to.deep.equal(['pi1', 'pi3']);
  });

  it('removes the first and the last entries, keeping the comments around them', () => {
    const first = removeHost(BLOCK, 'pi1');
    expect(first).to.equal(BLOCK.replace('  # pi1: the first server\n  - name: pi1\n    address: 10.0.0.11 # rack A\n    role: server\n', ''));
    const last = removeHost(BLOCK, 'pi3');
    expect(last).to.equal(BLOCK.replace('  - name: pi3\n    address: 10.0.0.13\n    role: agent\n', ''));
    expect(last).to.include('# trailing comment\n').and.include('# My Pis. Keep this comment.');
  });

  it('removes a flow-style line, and re-renders a flow-style list', () => {
    const lines = 'cluster: { name: c }\nhosts:\n  - { name: a, address: 10.0.0.1, role: server } # first\n  - { name: b, address: 10.0.0.2, role: agent }\n';
    expect(removeHost(lines, 'a')).to.equal('cluster: { name: c }\nhosts:\n  - { name: b, address: 10.0.0.2, role: agent }\n');
    const flow = 'cluster: { name: c }\nhosts: [{ name: a, address: 10.0.0.1, role: server }, { name: b, address: 10.0.0.2, role: agent }]\n';
    expect(removeHost(flow, 'a')).to.equal('cluster: { name: c }\nhosts: [ { name: b, address: 10.0.0.2, role: agent } ]\n');
  });

  it('refuses a host that is not listed', () => {
    expect(() => removeHost(BLOCK, 'pi9')).to.throw(InputError, /pi9 is not in the inventory/);
  });
});
