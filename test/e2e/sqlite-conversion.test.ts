// A single K3s server on SQLite grows into HA: below v1.22.2+k3s1 fleet refuses and changes
// nothing; from it on, fleet restarts the server with cluster-init, waits for etcd, and joins the
// other servers, keeping the agent that had registered with the SQLite server.
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { apiUrl, downTestLab, etcdMembers, installK3s, nodes, serverToken, upTestLab } from '../lab/support.js';
import { untouched, writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

describe('e2e: SQLite single server converted to etcd', function () {
  this.timeout(900_000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 7 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses the conversion below v1.22.2+k3s1: exit 3, the version named, nothing changed', async () => {
    expect((await installK3s(lab, 'h5', { K3S_TOKEN: 'old-secret', INSTALL_K3S_VERSION: 'v1.21.5+k3s1' })).code).to.equal(0);
    const before = await lab.ssh('h5', 'sudo ls /var/lib/rancher/k3s/server/db; sudo wc -l < /var/log/k3s-standin/events.log');
    const inventory = writeLabInventory(lab, 'old.yaml', { h5: 'server', h6: 'server', h7: 'server' });
    const run = await runFleet(['up', inventory]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include('h5 runs K3s v1.21.5+k3s1 on SQLite; converting it to etcd needs v1.22.2+k3s1 or later');
    expect(run.stderr).to.match(/hint: upgrade K3s on h5 first/);
    expect(await lab.ssh('h5', 'sudo ls /var/lib/rancher/k3s/server/db; sudo wc -l < /var/log/k3s-standin/events.log')).to.equal(before);
    expect((await lab.sshExec('h5', 'sudo test -e /etc/rancher/k3s/config.yaml')).code).to.not.equal(0);
    expect(await untouched(lab, ['h6', 'h7'])).to.deep.equal([]);
  });

  it('converts a SQLite server with cluster-init, keeps its agent, then joins two servers', async () => {
    expect((await installK3s(lab, 'h1', { K3S_TOKEN: 'sqlite-secret', INSTALL_K3S_VERSION: 'v1.31.4+k3s1' })).code).to.equal(0);
    const token = await serverToken(lab, 'h1');
    expect((await installK3s(lab, 'h4', { K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h1'), INSTALL_K3S_VERSION: 'v1.31.4+k3s1' })).code).to.equal(0);
    const agentBefore = (await nodes(lab, 'h1')).find((n) => n.name === 'h4');
    expect(agentBefore, 'the agent registered on SQLite').to.not.equal(undefined);

    const inventory = writeLabInventory(lab, 'grow.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent' });
    const plan = await runFleet(['plan', inventory]);
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.include('first server (SQLite → etcd: restarted with cluster-init)');

    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.find((h) => h.name === 'h1')!.outcome).to.equal('changed');
    expect(await lab.ssh('h1', 'sudo ls /var/lib/rancher/k3s/server/db')).to.include('etcd');
    const events = await lab.ssh('h1', 'sudo journalctl -u k3s --no-pager');
    expect(events).to.include('Migrating content from sqlite to etcd');

    const members = await etcdMembers(lab, ['h1', 'h2', 'h3']);
    expect(members.map((m) => m.name.split('-')[0]).sort()).to.deep.equal(['h1', 'h2', 'h3']);
    expect(members.every((m) => !m.isLearner)).to.equal(true);
    const list = await nodes(lab, 'h2');
    const agentAfter = list.find((n) => n.name === 'h4');
    expect(agentAfter?.created, 'the same node object, not a re-registration').to.equal(agentBefore!.created);
    expect(list.map((n) => n.name).sort()).to.deep.equal(['h1', 'h2', 'h3', 'h4']);
    expect(list.every((n) => n.ready)).to.equal(true);
  });
});
