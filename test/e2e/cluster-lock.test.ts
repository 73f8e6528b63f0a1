// The cluster lock on the lab: two controllers (two state directories, as a desktop and a laptop
// would have) drive the same three servers. The lock file on each server names its holder; a
// run SIGKILLed while it holds the lock leaves it behind, the other controller is refused with
// the lock called stale, `fleet unlock` clears it; then both start `fleet up` at once: exactly one
// runs, the other exits 2 naming the holder, and the lock is gone from every server afterwards.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, eventually, upTestLab } from '../lab/support.js';
import { delayNextInstall, installStarted, mostInstallsAtOnce, standinEvents, startFleet } from './fault-injection.js';
import { labInventory } from './lab-inventory.js';
import { runFleet } from './support.js';

const LOCK = '/var/lib/rancher/k3s/fleet.lock';
const SERVERS = ['h1', 'h2', 'h3'];

describe('e2e: the cluster lock, respected by two controllers', function () {
  this.timeout(600_000);
  let lab: Lab;
  let laptopA: string;
  let laptopB: string;

  const lockOn = async (host: string): Promise<string | undefined> => {
    const read = await lab.sshExec(host, `sudo cat ${LOCK}`);
    return read.code === 0 ? read.stdout : undefined;
  };

  before(async () => {
    lab = await upTestLab({ hosts: 3 });
    const inventory = labInventory(lab, { h1: 'server', h2: 'server', h3: 'server' }).replace('maxFsyncP99Ms: 200', 'maxFsyncP99Ms: 1000');
    for (const name of ['laptop-a', 'laptop-b']) {
      mkdirSync(join(lab.dir, name));
      writeFileSync(join(lab.dir, name, 'inventory.yaml'), inventory);
    }
    laptopA = join(lab.dir, 'laptop-a', 'inventory.yaml');
    laptopB = join(lab.dir, 'laptop-b', 'inventory.yaml');
  });
  after(async () => {
    await downTestLab(lab);
  });

  let killedPid: number;

  it('takes the lock on every server of a fresh cluster, naming machine, user, pid, command and start time', async () => {
    // Long enough that the install this run leaves behind on h1 is still running when the later tests start theirs.
    await delayNextInstall(lab, 'h1', 20);
    const run = startFleet(['up', laptopA]);
    killedPid = run.child.pid!;
    await installStarted(lab, 'h1', run.done);
    for (const host of SERVERS) {
      const text = await eventually(`the lock on ${host}`, 10_000, () => lockOn(host));
      const owner = JSON.parse(text);
      expect(owner).to.include({ machine: hostname(), user: userInfo().username, pid: killedPid, command: `fleet up ${laptopA}` });
      expect(owner.machineId).to.be.a('string').with.length.greaterThan(0);
      expect(Date.now() - Date.parse(owner.startedAt)).to.be.within(0, 600_000);
    }
    // Power cut for the controller: SIGKILL, no cleanup at all.
    run.child.kill('SIGKILL');
    const ended = await run.done;
    expect(ended.code).to.equal(null);
    for (const host of SERVERS) expect(await lockOn(host), host).to.be.a('string');
  });

  it('refuses the other controller with exit 2, naming the holder and calling the lock stale', async () => {
    const refused = await runFleet(['up', laptopB]);
    expect(refused.code, refused.stderr).to.equal(2);
    expect(refused.stderr).to.include(`another fleet run holds the cluster lock (${LOCK} on h1): \`fleet up ${laptopA}\` by ${userInfo().username} on ${hostname()}`);
    expect(refused.stderr).to.include(`pid ${killedPid}`);
    expect(refused.stderr).to.match(/the lock is stale: its process \(pid \d+\) is gone from this machine/);
    expect(refused.stderr).to.include('fleet unlock <inventory>');
    // Refused before any change: nothing was installed from this controller (h1's own install went on).
    for (const host of ['h2', 'h3']) expect((await lab.sshExec(host, 'test -e /usr/local/bin/k3s')).code, host).to.not.equal(0);
  });

  it('fleet unlock clears the stale lock on every server', async () => {
    const unlock = await runFleet(['unlock', laptopB]);
    expect(unlock.code, unlock.stderr).to.equal(0);
    for (const host of SERVERS) expect(unlock.stdout).to.match(new RegExp(`removed the cluster lock on ${host}: .*\\(stale: its process`));
    for (const host of SERVERS) expect(await lockOn(host), host).to.equal(undefined);
    // Controller A's own local lock is left from the kill: stale on this machine, cleared the same way.
    const unlockA = await runFleet(['unlock', laptopA]);
    expect(unlockA.code, unlockA.stderr).to.equal(0);
    expect(unlockA.stdout).to.include(`removed ${join(lab.dir, 'laptop-a', '.fleet', 'lab', 'lock')}`);
  });

  it('a second Ctrl-C quits at once but gives the cluster lock back first (exit 130)', async () => {
    await delayNextInstall(lab, 'h2', 10);
    const run = startFleet(['up', laptopA]);
    await installStarted(lab, 'h2', run.done);
    for (const host of SERVERS) expect(await lockOn(host), host).to.be.a('string');
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code, ended.stderr).to.equal(130);
    for (const host of SERVERS) expect(await lockOn(host), host).to.equal(undefined);
    // h1's install waited for the one the SIGKILLed controller left running there, instead of interleaving with it.
    expect(standinEvents(lab, 'h1').match(/^\S+ install /gm), 'installs on h1').to.have.length(2);
    expect(mostInstallsAtOnce(lab, 'h1'), 'installs at once on h1').to.equal(1);
  });

  it('two controllers start fleet up at once: exactly one runs, the other exits 2 naming the holder; no lock is left', async () => {
    const a = startFleet(['up', laptopA]);
    const b = startFleet(['up', laptopB]);
    const [endA, endB] = await Promise.all([a.done, b.done]);
    const codes = [endA.code, endB.code].sort();
    expect(codes, `A: ${endA.stderr}\nB: ${endB.stderr}`).to.deep.equal([0, 2]);
    const [winner, loser, winnerInventory] = endA.code === 0 ? [a, endB, laptopA] : [b, endA, laptopB];
    expect(loser.stderr).to.include(`another fleet run holds the cluster lock (${LOCK} on h1): \`fleet up ${winnerInventory}\``);
    expect(loser.stderr).to.include(`pid ${winner.child.pid}`);
    expect(loser.stderr).to.not.include('stale');
    expect(loser.stderr).to.include('wait for that run to finish');
    for (const host of SERVERS) expect(await lockOn(host), host).to.equal(undefined);
  });

  it('a converged run takes the lock and gives it back', async () => {
    const again = await runFleet(['up', laptopB, '--json']);
    expect(again.code, again.stderr).to.equal(0);
    for (const host of SERVERS) expect(await lockOn(host), host).to.equal(undefined);
  });
});
