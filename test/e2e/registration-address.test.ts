// The registration address gate on the lab: an address where nothing answers stops the run with
// exit 3 after the servers and before any agent is touched; with the lab's forwarder at the
// address, the agents register through it.
import { expect } from 'chai';
import { Lab } from '../lab/lab.js';
import { claimNetwork, downTestLab, journal, newLabDir, nodes, releaseNetwork } from '../lab/support.js';
import { untouched, writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

describe('e2e: the registration address', function () {
  this.timeout(900_000);
  let lab: Lab;
  let forwarded: string;
  let nothing: string;
  const roles = { h1: 'server', h2: 'server', h3: 'server', h4: 'agent', h5: 'agent' };
  const agents = ['h4', 'h5'];

  before(async () => {
    const dir = newLabDir();
    const network = claimNetwork(dir);
    forwarded = `${network}.100`;
    nothing = `${network}.200`;
    try {
      lab = await Lab.up({ hosts: 5, dir, network, registrationAddress: forwarded });
    } catch (error) {
      await Lab.down(dir);
      releaseNetwork(network);
      throw error;
    }
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('stops with exit 3 before any agent changes when nothing answers at the address', async () => {
    const inventory = writeLabInventory(lab, 'nothing.yaml', roles, { cluster: [`  registrationAddress: ${nothing}`] });
    const run = await runFleet(['up', inventory]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include(`the registration address ${nothing} does not answer as this cluster's API, seen from h4`);
    expect(run.stderr).to.include('cluster.vip');
    expect(await untouched(lab, agents)).to.deep.equal([]);
    // The first server was installed and is ready: the check ran against the live cluster.
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.include('h1');
  });

  it('registers the agents through the lab forwarder at the address', async () => {
    const inventory = writeLabInventory(lab, 'forwarded.yaml', roles, { cluster: [`  registrationAddress: ${forwarded}`] });
    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.filter((h) => agents.includes(h.name)).map((h) => h.outcome)).to.deep.equal(['changed', 'changed']);
    for (const agent of agents) {
      expect(await lab.ssh(agent, 'sudo cat /etc/rancher/k3s/config.yaml')).to.include(`server: https://${forwarded}:6443`);
      expect(await journal(lab, agent, 'k3s-agent')).to.include(`Agent registered with https://${forwarded}:6443`);
    }
    const list = await nodes(lab, 'h2');
    expect(list.map((n) => n.name).sort()).to.deep.equal(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(list.every((n) => n.ready)).to.equal(true);
  });
});
