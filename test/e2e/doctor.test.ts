// `fleet doctor` on the lab, each fault made on the hosts (not in fleet): a clean fleet is all ok
// (exit 0); a host marked unsynchronised warns that check on that host only (exit 1); a copied
// machine-id fails that check on both hosts only (exit 3); a host down is one failure, the rest
// checked. Afterwards no file of doctor's is left in the hosts' /tmp or data directory.
import { expect } from 'chai';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { runFleet } from './support.js';

interface Check {
  check: string;
  host?: string;
  status: string;
}

describe('e2e: fleet doctor (3 servers + 1 agent, no K3s)', function () {
  this.timeout(300_000);
  let lab: Lab;
  let inventory: string;
  const hosts = ['h1', 'h2', 'h3', 'h4'];
  const hostFile = (host: string, file: string) => join(lab.dir, 'hosts', host, file);

  const doctor = async () => {
    const run = await runFleet(['doctor', inventory, '--json']);
    const report = JSON.parse(run.stdout) as { exitCode: number; checks: Check[] };
    expect(report.exitCode, run.stderr).to.equal(run.code);
    return { code: run.code, checks: report.checks, notOk: report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.check} ${c.host} ${c.status}`) };
  };

  before(async () => {
    lab = await upTestLab({ hosts: hosts.length });
    inventory = writeLabInventory(lab, 'inventory.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent' });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('a clean fleet is all ok: exit 0, every host identified, clocked and measured', async () => {
    const { code, checks, notOk } = await doctor();
    expect(notOk).to.deep.equal([]);
    expect(code).to.equal(0);
    for (const check of ['identity.machine-id', 'identity.host-key', 'clock.synchronized', 'clock.offset', 'disk.space']) {
      expect(
        checks.filter((c) => c.check === check).map((c) => c.host),
        check,
      ).to.deep.equal(hosts);
    }
    expect(checks.filter((c) => c.check === 'disk.fsync').map((c) => c.host)).to.deep.equal(['h1', 'h2', 'h3']);
  });

  it('a host whose clock is not synchronised: that check warns on that host, nothing else (exit 1)', async () => {
    writeFileSync(hostFile('h2', 'clock-unsynced'), '');
    try {
      const { code, notOk } = await doctor();
      expect(notOk).to.deep.equal(['clock.synchronized h2 warn']);
      expect(code).to.equal(1);
    } finally {
      rmSync(hostFile('h2', 'clock-unsynced'));
    }
  });

  it('cloned machine-ids: that check fails on both hosts, nothing else (exit 3)', async () => {
    const own = hostFile('h4', 'etc/machine-id.own');
    copyFileSync(hostFile('h4', 'etc/machine-id'), own);
    copyFileSync(hostFile('h1', 'etc/machine-id'), hostFile('h4', 'etc/machine-id'));
    try {
      const { code, notOk } = await doctor();
      expect(notOk).to.deep.equal(['identity.machine-id h1 fail', 'identity.machine-id h4 fail']);
      expect(code).to.equal(3);
    } finally {
      copyFileSync(own, hostFile('h4', 'etc/machine-id'));
    }
  });

  it('a host down is one failure and the others are still checked', async () => {
    await lab.crash('h4');
    try {
      const { code, checks, notOk } = await doctor();
      expect(notOk).to.deep.equal(['host.reachable h4 fail']);
      expect(code).to.equal(3);
      expect(checks.filter((c) => c.check === 'identity.machine-id').map((c) => c.host)).to.deep.equal(['h1', 'h2', 'h3']);
    } finally {
      await lab.start('h4');
    }
  });

  it('leaves no file behind on the hosts (the disk probe cleans up)', async () => {
    for (const host of ['h1', 'h2', 'h3']) {
      expect((await lab.ssh(host, 'sudo find /tmp /var/lib/rancher -mindepth 1 -newer /etc/hostname 2>/dev/null | grep -v "^/var/lib/rancher$" || true')).trim(), host).to.equal('');
    }
  });
});

describe('e2e: fleet doctor on hosts that all share the hostname raspberrypi', function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 2, hostname: 'raspberrypi' });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it("warns identity.hostname on both, with up's message, and nothing else (exit 1)", async () => {
    const inventory = writeLabInventory(lab, 'inventory.yaml', { h1: 'server', h2: 'agent' });
    const run = await runFleet(['doctor', inventory, '--json']);
    const report = JSON.parse(run.stdout) as { checks: Array<Check & { message: string }> };
    const notOk = report.checks.filter((c) => c.status !== 'ok');
    expect(notOk.map((c) => `${c.check} ${c.host} ${c.status}`)).to.deep.equal(['identity.hostname h1 warn', 'identity.hostname h2 warn']);
    expect(notOk[0]!.message).to.equal(
      'h1, h2 share the hostname raspberrypi: fleet names each node after the inventory (node-name), so K3s tells them apart; give them their own hostnames when you can',
    );
    expect(run.code).to.equal(1);
  });
});
