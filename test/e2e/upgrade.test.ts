// `fleet upgrade` end to end on one lab of 3 servers + 6 agents, checked from outside fleet: the
// stand-in's own start/stop/cordon records, an etcd writer beside the run, the nodes' versions.
// v1.30 → v1.31 in full; refusals that change nothing; v1.31 → v1.32 with fleet killed (SIGKILL)
// mid-run; v1.32.1 → v1.32.3 with an agent crashing mid-run; each finished by a re-run.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, eventually, nodes, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { fleetBin, parseReport, runFleet } from './support.js';
import { EtcdWriter, eventsSince, firstAgentTouch, hostsRestartedOrInstalled, mostCordonedAtOnce, mostServersDownAtOnce, serverDownPeriods } from './upgrade-records.js';

const SERVERS = ['h1', 'h2', 'h3'];
const AGENTS = ['h4', 'h5', 'h6', 'h7', 'h8', 'h9'];
const ALL = [...SERVERS, ...AGENTS];
const ROLES = Object.fromEntries(ALL.map((h) => [h, SERVERS.includes(h) ? 'server' : 'agent']));

describe('e2e: fleet upgrade (3 servers + 6 agents)', function () {
  this.timeout(1_500_000);
  let lab: Lab;
  const inventoryFor = (version: string) => writeLabInventory(lab, `upgrade-${version}.yaml`, ROLES, { k3sVersion: version });
  const nowSeconds = () => Date.now() / 1000;
  const versions = async () => Object.fromEntries((await nodes(lab, 'h1')).map((n) => [n.name, n.version]));
  const settled = (version: string) =>
    eventually(`every node Ready on ${version} and etcd healthy`, 120_000, async () => {
      const list = await nodes(lab, 'h1');
      const members = await etcdMembers(lab, SERVERS);
      const ok = list.length === ALL.length && list.every((n) => n.ready && n.version === version) && members.every((m) => m.status === 'started' && !m.isLearner);
      return ok && (await lab.etcdctl(['endpoint', 'health'], { hosts: SERVERS })).code === 0 ? list : undefined;
    });
  /** Fingerprint of what a refused run must not change: binaries, installs, cordons, snapshots. */
  const footprint = async () => {
    const out: Record<string, string> = {};
    for (const host of ALL) {
      out[host] = await lab.ssh(
        host,
        "sudo sha256sum /usr/local/bin/k3s | cut -c1-16; grep -cE ' (install|stopped|cordon) ' /var/log/k3s-standin/events.log; sudo ls /var/lib/rancher/k3s/server/db/snapshots 2>/dev/null | wc -l",
      );
    }
    return out;
  };

  before(async () => {
    lab = await upTestLab({ hosts: ALL.length });
    const run = await runFleet(['up', inventoryFor('v1.30.8+k3s1'), '--json']);
    expect(run.code, run.stderr).to.equal(0);
    await settled('v1.30.8+k3s1');
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses skipping a minor (naming the path), a downgrade, and fleet up with a new version: exit 3, nothing changed', async () => {
    const before = await footprint();
    const skip = await runFleet(['upgrade', inventoryFor('v1.32.1+k3s1'), '--yes']);
    expect(skip.code, skip.stderr).to.equal(3);
    expect(skip.stderr).to.include('skips 1 minor version').and.include('1.30 → 1.31 → 1.32');
    const downgrade = await runFleet(['upgrade', inventoryFor('v1.21.14+k3s1'), '--yes']);
    expect(downgrade.code, downgrade.stderr).to.equal(3);
    expect(downgrade.stderr).to.include('a downgrade is refused');
    const up = await runFleet(['up', inventoryFor('v1.31.4+k3s1')]);
    expect(up.code, up.stderr).to.equal(3);
    expect(up.stderr).to.include('fleet up does not change the version of a running cluster').and.include('fleet upgrade');
    expect(await footprint()).to.deep.equal(before);
  });

  it('refuses a cluster with a learner: exit 3, nothing changed', async () => {
    const before = await footprint();
    const added = await lab.etcdctl(['member', 'add', 'not-started', '--learner', '--peer-urls=http://127.0.0.1:2390'], { hosts: SERVERS });
    expect(added.code, added.stderr).to.equal(0);
    try {
      const run = await runFleet(['upgrade', inventoryFor('v1.31.4+k3s1'), '--yes']);
      expect(run.code, run.stderr).to.equal(3);
      expect(run.stderr).to.include('is a learner');
    } finally {
      const id = /Member\s+([0-9a-f]+)\s+added/.exec(added.stdout)![1]!;
      expect((await lab.etcdctl(['member', 'remove', id], { hosts: SERVERS })).code).to.equal(0);
    }
    expect(await footprint()).to.deep.equal(before);
  });

  it('refuses a cluster without quorum (two of three servers down): exit 3, nothing changed', async () => {
    await lab.crash('h2');
    await lab.crash('h3');
    const before = await lab.ssh('h1', "sudo sha256sum /usr/local/bin/k3s; grep -cE ' (install|stopped|cordon) ' /var/log/k3s-standin/events.log");
    const run = await runFleet(['upgrade', inventoryFor('v1.31.4+k3s1'), '--yes', '--connect-timeout', '3']);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.match(/unreachable|no quorum/);
    expect(await lab.ssh('h1', "sudo sha256sum /usr/local/bin/k3s; grep -cE ' (install|stopped|cordon) ' /var/log/k3s-standin/events.log")).to.equal(before);
    await lab.start('h2');
    await lab.start('h3');
    await settled('v1.30.8+k3s1');
  });

  it('v1.30 → v1.31: one server down at most, writes never refused past one election, no agent before the last server, max-unavailable kept, all Ready on v1.31', async () => {
    const target = 'v1.31.4+k3s1';
    const electionMs = Number(/^election-timeout: (\d+)$/m.exec(await lab.ssh('h1', 'sudo cat /var/lib/rancher/k3s/server/db/etcd/config'))![1]);
    const writer = new EtcdWriter(SERVERS.map((h) => `http://${lab.host(h).address}:2379`));
    writer.start();
    const started = nowSeconds();
    const run = await runFleet(['upgrade', inventoryFor(target), '--yes', '--json', '--max-unavailable', '2']);
    const writes = await writer.stop();
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.every((h) => h.outcome === 'changed')).to.equal(true);

    const events = await eventsSince(lab, ALL, started);
    const down = serverDownPeriods(events, SERVERS);
    expect(down.map((p) => p.host).sort()).to.deep.equal(SERVERS);
    expect(mostServersDownAtOnce(down)).to.equal(1);
    // One leader election: etcd waits a randomized 1-2 election timeouts before it votes; the
    // writer adds one period and its own per-request timeout (1 s) on top.
    const bound = 2 * electionMs + 200 + 1000;
    console.log(`      etcd writer: ${writes.writes} writes, ${writes.failures} refused, longest gap ${writes.longestGapMs} ms (bound ${bound} ms)`);
    expect(writes.longestGapMs, JSON.stringify(writes)).to.be.at.most(bound);
    expect(writes.writes).to.be.greaterThan(50);
    const lastServerOnTarget = Math.max(...events.filter((e) => SERVERS.includes(e.host) && e.words[0] === 'ready' && e.words[1] === 'k3s' && e.words[2] === target).map((e) => e.at));
    expect(firstAgentTouch(events, AGENTS)).to.be.greaterThan(lastServerOnTarget);
    expect(mostCordonedAtOnce(events, AGENTS)).to.equal(2);
    expect(await lab.ssh('h1', 'sudo ls /var/lib/rancher/k3s/server/db/snapshots')).to.match(/^fleet-pre-upgrade-v1\.31\.4-k3s1-h1-\d+$/m);
    const list = await settled(target);
    expect(list.every((n) => n.version === target && n.ready)).to.equal(true);
    expect(JSON.parse(await lab.ssh('h1', 'sudo k3s kubectl get nodes -o json')).items.some((n: { spec: { unschedulable?: boolean } }) => n.spec.unschedulable)).to.equal(false);
  });

  it('v1.31 → v1.32 killed with SIGKILL after the first server: the re-run finishes without touching it', async () => {
    const target = 'v1.32.1+k3s1';
    const inventory = inventoryFor(target);
    const child = spawn(process.execPath, [fleetBin, 'upgrade', inventory, '--yes', '--quiet'], { stdio: 'ignore' });
    const started = nowSeconds();
    await eventually('h1 ready on the target', 300_000, async () => ((await eventsSince(lab, ['h1'], started)).some((e) => e.words.join(' ') === `ready k3s ${target}`) ? true : undefined));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    // A user checks the cluster is whole again, then clears the dead run's lock and re-runs.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await eventually('etcd healthy', 120_000, async () => ((await lab.etcdctl(['endpoint', 'health'], { hosts: SERVERS })).code === 0 ? true : undefined));
    const done = Object.entries(await versions())
      .filter(([, v]) => v === target)
      .map(([h]) => h);
    expect(done).to.include('h1');
    expect((await runFleet(['unlock', inventory])).code).to.equal(0);
    const rerunStarted = nowSeconds();
    const rerun = await runFleet(['upgrade', inventory, '--yes', '--json']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    const touched = hostsRestartedOrInstalled(await eventsSince(lab, ALL, rerunStarted));
    for (const host of done) expect(touched).to.not.include(host);
    expect(touched).to.include.members(AGENTS);
    await settled(target);
  });

  it('v1.32.1 → v1.32.3 with an agent crashing mid-upgrade: the run fails, the re-run finishes without touching hosts done', async () => {
    const target = 'v1.32.3+k3s1';
    const inventory = inventoryFor(target);
    // h6 is in the second batch: its install waits long enough for the crash to land inside it.
    await lab.ssh('h6', 'echo 30 | sudo tee /etc/rancher/k3s/standin-install-delay > /dev/null');
    const started = nowSeconds();
    const running = runFleet(['upgrade', inventory, '--yes', '--json', '--max-unavailable', '2']);
    await eventually('h6 installing', 400_000, async () => ((await eventsSince(lab, ['h6'], started)).some((e) => e.words[0] === 'install') ? true : undefined));
    await lab.crash('h6');
    const failed = await running;
    expect(failed.code, failed.stderr).to.equal(1);
    expect(parseReport(failed).hosts.find((h) => h.name === 'h6')!.outcome).to.equal('failed');
    await lab.start('h6');
    // Hosts the failed run finished (h6 aside: its new binary may already run after the boot, but
    // it was left cordoned, so the re-run must still see to it).
    const done = Object.entries(await versions())
      .filter(([h, v]) => v === target && h !== 'h6')
      .map(([h]) => h);
    expect(done).to.include.members(SERVERS);
    const rerunStarted = nowSeconds();
    const rerun = await runFleet(['upgrade', inventory, '--yes', '--json', '--max-unavailable', '2']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(parseReport(rerun).hosts.find((h) => h.name === 'h6')!.outcome).to.equal('changed');
    const touched = hostsRestartedOrInstalled(await eventsSince(lab, ALL, rerunStarted));
    for (const host of done) expect(touched).to.not.include(host);
    await settled(target);
    expect(JSON.parse(await lab.ssh('h1', 'sudo k3s kubectl get nodes -o json')).items.some((n: { spec: { unschedulable?: boolean } }) => n.spec.unschedulable)).to.equal(false);
  });
});
