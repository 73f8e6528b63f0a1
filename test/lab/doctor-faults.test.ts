// The lab's identity and clock-service faults, proven by hand (ssh, no fleet): each host has a
// machine-id of its own, kept across a reboot, and a copied one is seen at once (a cloned image);
// timedatectl answers as systemd's does, and says "no" on a host marked unsynchronised.
import { expect } from 'chai';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import { downTestLab, upTestLab } from './support.js';

describe('lab: machine-id and timedatectl per host', function () {
  this.timeout(120_000);
  let lab: Lab;
  const hostFile = (host: string, file: string) => join(lab.dir, 'hosts', host, file);
  const machineId = async (host: string) => (await lab.ssh(host, 'cat /etc/machine-id')).trim();

  before(async () => {
    lab = await upTestLab({ hosts: 3 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('gives each host its own machine-id, kept across a reboot', async () => {
    const ids = await Promise.all(['h1', 'h2', 'h3'].map(machineId));
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).to.equal(3);
    await lab.crash('h2');
    await lab.start('h2');
    expect(await machineId('h2')).to.equal(ids[1]);
  });

  it('shows a copied machine-id at once, as a cloned SD card has it', async () => {
    copyFileSync(hostFile('h1', 'etc/machine-id'), hostFile('h3', 'etc/machine-id'));
    expect(await machineId('h3')).to.equal(await machineId('h1'));
    writeFileSync(hostFile('h3', 'etc/machine-id'), 'f'.repeat(32) + '\n');
  });

  it('answers timedatectl as systemd does: synchronised, unless the host is marked otherwise', async () => {
    expect((await lab.ssh('h1', 'timedatectl show -p NTPSynchronized --value')).trim()).to.equal('yes');
    expect(await lab.ssh('h1', 'timedatectl')).to.match(/System clock synchronized: yes\n\s+NTP service: active/);
    writeFileSync(hostFile('h2', 'clock-unsynced'), '');
    expect((await lab.ssh('h2', 'timedatectl show -p NTPSynchronized --value')).trim()).to.equal('no');
    expect(await lab.ssh('h2', 'timedatectl status')).to.include('System clock synchronized: no');
    expect((await lab.ssh('h1', 'timedatectl show -p NTPSynchronized --value')).trim()).to.equal('yes');
    rmSync(hostFile('h2', 'clock-unsynced'));
    expect((await lab.ssh('h2', 'timedatectl show -p NTPSynchronized --value')).trim()).to.equal('yes');
  });

  it("refuses what it does not know, with timedatectl's words", async () => {
    const result = await lab.sshExec('h1', 'timedatectl frobnicate');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include("Unknown command verb 'frobnicate'.");
  });
});
