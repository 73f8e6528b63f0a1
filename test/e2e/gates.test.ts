// Safety gates end to end on the lab: slow disks, auto demotion, host keys. Each refusal must
// leave every host untouched.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { standinBinary, standinInstallScript } from '../lab/paths.js';
import { parseReport, runFleet } from './support.js';

function inventoryText(lab: Lab, roles: Record<string, string>, extra: { knownHostsFile?: string; cluster?: string } = {}): string {
  const first = lab.hosts[0]!;
  const lines = [
    'cluster:',
    '  name: gates',
    '  k3s: { version: v1.31.4+k3s1 }',
    `  install: { script: ${standinInstallScript()}, binary: ${standinBinary()} }`,
    // The lab's disks are this machine's shared disk (p99 can pass 10 ms under load); the slow
    // hosts add 30 ms to every fsync, so 25 ms still separates them for certain.
    ...(extra.cluster ? [extra.cluster] : ['  disk: { maxFsyncP99Ms: 25, onSlow: refuse }']),
    'defaults:',
    `  ssh: { user: ${first.user}, identityFile: ${first.identityFile}, knownHostsFile: ${extra.knownHostsFile ?? first.knownHostsFile} }`,
    'hosts:',
    ...Object.entries(roles).map(([name, role]) => {
      const host = lab.hosts.find((h) => h.name === name)!;
      return `  - { name: ${name}, address: ${host.address}, role: ${role}, kind: ${host.pi ? 'pi' : 'x86'} }`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

async function nothingInstalled(lab: Lab, names: string[]): Promise<void> {
  for (const name of names) {
    const probe = await lab.sshExec(name, 'test -e /usr/local/bin/k3s || test -e /etc/rancher/k3s/config.yaml');
    expect(probe.code, `${name} was changed`).to.not.equal(0);
  }
}

describe('e2e: safety gates on the lab', function () {
  this.timeout(600_000);
  let lab: Lab;
  let labDir: string;

  before(async () => {
    lab = await upTestLab({ hosts: 5, pi: ['h1', 'h2', 'h3'], slowDisk: { h3: 30 } });
    labDir = lab.dir;
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses an explicit server on an SD-card-slow disk before anything is installed (exit 3)', async () => {
    const file = join(labDir, 'slow-server.yaml');
    writeFileSync(file, inventoryText(lab, { h1: 'server', h2: 'server', h3: 'server', h4: 'agent' }));
    const run = await runFleet(['up', file]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.match(/h3 would be an etcd server but its disk is too slow \(fdatasync p99 [\d.]+ ms, limit 25 ms\)/);
    expect(run.stderr).to.match(/SSD|agent/);
    const p99 = Number(/h3 would be an etcd server but its disk is too slow \(fdatasync p99 ([\d.]+) ms/.exec(run.stderr)![1]);
    expect(p99).to.be.at.least(30);
    await nothingInstalled(lab, ['h1', 'h2', 'h3', 'h4']);
  });

  it('demotes a slow role: auto candidate and picks the next one, measured for real', async () => {
    const file = join(labDir, 'auto.yaml');
    writeFileSync(file, inventoryText(lab, { h1: 'server', h2: 'server', h3: 'auto', h4: 'auto', h5: 'agent' }, { cluster: '  servers: 3\n  disk: { maxFsyncP99Ms: 25, onSlow: refuse }' }));
    const run = await runFleet(['plan', file, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.joiningServers).to.deep.equal(['h2', 'h4']);
    expect(plan.agents).to.deep.equal(['h3', 'h5']);
    const h3 = plan.hosts.find((h: { name: string }) => h.name === 'h3');
    expect(h3.reason).to.equal('auto:slow-disk');
    expect(h3.fsyncP99Ms).to.be.at.least(30);
    await nothingInstalled(lab, ['h1', 'h2', 'h3', 'h4', 'h5']);
  });

  it('refuses an even server count with the arithmetic before connecting (exit 2)', async () => {
    const file = join(labDir, 'even.yaml');
    writeFileSync(file, inventoryText(lab, { h1: 'server', h2: 'server', h4: 'server', h5: 'server' }));
    const run = await runFleet(['up', file]);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr)
      .to.match(/4 servers is an even count/)
      .and.match(/quorum of 3/)
      .and.match(/tolerate 1 failure/);
    expect(run.stderr).to.not.match(/gathering facts/);
    await nothingInstalled(lab, ['h1', 'h2', 'h4', 'h5']);
  });

  it('refuses when slow disks would leave an even server count (exit 3), after measuring', async () => {
    const file = join(labDir, 'even-by-disk.yaml');
    writeFileSync(file, inventoryText(lab, { h1: 'server', h2: 'server', h3: 'auto', h5: 'agent' }, { cluster: '  servers: 3\n  disk: { maxFsyncP99Ms: 25, onSlow: refuse }' }));
    const run = await runFleet(['up', file]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr).to.match(/slow disks left 2 servers, an even count \(slow: h3\)/);
    await nothingInstalled(lab, ['h1', 'h2', 'h3', 'h5']);
  });

  it('refuses an unknown host key with its SHA256 fingerprint, and records it only when asked', async () => {
    const empty = join(labDir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const file = join(labDir, 'unknown-key.yaml');
    writeFileSync(file, inventoryText(lab, { h5: 'server' }, { knownHostsFile: empty }));
    const refused = await runFleet(['plan', file]);
    expect(refused.code).to.equal(1);
    const hostKey = readFileSync(join(labDir, 'hosts', 'h5', 'ssh_host_ed25519_key.pub'), 'utf8');
    const { runCommand } = await import('../lab/run-command.js');
    const fingerprint = /SHA256:\S+/.exec((await runCommand('ssh-keygen', ['-lf', join(labDir, 'hosts', 'h5', 'ssh_host_ed25519_key.pub')])).stdout)![0];
    expect(refused.stderr).to.include(fingerprint);
    expect(readFileSync(empty, 'utf8')).to.equal('');
    const accepted = await runFleet(['plan', file, '--accept-new-host-keys']);
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect(readFileSync(empty, 'utf8')).to.include(hostKey.trim().split(/\s+/)[1]!);
  });

  it('refuses a changed host key, even with --accept-new-host-keys', async () => {
    const wrong = join(labDir, 'wrong_known_hosts');
    const otherKey = readFileSync(join(labDir, 'hosts', 'h4', 'ssh_host_ed25519_key.pub'), 'utf8')
      .trim()
      .split(/\s+/);
    writeFileSync(wrong, `${lab.host('h5').address} ${otherKey[0]} ${otherKey[1]}\n`);
    const file = join(labDir, 'changed-key.yaml');
    writeFileSync(file, inventoryText(lab, { h5: 'server' }, { knownHostsFile: wrong }));
    const run = await runFleet(['up', file, '--accept-new-host-keys']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/CHANGED|changed/);
    expect(readFileSync(wrong, 'utf8').trim().split('\n')).to.have.length(1);
    await nothingInstalled(lab, ['h5']);
  });

  it('keeps going on other agents when one is down, and a re-run finishes the job', async () => {
    const file = join(labDir, 'agent-down.yaml');
    writeFileSync(file, inventoryText(lab, { h1: 'server', h4: 'agent', h5: 'agent' }, { cluster: '  disk: { maxFsyncP99Ms: 25, onSlow: refuse }' }));
    await lab.crash('h5');
    const first = await runFleet(['up', file, '--json', '--connect-timeout', '3']);
    const report = parseReport(first);
    expect(first.code).to.equal(1);
    expect(report.hosts.find((h) => h.name === 'h5')!.outcome).to.equal('failed');
    expect(report.hosts.find((h) => h.name === 'h5')!.error).to.match(/unreachable|ECONNREFUSED|refused/i);
    expect(report.hosts.find((h) => h.name === 'h4')!.outcome).to.equal('changed');
    await lab.start('h5');
    const second = await runFleet(['up', file, '--json']);
    const again = parseReport(second);
    expect(second.code, second.stderr).to.equal(0);
    expect(again.hosts.map((h) => [h.name, h.outcome])).to.deep.equal([
      ['h1', 'unchanged'],
      ['h4', 'unchanged'],
      ['h5', 'changed'],
    ]);
  });
});
