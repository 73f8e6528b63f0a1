// fleet prepare on the lab: two Pis without the memory cgroup get it in cmdline.txt and are
// rebooted for real (new boot ids, nobody else rebooted), the cluster is built after; a second
// prepare changes and reboots nothing.
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { downTestLab, nodes, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

describe('e2e: fleet prepare and up --prepare on Pis without the memory cgroup', function () {
  this.timeout(900_000);
  let lab: Lab;
  let inventory: string;
  const hosts = ['h1', 'h2', 'h3', 'h4'];
  const bootIds = async () => Object.fromEntries(await Promise.all(hosts.map(async (h) => [h, (await lab.ssh(h, 'cat /proc/sys/kernel/random/boot_id')).trim()] as const)));

  before(async () => {
    lab = await upTestLab({ hosts: hosts.length, pi: ['h2', 'h3'], noMemcg: ['h2', 'h3'] });
    inventory = writeLabInventory(lab, 'inventory.yaml', { h1: 'server', h2: 'agent', h3: 'agent', h4: 'agent' });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses to reboot without a terminal and without --yes, changing nothing', async () => {
    const before = await bootIds();
    const run = await runFleet(['prepare', inventory]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include('would reboot h2, h3').and.include('--yes');
    expect(await bootIds()).to.deep.equal(before);
    expect(await lab.ssh('h2', 'cat /boot/firmware/cmdline.txt')).to.not.include('cgroup_enable=memory');
  });

  it('fixes both cmdline.txt files, reboots only those two, then builds the cluster', async () => {
    const before = await bootIds();
    const run = await runFleet(['up', inventory, '--prepare', '--yes', '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    const after = await bootIds();
    for (const pi of ['h2', 'h3']) {
      expect(after[pi], pi).to.not.equal(before[pi]);
      const cmdline = await lab.ssh(pi, 'cat /boot/firmware/cmdline.txt');
      expect(cmdline.trim()).to.match(/rootwait cgroup_memory=1 cgroup_enable=memory$/);
      expect(cmdline.split('\n').filter(Boolean)).to.have.length(1);
    }
    for (const other of ['h1', 'h4']) expect(after[other], other).to.equal(before[other]);
    expect(report.hosts.every((h) => h.outcome === 'changed')).to.equal(true);
    const list = await nodes(lab, 'h1');
    expect(list.map((n) => n.name).sort()).to.deep.equal(hosts);
    expect(list.every((n) => n.ready)).to.equal(true);
  });

  it('changes and reboots nothing on a second prepare', async () => {
    const before = await bootIds();
    const cmdlines = await lab.ssh('h2', 'stat -c %Y /boot/firmware/cmdline.txt');
    const run = await runFleet(['prepare', inventory, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as { changed: boolean; hosts: Array<{ name: string; rebooted: boolean; reason: string }> };
    expect(report.changed).to.equal(false);
    expect(report.hosts.every((h) => !h.rebooted)).to.equal(true);
    expect(report.hosts.find((h) => h.name === 'h2')?.reason).to.equal('memory cgroup enabled');
    expect(await bootIds()).to.deep.equal(before);
    expect(await lab.ssh('h2', 'stat -c %Y /boot/firmware/cmdline.txt')).to.equal(cmdlines);
  });
});
