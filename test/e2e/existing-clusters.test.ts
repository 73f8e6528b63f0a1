// Clusters that already exist, end to end on one lab, chained: a token that does not match, a
// must-match flag that differs, ordinary drift on one host, and a re-imaged first server whose
// stale etcd member fleet removes (after confirmation) before the host rejoins the survivors.
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, eventually, journal, nodes, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

const ROLES = { h1: 'server', h2: 'server', h3: 'server', h4: 'agent' };
const HOSTS = Object.keys(ROLES);
const CIDR = ['  config:', '    cluster-cidr: 10.42.0.0/16'];

/** config.yaml mtime and the stand-in's event count per host: any touch changes one of them. */
async function stamps(lab: Lab, hosts: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const host of hosts) out[host] = await lab.ssh(host, 'sudo stat -c %Y.%y /etc/rancher/k3s/config.yaml; sudo wc -l < /var/log/k3s-standin/events.log');
  return out;
}

interface Member {
  /** Decimal, as etcd's JSON gateway (and fleet) print it. */
  id: string;
  name: string;
  peerURL: string;
  isLearner: boolean;
}

/** `etcdctl member list` from one server's etcd, sorted by peer URL (IDs read as hex, exactly). */
async function memberList(lab: Lab, host: string): Promise<Member[]> {
  const result = await lab.etcdctl(['member', 'list', '-w', 'simple', '--hex'], { hosts: [host] });
  expect(result.code, result.stderr).to.equal(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(', '))
    .map(([id, , name, peer, , learner]) => ({ id: BigInt(`0x${id}`).toString(), name: name ?? '', peerURL: peer ?? '', isLearner: learner === 'true' }))
    .sort((a, b) => a.peerURL.localeCompare(b.peerURL));
}

describe('e2e: existing clusters (token, must-match, drift, re-imaged server)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let inventory: string;

  before(async () => {
    lab = await upTestLab({ hosts: 4 });
    inventory = writeLabInventory(lab, 'inventory.yaml', ROLES, { cluster: CIDR });
    const run = await runFleet(['up', inventory, '--json']);
    expect(run.code, run.stderr).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it("refuses an inventory token that is not the cluster's (exit 3, nothing changed)", async () => {
    const before = await stamps(lab, HOSTS);
    const wrong = writeLabInventory(lab, 'wrong-token.yaml', ROLES, { cluster: [...CIDR, '  token: not-the-cluster-token-4711'] });
    const run = await runFleet(['up', wrong]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.include("the inventory's token differs from the one the running cluster uses (on h1, h2, h3)");
    expect(run.stderr + run.stdout).to.not.include('not-the-cluster-token-4711');
    expect(await stamps(lab, HOSTS)).to.deep.equal(before);
  });

  it('refuses a must-match flag that differs from the running servers, naming both values (exit 3)', async () => {
    const before = await stamps(lab, HOSTS);
    const changed = writeLabInventory(lab, 'cidr.yaml', ROLES, { cluster: ['  config:', '    cluster-cidr: 10.99.0.0/16'] });
    for (const command of ['plan', 'up']) {
      const run = await runFleet([command, changed]);
      expect(run.code, run.stderr).to.equal(3);
      expect(run.stderr).to.include('cluster-cidr: the inventory says 10.99.0.0/16, the running servers (h1, h2, h3) use 10.42.0.0/16');
      expect(run.stderr).to.include('cannot be changed in place');
    }
    expect(await stamps(lab, HOSTS)).to.deep.equal(before);
  });

  it('shows ordinary drift in fleet plan and applies it to that host only', async () => {
    const drifted = writeLabInventory(lab, 'drift.yaml', ROLES, { cluster: CIDR, host: { h2: ['    labels: { zone: b }'] } });
    const plan = await runFleet(['plan', drifted]);
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.include('drift: flag node-label: (unset) → [zone=b]');
    expect(plan.stdout.match(/drift:/g)).to.have.length(1);

    const others = ['h1', 'h3', 'h4'];
    const before = await stamps(lab, others);
    const run = await runFleet(['up', drifted, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.filter((h) => h.outcome === 'changed').map((h) => h.name)).to.deep.equal(['h2']);
    expect(await stamps(lab, others)).to.deep.equal(before);
    expect(await lab.ssh('h2', 'sudo cat /etc/rancher/k3s/config.yaml')).to.include('zone=b');
    expect((await nodes(lab, 'h1')).find((n) => n.name === 'h2')!.labels['zone']).to.equal('b');
    inventory = drifted;
  });

  it('applies drift on every server one server at a time, each ready again before the next restarts', async () => {
    const servers = ['h1', 'h2', 'h3'];
    const everyServer = writeLabInventory(lab, 'drift-all.yaml', ROLES, { cluster: [...CIDR, '    kubelet-arg: [max-pods=120]'], host: { h2: ['    labels: { zone: b }'] } });
    const agentBefore = await stamps(lab, ['h4']);
    const started = Date.now() / 1000;
    const run = await runFleet(['up', everyServer, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.hosts.filter((h) => h.outcome === 'changed').map((h) => h.name)).to.deep.equal(servers);
    expect(await stamps(lab, ['h4'])).to.deep.equal(agentBefore);
    // From each server's own event log: when its re-install began and when k3s was ready again.
    const windows = [];
    for (const host of servers) {
      const events = (await lab.ssh(host, 'cat /var/log/k3s-standin/events.log'))
        .trim()
        .split('\n')
        .map((line) => line.split(' '));
      const install = events.find(([at, what]) => Number(at) >= started && what === 'install');
      const ready = events.filter(([at, what]) => Number(at) >= started && what === 'ready').pop();
      expect(install, `${host} was not re-installed`).to.not.equal(undefined);
      expect(ready, `${host} did not become ready again`).to.not.equal(undefined);
      windows.push({ host, start: Number(install![0]), ready: Number(ready![0]) });
    }
    windows.sort((a, b) => a.start - b.start);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.start, `${windows[i]!.host} restarted before ${windows[i - 1]!.host} was ready`).to.be.greaterThan(windows[i - 1]!.ready);
    for (const host of servers) expect(await lab.ssh(host, 'sudo cat /etc/rancher/k3s/config.yaml')).to.include('max-pods=120');
    const members = await memberList(lab, 'h3');
    expect(members).to.have.length(3);
    expect(members.every((m) => !m.isLearner)).to.equal(true);
    expect((await lab.etcdctl(['put', 'fleet-drift-check', 'ok'], { hosts: ['h1', 'h2', 'h3'] })).code).to.equal(0);
    inventory = everyServer;
  });

  it('re-imaged first server: refuses without --yes, then removes its stale member and rejoins the survivors', async () => {
    const membersBefore = await memberList(lab, 'h2');
    const oldH1 = membersBefore.find((m) => m.peerURL.includes(`//${lab.host('h1').address}:`))!;
    await lab.ssh('h1', 'sudo /usr/local/bin/k3s-uninstall.sh');

    const refused = await runFleet(['up', inventory]);
    expect(refused.code, refused.stderr).to.equal(3);
    expect(refused.stderr).to.include(`etcd still lists h1`).and.include('--yes');
    expect(await memberList(lab, 'h2')).to.deep.equal(membersBefore);

    const run = await runFleet(['up', inventory, '--yes', '--json']);
    const report = parseReport(run) as ReturnType<typeof parseReport> & { clusterChanges?: string[] };
    expect(run.code, run.stderr).to.equal(0);
    expect(report.clusterChanges?.[0]).to.include(`removed stale etcd member h1`).and.include(`ID ${oldH1.id}`);
    expect(await lab.ssh('h1', 'sudo cat /etc/rancher/k3s/config.yaml'))
      .to.include(`server: https://${lab.host('h2').address}:6443`)
      .and.not.include('cluster-init');

    // One cluster: every server lists the same three members, h1 under a new ID.
    const lists = await Promise.all(['h1', 'h2', 'h3'].map((h) => memberList(lab, h)));
    for (const list of lists) expect(list).to.deep.equal(lists[0]);
    expect(lists[0]!).to.have.length(3);
    expect(lists[0]!.every((m) => !m.isLearner)).to.equal(true);
    const newH1 = lists[0]!.find((m) => m.peerURL.includes(`//${lab.host('h1').address}:`))!;
    expect(newH1.id).to.not.equal(oldH1.id);
    const list = await eventually('h1 Ready', 30_000, async () => ((await nodes(lab, 'h2')).find((n) => n.name === 'h1')?.ready ? true : undefined));
    expect(list).to.equal(true);
    expect((await etcdMembers(lab, ['h3'])).map((m) => m.name.split('-')[0]).sort()).to.deep.equal(['h1', 'h2', 'h3']);
    // fleet removed it, before the join: K3s's own clean-up at MemberAdd found nothing to remove.
    expect(await journal(lab, 'h2')).to.not.include('Removing stale etcd member');
  });
});
