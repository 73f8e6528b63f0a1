// `fleet snapshot save | list | restore` and `fleet up --restore-from` end to end on the lab,
// checked with etcdctl: a 3 + 2 cluster with marker keys, a snapshot, changes (a marker deleted,
// one added, an agent added), refusals that change nothing, the restore; then the same snapshot
// brought up on three fresh hosts of another lab.
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { LAB_K3S_VERSION } from '../lab/inventory-file.js';
import { downTestLab, etcdMembers, eventually, nodes, upTestLab } from '../lab/support.js';
import { untouched, writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

const TOKEN = 'e2e-snapshot-secret-0123456789';
const SERVERS = ['h1', 'h2', 'h3'];

describe('e2e: fleet snapshot save, list, restore and up --restore-from', function () {
  this.timeout(1_500_000);
  let lab: Lab | undefined;
  let five: string;
  let six: string;
  let snapshotFile: string;
  let snapshotName: string;
  const keep = mkdtempSync(join(tmpdir(), 'fleet-e2e-snapshots-'));

  const markers = async (on: Lab, hosts = SERVERS) => {
    const got = await on.etcdctl(['get', 'fleet-e2e/', '--prefix'], { hosts });
    expect(got.code, got.stderr).to.equal(0);
    const lines = got.stdout.trim().split('\n').filter(Boolean);
    return Object.fromEntries(lines.flatMap((line, i) => (i % 2 === 0 ? [[line, lines[i + 1]]] : [])));
  };
  const allActive = async (on: Lab, hosts: Record<string, string>) => {
    for (const [host, unit] of Object.entries(hosts)) expect((await on.sshExec(host, `sudo systemctl is-active --quiet ${unit}`)).code, `${unit} on ${host}`).to.equal(0);
  };

  before(async () => {
    lab = await upTestLab({ hosts: 6 });
    five = writeLabInventory(lab, 'five.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent', h5: 'agent' }, { cluster: [`  token: ${TOKEN}`] });
    six = writeLabInventory(lab, 'six.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent', h5: 'agent', h6: 'agent' }, { cluster: [`  token: ${TOKEN}`] });
    const up = await runFleet(['up', five, '--json']);
    expect(up.code, up.stderr).to.equal(0);
    for (const [key, value] of [
      ['fleet-e2e/a', 'one'],
      ['fleet-e2e/b', 'two'],
    ])
      expect((await lab.etcdctl(['put', key!, value!])).code).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('save: K3s takes the snapshot on a healthy server; fleet keeps it (0600) with its record, never the token', async () => {
    const run = await runFleet(['snapshot', 'save', five, '--name', 'e2e', '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const out = JSON.parse(run.stdout) as {
      file: string;
      snapshot: { name: string; cluster: string; k3sVersion: string; server: string; size: number; sha256: string; tokenFingerprint: string; nodes: string[] };
      steps: Array<{ id: string; outcome: string }>;
    };
    snapshotFile = out.file;
    snapshotName = out.snapshot.name;
    expect(snapshotName).to.match(/^e2e-h[123]-\d+$/);
    expect(out.steps.map((s) => `${s.id.split(':')[0]} ${s.outcome}`)).to.deep.equal(['save-snapshot changed', 'fetch-snapshot changed']);
    expect(statSync(snapshotFile).mode & 0o777).to.equal(0o600);
    expect(statSync(`${snapshotFile}.json`).mode & 0o777).to.equal(0o600);
    expect(statSync(snapshotFile).size).to.equal(out.snapshot.size);
    expect(out.snapshot).to.include({ cluster: 'lab', k3sVersion: LAB_K3S_VERSION });
    expect(out.snapshot.nodes).to.deep.equal(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(out.snapshot.tokenFingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(readFileSync(`${snapshotFile}.json`, 'utf8') + run.stdout + run.stderr).not.to.include(TOKEN);
    // The same bytes K3s wrote on the server.
    const remote = await lab!.ssh(out.snapshot.server, `sudo sha256sum /var/lib/rancher/k3s/server/db/snapshots/${snapshotName}`);
    expect(remote.split(/\s+/)[0]).to.equal(out.snapshot.sha256);
    copyFileSync(snapshotFile, join(keep, snapshotName));
    copyFileSync(`${snapshotFile}.json`, join(keep, `${snapshotName}.json`));
  });

  it('list: the controller copy and the one K3s keeps on the server, with age and size', async () => {
    const run = await runFleet(['snapshot', 'list', five, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const listed = (JSON.parse(run.stdout) as { snapshots: Array<{ name: string; where: string; size: number; ageSeconds: number }> }).snapshots.filter((s) => s.name === snapshotName);
    expect(listed.map((s) => s.where).sort())
      .to.have.length(2)
      .and.include('controller');
    expect(new Set(listed.map((s) => s.size)).size).to.equal(1);
    const human = await runFleet(['snapshot', 'list', five]);
    expect(human.stdout).to.match(new RegExp(`^${snapshotName}\\s+controller\\s+\\d+[smhd]\\s+[\\d.]+ (B|KiB|MiB)\\s+${LAB_K3S_VERSION.replace(/[.+]/g, '\\$&')}$`, 'm'));
  });

  it('the cluster changes after the snapshot: a marker deleted, one added, an agent added', async () => {
    expect((await lab!.etcdctl(['del', 'fleet-e2e/a'])).code).to.equal(0);
    expect((await lab!.etcdctl(['put', 'fleet-e2e/c', 'three'])).code).to.equal(0);
    const add = await runFleet(['add-node', six, '--host', 'h6', '--json']);
    expect(add.code, add.stderr).to.equal(0);
    expect(await markers(lab!)).to.deep.equal({ 'fleet-e2e/b': 'two', 'fleet-e2e/c': 'three' });
  });

  it('refuses (exit 3, nothing changed) a tampered file, another token, a newer-minor snapshot; asks without --yes', async () => {
    const tampered = join(keep, 'tampered');
    copyFileSync(snapshotFile, tampered);
    const bytes = readFileSync(tampered);
    bytes[4096] = bytes[4096]! ^ 0xff;
    writeFileSync(tampered, bytes);
    copyFileSync(`${snapshotFile}.json`, `${tampered}.json`);
    const sha = await runFleet(['snapshot', 'restore', six, tampered, '--yes']);
    expect(sha.code, sha.stderr).to.equal(3);
    expect(sha.stderr).to.include('does not match its record');

    const other = writeLabInventory(lab!, 'other-token.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent', h5: 'agent', h6: 'agent' }, { cluster: ['  token: not-the-snapshot-token'] });
    const token = await runFleet(['snapshot', 'restore', other, snapshotFile, '--yes']);
    expect(token.code, token.stderr).to.equal(3);
    expect(token.stderr).to.include('is not the one').and.not.include('not-the-snapshot-token');

    const newer = join(keep, 'newer');
    copyFileSync(snapshotFile, newer);
    const record = JSON.parse(readFileSync(`${snapshotFile}.json`, 'utf8')) as Record<string, unknown>;
    writeFileSync(`${newer}.json`, JSON.stringify({ ...record, k3sVersion: 'v1.32.0+k3s1' }));
    const minor = await runFleet(['snapshot', 'restore', six, newer, '--yes']);
    expect(minor.code, minor.stderr).to.equal(3);
    expect(minor.stderr).to.include('newer minor');

    const unconfirmed = await runFleet(['snapshot', 'restore', six, snapshotName]);
    expect(unconfirmed.code, unconfirmed.stderr).to.equal(2);
    expect(unconfirmed.stderr).to.include('needs confirmation');

    expect(await markers(lab!)).to.deep.equal({ 'fleet-e2e/b': 'two', 'fleet-e2e/c': 'three' });
    await allActive(lab!, { h1: 'k3s', h2: 'k3s', h3: 'k3s', h4: 'k3s-agent', h5: 'k3s-agent', h6: 'k3s-agent' });
  });

  it('restore: the keys exactly as at the snapshot, 3 voting members, every node Ready, the later agent back', async () => {
    const run = await runFleet(['snapshot', 'restore', six, snapshotName, '--yes', '--json']);
    const report = parseReport(run) as ReturnType<typeof parseReport> & { steps: Array<{ id: string; outcome: string; error?: string }>; warnings: string[] };
    expect(run.code, `${run.stderr}\n${JSON.stringify(report.steps, null, 1)}`).to.equal(0);
    expect(report.steps.filter((s) => s.outcome === 'failed')).to.deep.equal([]);
    expect(report.steps.map((s) => s.id)).to.include.members(['cluster-reset:h1', 'start-server:h1', 'rejoin-server:h2', 'rejoin-server:h3', 'start-agent:h6', 'verify:cluster']);
    expect(report.warnings.join('\n')).to.include('h6 joined after the snapshot');

    expect(await markers(lab!)).to.deep.equal({ 'fleet-e2e/a': 'one', 'fleet-e2e/b': 'two' });
    const members = await etcdMembers(lab!, SERVERS);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    const seen = await eventually('6 Ready nodes', 60_000, async () => {
      const list = await nodes(lab!, 'h2');
      return list.length === 6 && list.every((n) => n.ready) ? list : undefined;
    });
    expect(seen.map((n) => n.name).sort()).to.deep.equal(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    // Old data is kept, not deleted: K3s's etcd-old-* on the reset server, fleet's db-old-* on the others.
    expect(await lab!.ssh('h1', 'sudo ls /var/lib/rancher/k3s/server/db')).to.match(/^etcd-old-\d+$/m);
    for (const host of ['h2', 'h3']) expect(await lab!.ssh(host, 'sudo ls /var/lib/rancher/k3s/server')).to.match(/^db-old-\d+$/m);
  });

  it('up --restore-from on three fresh hosts: refused with another token or an older K3s, then a working cluster holding the markers', async () => {
    await downTestLab(lab);
    lab = await upTestLab({ hosts: 3 });
    const roles = { h1: 'server', h2: 'server', h3: 'server' };
    const path = join(keep, snapshotName);

    const wrong = writeLabInventory(lab, 'wrong.yaml', roles, { cluster: ['  token: not-the-snapshot-token'] });
    const token = await runFleet(['up', wrong, '--restore-from', path]);
    expect(token.code, token.stderr).to.equal(3);
    expect(await untouched(lab, SERVERS)).to.deep.equal([]);

    const older = writeLabInventory(lab, 'older.yaml', roles, { cluster: [`  token: ${TOKEN}`] });
    writeFileSync(older, readFileSync(older, 'utf8').replace(`version: ${LAB_K3S_VERSION}`, 'version: v1.30.8+k3s1'));
    const minor = await runFleet(['up', older, '--restore-from', path]);
    expect(minor.code, minor.stderr).to.equal(3);
    expect(minor.stderr).to.include('newer minor');
    expect(await untouched(lab, SERVERS)).to.deep.equal([]);

    const good = writeLabInventory(lab, 'restored.yaml', roles, { cluster: [`  token: ${TOKEN}`] });
    const run = await runFleet(['up', good, '--restore-from', path, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    expect(report.hosts.every((h) => h.outcome === 'changed')).to.equal(true);
    expect(await markers(lab)).to.deep.equal({ 'fleet-e2e/a': 'one', 'fleet-e2e/b': 'two' });
    const members = await etcdMembers(lab, SERVERS);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    const seen = await eventually('3 Ready nodes, the old agents gone', 60_000, async () => {
      const list = await nodes(lab!, 'h1');
      return list.length === 3 && list.every((n) => n.ready) ? list : undefined;
    });
    expect(seen.map((n) => n.name).sort()).to.deep.equal(SERVERS);
  });
});
