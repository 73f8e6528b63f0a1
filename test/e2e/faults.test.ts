// Faults injected for real during one `fleet up` on the lab, then a re-run that must finish the
// job. One run carries four faults at once (they hit different hosts):
//   h2 (joining server) loses power while its install runs;
//   h4 (agent) hangs in its install past FLEET_INSTALL_TIMEOUT_MS;
//   h5 (agent) loses power while its install runs;
//   h6 (agent) has its sshd killed while its install runs (the host itself stays up).
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, nodes, upTestLab } from '../lab/support.js';
import { delayNextInstall, faultsInventory, installStarted, installsStarted, killSshd, restartSshd } from './fault-injection.js';
import { parseReport, runFleet, type FleetRun } from './support.js';

const INSTALL_TIMEOUT_MS = 20_000;

describe('e2e faults: hosts lost, hung or cut off during fleet up', function () {
  this.timeout(600_000);
  let lab: Lab;
  let inventory: string;
  let first: FleetRun;
  let report: ReturnType<typeof parseReport>;
  const host = (name: string) => report.hosts.find((h) => h.name === name)!;

  before(async () => {
    lab = await upTestLab({ hosts: 6 });
    inventory = faultsInventory(lab);
    await delayNextInstall(lab, 'h2', 60);
    await delayNextInstall(lab, 'h4', 300);
    await delayNextInstall(lab, 'h5', 60);
    await delayNextInstall(lab, 'h6', 10);
    const run = runFleet(['up', inventory, '--json', '--connect-timeout', '3'], { env: { FLEET_INSTALL_TIMEOUT_MS: String(INSTALL_TIMEOUT_MS) } });
    // Each fault lands while that host's install is running (the stand-in sleeps there).
    const faults = Promise.all([
      installStarted(lab, 'h2', run).then(() => lab.crash('h2')),
      installStarted(lab, 'h5', run).then(() => lab.crash('h5')),
      installStarted(lab, 'h6', run).then(() => expect(killSshd(lab, 'h6')).to.not.be.empty),
    ]);
    [first] = await Promise.all([run, faults]);
    report = parseReport(first);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('ends with exit 1 and a report naming each failed host with its reason', () => {
    expect(first.code, first.stderr).to.equal(1);
    expect(host('h1').outcome).to.equal('changed');
    expect(host('h2').outcome).to.equal('failed');
    expect(host('h2').error).to.match(/h2: the SSH connection was lost while a command ran/);
    expect(host('h4').outcome).to.equal('failed');
    expect(host('h4').error).to.match(/h4: install k3s timed out after 20 s and was killed/);
    expect(host('h5').outcome).to.equal('failed');
    expect(host('h5').error).to.match(/h5: the SSH connection was lost while a command ran/);
    expect(host('h6').outcome).to.equal('failed');
    expect(host('h6').error).to.match(/h6: the SSH connection was lost while a command ran; it may have run partly/);
  });

  it('a server lost during its join: no further server joins, and the cluster keeps quorum', async () => {
    expect(report.notStarted).to.include('h3');
    expect(host('h3').outcome).to.equal('skipped');
    expect(installsStarted(lab, 'h3')).to.equal(0);
    const members = await etcdMembers(lab, ['h1']);
    expect(members.map((m) => [m.name.replace(/-[0-9a-f]+$/, ''), m.status, m.isLearner])).to.deep.equal([['h1', 'started', false]]);
    const put = await lab.etcdctl(['put', 'fleet-faults/quorum', 'ok'], { hosts: ['h1'] });
    expect(put.code, put.stderr).to.equal(0);
  });

  it('agents still join while a server failed, except the ones that failed themselves', async () => {
    const ready = (await nodes(lab, 'h1'))
      .filter((n) => n.ready)
      .map((n) => n.name)
      .sort();
    expect(ready).to.include('h1');
    expect(ready).to.not.include('h2');
    expect(ready).to.not.include('h4');
    expect(ready).to.not.include('h5');
  });

  it('kills a hung install on the host when its timeout fires', async () => {
    const processes = await lab.ssh('h4', 'ps -eo args');
    expect(processes).to.not.match(/sleep 300/);
    expect(processes).to.not.match(/fleet-[0-9a-f]+-install\.sh/);
  });

  it('never re-runs a command after its connection dropped', () => {
    expect(installsStarted(lab, 'h6')).to.equal(1);
    expect(installsStarted(lab, 'h5')).to.equal(1);
    expect(installsStarted(lab, 'h2')).to.equal(1);
  });

  it('a re-run once the hosts are back completes only what is missing', async () => {
    await lab.start('h2');
    await lab.start('h5');
    await restartSshd(lab, 'h6');
    const installsBefore = Object.fromEntries(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => [h, installsStarted(lab, h)]));
    const second = await runFleet(['up', inventory, '--json']);
    const again = parseReport(second);
    expect(second.code, second.stderr).to.equal(0);
    const outcome = (name: string) => again.hosts.find((h) => h.name === name)!.outcome;
    expect(outcome('h1')).to.equal('unchanged');
    for (const name of ['h2', 'h3', 'h4', 'h5']) expect(outcome(name), name).to.equal('changed');
    // h6's install went on by itself after its SSH connection dropped: now it only has to be checked.
    expect(['changed', 'unchanged']).to.include(outcome('h6'));
    expect(installsStarted(lab, 'h1')).to.equal(installsBefore.h1);
    const members = await etcdMembers(lab, ['h1', 'h2', 'h3']);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    const all = await nodes(lab, 'h1');
    expect(
      all
        .filter((n) => n.ready)
        .map((n) => n.name)
        .sort(),
    ).to.deep.equal(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
  });
});
