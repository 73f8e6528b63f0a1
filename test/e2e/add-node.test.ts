// `fleet add-node` and `fleet status` end to end on one lab, chained: a 3-server cluster, an agent
// added while the first server is down, status with one and two servers down, the quorum rule
// (one server refused, two added), and a new host written back into the inventory.
import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, eventually, nodes, serverToken, upTestLab } from '../lab/support.js';
import { untouched, writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

describe('e2e: fleet add-node and fleet status on a running cluster', function () {
  this.timeout(900_000);
  let lab: Lab;
  let full: string;
  const address = (name: string) => lab.host(name).address;
  const allHealthy = (hosts: string[]) =>
    eventually('etcd healthy on every server', 90_000, async () => {
      const members = await etcdMembers(lab, hosts);
      return members.every((m) => m.status === 'started' && !m.isLearner) && (await lab.etcdctl(['endpoint', 'health'], { hosts })).code === 0 ? members : undefined;
    });

  before(async () => {
    lab = await upTestLab({ hosts: 7 });
    // The cluster as first built: three servers.
    const initial = writeLabInventory(lab, 'initial.yaml', { h1: 'server', h2: 'server', h3: 'server' });
    const run = await runFleet(['up', initial, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    // The inventory grows: two more servers and an agent, not in the cluster yet (h7 is not listed).
    full = writeLabInventory(lab, 'full.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'server', h5: 'server', h6: 'agent' });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('status: every host, the etcd members, "1 more server failure loses quorum" at 3 of 3 minus one', async () => {
    const run = await runFleet(['status', full, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const status = JSON.parse(run.stdout);
    expect(status.etcd.voters).to.equal(3);
    expect(status.etcd.healthyVoters).to.equal(3);
    expect(status.etcd.canLose).to.equal(1);
    expect(status.notInCluster).to.deep.equal(['h4', 'h5', 'h6']);
    expect(status.hosts.find((h: { name: string }) => h.name === 'h2')).to.include({ reachable: true, running: true, role: 'server', nodeReady: true, k3sVersion: 'v1.31.4+k3s1' });
  });

  it('adds an agent while the first server is down: it joins a live server', async () => {
    await lab.crash('h1');
    const run = await runFleet(['add-node', full, '--host', 'h6', '--json'], { watchArgv: true });
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    // The token fleet read from a live server stays out of output, logs and every argv.
    const secret = (await serverToken(lab, 'h2')).split(':').pop()!;
    expect(secret).to.have.length.greaterThan(10);
    expect(run.stdout + run.stderr).to.not.include(secret);
    for (const argv of run.argvSeen) expect(argv).to.not.include(secret);
    const log = readFileSync((JSON.parse(run.stdout) as { log: string }).log, 'utf8');
    expect(log).to.include('"command"').and.not.include(secret);
    expect(report.hosts.map((h) => h.name).sort()).to.deep.equal(['h2', 'h3', 'h6']);
    expect(report.hosts.find((h) => h.name === 'h6')!.outcome).to.equal('changed');
    const config = await lab.ssh('h6', 'sudo cat /etc/rancher/k3s/config.yaml');
    expect(config).to.include(`server: https://${address('h2')}:6443`);
    const list = await nodes(lab, 'h2');
    expect(list.find((n) => n.name === 'h6')?.ready).to.equal(true);
    expect(await untouched(lab, ['h4', 'h5'])).to.deep.equal([]);
  });

  it('kubeconfig: fetched again from a live server while the first is down, pointing at it', async () => {
    const run = await runFleet(['kubeconfig', full, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as { kubeconfig: string; from: string };
    expect(result.from).to.equal('h2');
    expect(statSync(result.kubeconfig).mode & 0o777).to.equal(0o600);
    const kubeconfig = parse(readFileSync(result.kubeconfig, 'utf8'));
    expect(kubeconfig.clusters[0].cluster.server).to.equal(`https://${address('h2')}:6443`);
    expect(kubeconfig['current-context']).to.equal('lab');
  });

  it('status with one of three servers down: exit 0, h1 shown down, "1 more server failure loses quorum"', async () => {
    const started = Date.now();
    const run = await runFleet(['status', full]);
    expect(run.code, run.stderr).to.equal(0);
    expect(Date.now() - started).to.be.below(60_000);
    expect(run.stdout).to.match(/^h1\s+\S+\s+NO\b/m);
    expect(run.stdout).to.match(/^h2\s+\S+\s+yes\s+server\s+v1\.31\.4\+k3s1\s+running\s+Ready\s+healthy/m);
    expect(run.stdout).to.include('1 more server failure loses quorum (2 of 3 voting members healthy, quorum 2)');
    expect((await runFleet(['status', full, '--strict'])).code).to.equal(1);
  });

  it('status with two of three servers down: exit 1, "quorum LOST"', async () => {
    await lab.crash('h2');
    const run = await runFleet(['status', full]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.match(/quorum LOST/);
    const json = JSON.parse((await runFleet(['status', full, '--json'])).stdout);
    expect(json.quorumHolds).to.equal(false);
    await lab.start('h1');
    await lab.start('h2');
    await allHealthy(['h1', 'h2', 'h3']);
  });

  it('refuses to add one server to three (exit 3, the arithmetic, nothing installed)', async () => {
    const run = await runFleet(['add-node', full, '--host', 'h4']);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include('3 → 4 servers: quorum 2 → 3, tolerates 1 failure → 1 failure (no gain in tolerance)');
    expect(run.stderr).to.match(/add 2 servers in one call instead \(3 → 5 tolerates 2 failures\)/);
    expect(await untouched(lab, ['h4'])).to.deep.equal([]);
    expect(await etcdMembers(lab, ['h1'])).to.have.length(3);
  });

  it('adds two servers in one call (3 → 5), one at a time', async () => {
    const run = await runFleet(['add-node', full, '--host', 'h4', '--host', 'h5', '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(
      report.hosts
        .filter((h) => h.outcome === 'changed')
        .map((h) => h.name)
        .sort(),
    ).to.deep.equal(['h4', 'h5']);
    const members = await allHealthy(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(members).to.have.length(5);
    const h4 = Number(/^(\d+\.\d+) installed /m.exec(await lab.ssh('h4', 'cat /var/log/k3s-standin/events.log'))![1]);
    const h5 = Number(/^(\d+\.\d+) install /m.exec(await lab.ssh('h5', 'cat /var/log/k3s-standin/events.log'))![1]);
    expect(h5).to.be.greaterThan(h4);
  });

  it('adds a new host by --name and writes it into the inventory, comments kept', async () => {
    const before = readFileSync(full, 'utf8');
    const run = await runFleet(['add-node', full, '--name', 'h7', '--address', address('h7'), '--role', 'agent', '--kind', 'x86']);
    expect(run.code, run.stderr).to.equal(0);
    const after = readFileSync(full, 'utf8');
    expect(after.startsWith(before)).to.equal(true);
    expect(after.slice(before.length)).to.equal(`  - name: h7\n    address: ${address('h7')}\n    role: agent\n    kind: x86\n`);
    expect(after).to.include('# The lab cluster: servers first, then agents.');
    expect((await nodes(lab, 'h1')).find((n) => n.name === 'h7')?.ready).to.equal(true);
  });

  it('refuses a new host that breaks the inventory rules before connecting (exit 2, file unchanged)', async () => {
    const before = readFileSync(full, 'utf8');
    const run = await runFleet(['add-node', full, '--name', 'Bad_Name', '--address', '10.0.0.9', '--role', 'agent']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/hosts\[7\]\.name/);
    expect(readFileSync(full, 'utf8')).to.equal(before);
  });
});
