import { expect } from 'chai';
import { InputError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { appendHost } from '../../../src/inventory/write-back.js';

const BLOCK = `# My Pis. Keep this comment.
cluster:
  name: home   # the cluster's name
  k3s: { version: v1.31.4+k3s1 }

defaults:
  ssh: { user: pi, knownHostsFile: /home/pi/.ssh/known_hosts }

hosts:
  # the servers
  - name: pi1
    address: 10.0.0.11 # rack A
    role: server

  - name: pi2
    address: "10.0.0.12"
    role: agent
# trailing comment
`;

describe('inventory: writing a new host back', () => {
  it('appends the host and keeps comments, quoting, flow maps and blank lines', () => {
    const out = appendHost(BLOCK, { name: 'pi3', address: '10.0.0.13', role: 'agent', kind: 'pi', user: 'ubuntu' });
    const insertAt = BLOCK.indexOf('# trailing comment');
    expect(out.slice(0, insertAt)).to.equal(BLOCK.slice(0, insertAt));
    expect(out.slice(insertAt)).to.equal('  - name: pi3\n    address: 10.0.0.13\n    role: agent\n    kind: pi\n    ssh:\n      user: ubuntu\n# trailing comment\n');
    const inventory = parseInventory(out, '/tmp/inv.yaml', { env: {}, home: '/home/pi', localUser: 'pi' });
    expect(inventory.hosts.map((h) => [h.name, h.role, h.ssh.user])).to.deep.equal([
      ['pi1', 'server', 'pi'],
      ['pi2', 'agent', 'pi'],
      ['pi3', 'agent', 'ubuntu'],
    ]);
  });

  it('writes a flow-style line into a list of flow-style hosts', () => {
    const text = 'cluster: { name: c }\nhosts:\n  - { name: a, address: 10.0.0.1, role: server } # first\n';
    expect(appendHost(text, { name: 'b', address: '10.0.0.2', role: 'auto' })).to.equal(`${text}  - { name: b, address: 10.0.0.2, role: auto }\n`);
  });

  it('is validated by the loader, so a bad host is refused with its path', () => {
    const out = appendHost(BLOCK, { name: 'pi1', address: '10.0.0.13', role: 'agent' });
    expect(() => parseInventory(out, '/tmp/inv.yaml', { env: {}, home: '/home/pi', localUser: 'pi' })).to.throw(/problem/);
  });

  it('refuses a file without a hosts list', () => {
    expect(() => appendHost('cluster: { name: c }\n', { name: 'a', address: '10.0.0.1', role: 'agent' })).to.throw(InputError);
  });
});
