// Ctrl-C and the run lock, end to end on the lab: a second run is turned away while the first
// holds the lock; SIGINT while the first server installs lets that install finish, starts
// nothing new, releases the lock and exits 130; a stale lock from a dead run is named as such
// and cleared with `fleet unlock`.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, upTestLab } from '../lab/support.js';
import { delayNextInstall, faultsInventory, installStarted, installsStarted, standinEvents, startFleet } from './fault-injection.js';
import { parseReport, runFleet } from './support.js';

describe('e2e faults: Ctrl-C and the run lock', function () {
  this.timeout(600_000);
  let lab: Lab;
  let inventory: string;
  let lockFile: string;
  let interrupted: { code: number | null; stdout: string; stderr: string };
  let turnedAway: Awaited<ReturnType<typeof runFleet>>;
  let runPid: number;

  before(async () => {
    lab = await upTestLab({ hosts: 4 });
    inventory = faultsInventory(lab);
    lockFile = join(lab.dir, '.fleet', 'lab', 'lock');
    await delayNextInstall(lab, 'h1', 8);
    const run = startFleet(['up', inventory]);
    runPid = run.child.pid!;
    await installStarted(lab, 'h1', run.done);
    turnedAway = await runFleet(['up', inventory]);
    process.kill(runPid, 'SIGINT');
    interrupted = await run.done;
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('turns a second run away with the lock owner and its age (exit 2)', () => {
    expect(turnedAway.code, turnedAway.stderr).to.equal(2);
    expect(turnedAway.stderr).to.include(`another fleet run holds ${lockFile}`);
    expect(turnedAway.stderr).to.match(new RegExp(`\\(pid ${runPid} on ${hostname()}, started \\S+, \\d+s ago\\)`));
  });

  it('on SIGINT: lets the running install finish, starts nothing new, releases the lock (here and on the servers), exits 130', async () => {
    expect(interrupted.code, interrupted.stderr).to.equal(130);
    expect(existsSync(lockFile)).to.equal(false);
    // The cluster lock too, on every server it was taken on.
    for (const name of ['h1', 'h2', 'h3']) {
      expect((await lab.sshExec(name, 'sudo test -e /var/lib/rancher/k3s/fleet.lock')).code, `${name} still holds the cluster lock`).to.not.equal(0);
    }
    expect(interrupted.stdout).to.match(/Not started: h2, h3, h4 — run fleet up again to finish\./);
    expect(interrupted.stdout).to.match(/Interrupted after [\d.]+s; running steps were let finish/);
    // Done: h1 installed (its readiness wait was cut short). Not done: the rest, never looked at.
    expect(interrupted.stdout).to.match(/^h1\s+server\s.*\schanged\s/m);
    for (const name of ['h2', 'h3', 'h4']) expect(interrupted.stdout).to.match(new RegExp(`^${name}\\s.*\\sskipped\\s`, 'm'));
    expect(interrupted.stdout).to.not.match(/^Failed:/m);
    // The install that was running finished; no other host was touched.
    expect(standinEvents(lab, 'h1')).to.match(/ installed k3s status=0/);
    for (const name of ['h2', 'h3', 'h4']) {
      expect(installsStarted(lab, name), name).to.equal(0);
      const touched = await lab.sshExec(name, 'test -e /etc/rancher/k3s/config.yaml || test -e /usr/local/bin/k3s');
      expect(touched.code, `${name} was changed`).to.not.equal(0);
    }
  });

  it('a re-run after the interruption converges', async () => {
    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.find((h) => h.name === 'h1')!.outcome).to.equal('unchanged');
    for (const name of ['h2', 'h3', 'h4']) expect(report.hosts.find((h) => h.name === name)!.outcome, name).to.equal('changed');
    expect(installsStarted(lab, 'h1')).to.equal(1);
    const members = await etcdMembers(lab, ['h1']);
    expect(members.filter((m) => m.status === 'started' && !m.isLearner)).to.have.length(3);
  });

  it('names a lock left by a dead run as stale, and fleet unlock clears it', async () => {
    const dead = spawnSync('true');
    expect(dead.pid).to.be.a('number');
    mkdirSync(join(lab.dir, '.fleet', 'lab'), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: dead.pid, host: hostname(), command: 'fleet up inventory.yaml', startedAt: new Date(Date.now() - 3_600_000).toISOString() }));
    const refused = await runFleet(['up', inventory]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include(`pid ${dead.pid}`);
    expect(refused.stderr).to.match(/60m ago\) — that process is gone, so the lock is stale/);
    expect(refused.stderr).to.include('fleet unlock');
    const unlock = await runFleet(['unlock', inventory]);
    expect(unlock.code, unlock.stderr).to.equal(0);
    expect(unlock.stdout).to.include(`removed ${lockFile}`);
    expect(existsSync(lockFile)).to.equal(false);
    const after = await runFleet(['up', inventory, '--json']);
    expect(after.code, after.stderr).to.equal(0);
    expect(parseReport(after).changed).to.equal(false);
  });
});
