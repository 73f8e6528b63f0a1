// Pis as the imager leaves them: six hosts all called raspberrypi become a 3 + 3 cluster whose
// nodes carry the inventory's names (K3s would refuse the second raspberrypi otherwise, and the
// lab's stand-in does too); a label kubelet refuses is exit 2 with its path, before connecting.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, nodes, upTestLab } from '../lab/support.js';
import { untouched, writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

describe('e2e: hosts that all share the hostname raspberrypi', function () {
  this.timeout(900_000);
  let lab: Lab;
  let inventory: string;
  const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
  const roles = Object.fromEntries(hosts.map((h, i) => [h, i < 3 ? 'server' : 'agent']));

  before(async () => {
    lab = await upTestLab({ hosts: hosts.length, hostname: 'raspberrypi' });
    inventory = writeLabInventory(lab, 'inventory.yaml', roles);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses a label kubelet would refuse: exit 2 with its path, no host touched', async () => {
    const bad = writeLabInventory(lab, 'bad-label.yaml', roles, { host: { h4: ['    labels: { node-role.kubernetes.io/worker: "true" }'] } });
    const run = await runFleet(['up', bad]);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include('hosts[3].labels["node-role.kubernetes.io/worker"]').and.include('kubelet may not set');
    expect(await untouched(lab, hosts)).to.deep.equal([]);
  });

  it('builds a 3 + 3 cluster whose nodes carry the inventory names, and warns about the hostnames', async () => {
    for (const host of hosts) expect((await lab.ssh(host, 'hostname')).trim()).to.equal('raspberrypi');
    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run) as ReturnType<typeof parseReport> & { warnings?: string[] };
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.map((h) => [h.name, h.role, h.outcome])).to.deep.equal(hosts.map((h, i) => [h, i < 3 ? 'server' : 'agent', 'changed']));
    expect(report.warnings?.join('\n')).to.include('share the hostname raspberrypi');

    const list = await nodes(lab, 'h2');
    expect(list.map((n) => n.name).sort()).to.deep.equal(hosts);
    expect(list.every((n) => n.ready)).to.equal(true);
    expect(
      list
        .filter((n) => n.roles.includes('etcd'))
        .map((n) => n.name)
        .sort(),
    ).to.deep.equal(['h1', 'h2', 'h3']);
    const members = await etcdMembers(lab, ['h1']);
    expect(members.map((m) => m.name.replace(/-[0-9a-f]+$/, '')).sort()).to.deep.equal(['h1', 'h2', 'h3']);
    for (const host of ['h1', 'h5']) expect(await lab.ssh(host, 'sudo cat /etc/rancher/k3s/config.yaml')).to.match(new RegExp(`^node-name: "?${host}"?$`, 'm'));
  });

  it('changes nothing on a second run', async () => {
    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.changed).to.equal(false);
    expect(report.hosts.every((h) => h.outcome === 'unchanged')).to.equal(true);
  });

  it('refuses to rename a running node (exit 3), changing nothing', async () => {
    const renamed = join(lab.dir, 'renamed.yaml');
    writeFileSync(renamed, (await import('node:fs')).readFileSync(inventory, 'utf8').replace('- name: h6', '- name: pi-6'));
    const before = await lab.ssh('h6', 'sudo stat -c %Y /etc/rancher/k3s/config.yaml');
    const run = await runFleet(['up', renamed]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include('pi-6 runs as node "h6"').and.include('cannot rename');
    expect(await lab.ssh('h6', 'sudo stat -c %Y /etc/rancher/k3s/config.yaml')).to.equal(before);
  });
});
