// `fleet remove-node` and `fleet reset` end to end on one 7-host lab, chained, checked with
// etcdctl and on the hosts rather than with fleet's word: 5 servers + 2 agents lose the first
// server, another server and an agent with quorum held throughout, then `fleet up` is a no-op;
// 3 → 2 refused and then allowed; a crashed server removed; a cluster rebuilt from the survivors
// and the removed hosts (no second cluster-init); `fleet reset` with an unreachable agent, then
// in full; `fleet up` builds a fresh cluster afterwards.
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, etcdMembers, eventually, nodes, serverToken, upTestLab } from '../lab/support.js';
import { labInventory, writeLabInventory } from './lab-inventory.js';
import { runFleet, type FleetRun } from './support.js';

/** What of K3s a host still holds, as found by hand: paths and processes. */
async function k3sLeftOn(lab: Lab, host: string): Promise<string[]> {
  const paths = [
    '/usr/local/bin/k3s',
    '/usr/local/bin/kubectl',
    '/usr/local/bin/crictl',
    '/usr/local/bin/ctr',
    '/usr/local/bin/k3s-killall.sh',
    '/usr/local/bin/k3s-uninstall.sh',
    '/usr/local/bin/k3s-agent-uninstall.sh',
    '/etc/systemd/system/k3s.service',
    '/etc/systemd/system/k3s-agent.service',
    '/etc/systemd/system/k3s.service.env',
    '/etc/systemd/system/k3s-agent.service.env',
    '/etc/systemd/system/multi-user.target.wants/k3s.service',
    '/etc/systemd/system/multi-user.target.wants/k3s-agent.service',
    '/etc/rancher/k3s',
    '/var/lib/rancher/k3s',
    '/var/lib/kubelet',
    '/run/k3s',
  ];
  const found = (await lab.sshExec(host, `sudo ls -d ${paths.join(' ')} 2>/dev/null`)).stdout.split('\n').filter(Boolean);
  const processes = (await lab.ssh(host, 'ps -e -o args=')).split('\n').filter((l) => l.includes('/usr/local/bin/k3s ') || l.includes('/var/lib/rancher/k3s/'));
  return [...found, ...processes];
}

const memberHosts = async (lab: Lab, hosts: string[]) => (await etcdMembers(lab, hosts)).map((m) => m.name.replace(/-[0-9a-f]+$/, '')).sort();
const json = (run: FleetRun) => {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`no JSON on stdout (exit ${run.code})\n${run.stdout}\n${run.stderr}`);
  }
};

describe('e2e: fleet remove-node and fleet reset', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  let inventory: string;
  let kubeconfig: string;

  before(async () => {
    lab = await upTestLab({ hosts: 7 });
    inventory = writeLabInventory(lab, 'inventory.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'server', h5: 'server', h6: 'agent', h7: 'agent' });
    const up = await runFleet(['up', inventory, '--json']);
    expect(up.code, up.stderr).to.equal(0);
    expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h1', 'h2', 'h3', 'h4', 'h5']);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('5 servers + 2 agents: removes the first server, then another, then an agent; quorum held throughout; up is then a no-op', async () => {
    // Quorum, sampled all along: a linearizable read through a server that stays needs a majority.
    const samples: Array<{ ok: boolean; at: number; error: string }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const read = await lab.etcdctl(['get', 'quorum-probe', '--command-timeout=5s'], { hosts: ['h3'] });
        samples.push({ ok: read.code === 0, at: Date.now(), error: read.stderr.trim() });
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    try {
      // 5 → 4 is an even count: refused without --allow-even (exit 3), nothing changed.
      const refused = await runFleet(['remove-node', inventory, '--host', 'h1', '--yes']);
      expect(refused.code, refused.stderr).to.equal(3);
      expect(refused.stderr).to.include('5 servers → 4 servers: quorum 3 → 3, tolerates 2 failures → 1 failure');

      const first = await runFleet(['remove-node', inventory, '--host', 'h1', '--allow-even', '--yes', '--json']);
      expect(first.code, first.stderr).to.equal(0);
      const report = json(first);
      expect(report.removal.via).to.not.equal('h1');
      expect(report.steps.map((s: { id: string }) => s.id)).to.deep.equal([
        'cordon:h1',
        'drain:h1',
        'stop-service:h1',
        'delete-node:h1',
        'remove-member:h1',
        'uninstall:h1',
        'check-clean:h1',
        'forget-host:h1',
      ]);
      expect(report.steps.every((s: { outcome: string }) => s.outcome !== 'failed' && s.outcome !== 'not-started')).to.equal(true);
      // fleet's own kubeconfig pointed at h1 (no registration address): the report says so.
      expect(report.warnings.join('\n')).to.include('points at h1, which is gone: run fleet kubeconfig');
      expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h2', 'h3', 'h4', 'h5']);
      expect(await k3sLeftOn(lab, 'h1')).to.deep.equal([]);

      const second = await runFleet(['remove-node', inventory, '--host', 'h2', '--yes', '--json']);
      expect(second.code, second.stderr).to.equal(0);
      expect(json(second).removal.arithmetic.text).to.equal('4 servers → 3 servers: quorum 3 → 2, tolerates 1 failure → 1 failure; 3 of 3 healthy afterwards');
      // An agent, with the report for people.
      const agent = await runFleet(['remove-node', inventory, '--host', 'h7', '--yes']);
      expect(agent.code, agent.stderr).to.equal(0);
      expect(agent.stdout)
        .to.match(/^uninstall:h7\s+changed\s/m)
        .and.include('h7 was removed from cluster lab.');
      expect(agent.stderr).to.include('Remove h7 (').and.include('Steps:');
    } finally {
      sampling = false;
      await sampler;
    }
    expect(samples.length).to.be.greaterThan(10);
    expect(samples.filter((s) => !s.ok)).to.deep.equal([]);

    const members = await etcdMembers(lab, ['h3', 'h4', 'h5']);
    expect(members.map((m) => m.name.replace(/-[0-9a-f]+$/, '')).sort()).to.deep.equal(['h3', 'h4', 'h5']);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    expect((await lab.etcdctl(['endpoint', 'health'], { hosts: ['h3', 'h4', 'h5'] })).code).to.equal(0);
    expect((await nodes(lab, 'h3')).map((n) => n.name).sort()).to.deep.equal(['h3', 'h4', 'h5', 'h6']);
    for (const host of ['h1', 'h2', 'h7']) expect(await k3sLeftOn(lab, host), host).to.deep.equal([]);
    // Exactly those entries (with their own comment lines) are gone; every other byte is as written.
    expect(readFileSync(inventory, 'utf8')).to.equal(labInventory(lab, { h3: 'server', h4: 'server', h5: 'server', h6: 'agent' }));

    const eventsBefore = await lab.ssh('h4', 'cat /var/log/k3s-standin/events.log');
    const up = await runFleet(['up', inventory, '--json']);
    expect(up.code, up.stderr).to.equal(0);
    expect(json(up).changed).to.equal(false);
    expect(await lab.ssh('h4', 'cat /var/log/k3s-standin/events.log')).to.equal(eventsBefore);
  });

  it('3 servers: removing one is refused (exit 3, no fault tolerance, nothing changed); with --allow-even it works', async () => {
    const text = readFileSync(inventory, 'utf8');
    const dry = await runFleet(['remove-node', inventory, '--host', 'h5', '--allow-even', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).to.equal(0);
    const plan = json(dry);
    expect(plan.arithmetic.text).to.equal('3 servers → 2 servers: quorum 2 → 2, tolerates 1 failure → no failure; 2 of 2 healthy afterwards');
    expect(plan.steps.map((s: { id: string }) => s.id)).to.deep.equal([
      'cordon:h5',
      'drain:h5',
      'stop-service:h5',
      'delete-node:h5',
      'remove-member:h5',
      'uninstall:h5',
      'check-clean:h5',
      'forget-host:h5',
    ]);
    const refused = await runFleet(['remove-node', inventory, '--host', 'h5', '--yes']);
    expect(refused.code, refused.stderr).to.equal(3);
    expect(refused.stderr).to.include('3 servers → 2 servers').and.include('2 servers have no fault tolerance').and.include('--allow-even');
    expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h3', 'h4', 'h5']);
    expect((await lab.sshExec('h5', 'sudo systemctl is-active k3s')).stdout.trim()).to.equal('active');
    expect(readFileSync(inventory, 'utf8')).to.equal(text);

    const allowed = await runFleet(['remove-node', inventory, '--host', 'h5', '--allow-even', '--yes', '--json']);
    expect(allowed.code, allowed.stderr).to.equal(0);
    expect(json(allowed).warnings.join('\n')).to.include('no fault tolerance');
    expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h3', 'h4']);
    expect(await k3sLeftOn(lab, 'h5')).to.deep.equal([]);
  });

  it('the removed first server rejoins the survivors as a plain server: no second cluster-init', async () => {
    kubeconfig = join(lab.dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: work\n  cluster: { server: "https://work:6443" }\nusers:\n- name: work\n  user: { token: w }\ncontexts:\n- name: work\n  context: { cluster: work, user: work }\ncurrent-context: work\n',
    );
    // h3 and h4 run the cluster; h1 (once its first server) joins them, h6 stays, h7 comes back.
    inventory = writeLabInventory(lab, 'rebuilt.yaml', { h3: 'server', h4: 'server', h1: 'server', h6: 'agent', h7: 'agent' });
    const up = await runFleet(['up', inventory, '--merge', '--json'], { env: { KUBECONFIG: kubeconfig } });
    expect(up.code, up.stderr).to.equal(0);
    const config = await lab.ssh('h1', 'sudo cat /etc/rancher/k3s/config.yaml');
    expect(config).to.not.include('cluster-init');
    expect(config).to.match(new RegExp(`server: https://(${lab.host('h3').address}|${lab.host('h4').address}):6443`));
    expect(await memberHosts(lab, ['h1', 'h3', 'h4'])).to.deep.equal(['h1', 'h3', 'h4']);
    expect(readFileSync(kubeconfig, 'utf8')).to.include('name: lab');
  });

  it('a crashed server: its member is removed and the report names what is left on its disk; the wipe it names works', async () => {
    await lab.crash('h4');
    const run = await runFleet(['remove-node', inventory, '--host', 'h4', '--allow-even', '--yes', '--json', '--connect-timeout', '3']);
    expect(run.code, run.stderr).to.equal(0);
    const report = json(run);
    expect(report.removal.leftOnHost).to.match(/^h4 could not be reached .*its disk still holds K3s .*run k3s-uninstall.sh on it/);
    expect(report.steps.map((s: { id: string }) => s.id)).to.deep.equal(['cordon:h4', 'delete-node:h4', 'remove-member:h4', 'forget-host:h4']);
    expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h1', 'h3']);
    expect((await lab.etcdctl(['endpoint', 'health'], { hosts: ['h1', 'h3'] })).code).to.equal(0);
    // Its disk does hold K3s; booted again, it is wiped the way the report says.
    await lab.start('h4');
    expect(await k3sLeftOn(lab, 'h4')).to.include('/var/lib/rancher/k3s');
    expect((await lab.sshExec('h4', 'sudo /usr/local/bin/k3s-uninstall.sh')).code).to.equal(0);
    expect(await k3sLeftOn(lab, 'h4')).to.deep.equal([]);
    // Back to three servers with add-node: h2 joins a member, never with cluster-init.
    writeFileSync(inventory, labInventory(lab, { h3: 'server', h1: 'server', h2: 'server', h6: 'agent', h7: 'agent' }));
    const add = await runFleet(['add-node', inventory, '--host', 'h2', '--json']);
    expect(add.code, add.stderr).to.equal(0);
    expect(await lab.ssh('h2', 'sudo cat /etc/rancher/k3s/config.yaml')).to.not.include('cluster-init');
    expect(await memberHosts(lab, ['h1', 'h2', 'h3'])).to.deep.equal(['h1', 'h2', 'h3']);
  });

  it('reset: refused without a terminal or --yes; an unreachable agent is reported (exit 1) and state kept; then everything goes', async () => {
    const noTty = await runFleet(['reset', inventory]);
    expect(noTty.code).to.equal(2);
    expect(noTty.stderr).to.include('no terminal').and.include('--yes');
    expect(await memberHosts(lab, ['h3'])).to.deep.equal(['h1', 'h2', 'h3']);

    await lab.crash('h7');
    const partial = await runFleet(['reset', inventory, '--yes', '--json', '--connect-timeout', '3'], { env: { KUBECONFIG: kubeconfig } });
    expect(partial.code, partial.stderr).to.equal(1);
    const report = json(partial);
    expect(report.unreachable).to.deep.equal(['h7']);
    expect(report.hosts.find((h: { name: string }) => h.name === 'h7').error).to.match(/could not be reached .*stays on its disk/);
    for (const host of ['h1', 'h2', 'h3', 'h6']) expect(await k3sLeftOn(lab, host), host).to.deep.equal([]);
    expect(existsSync(join(lab.dir, '.fleet', 'lab'))).to.equal(true);

    await lab.start('h7');
    const full = await runFleet(['reset', inventory, '--yes', '--json'], { env: { KUBECONFIG: kubeconfig } });
    expect(full.code, full.stderr).to.equal(0);
    for (const host of lab.hosts.map((h) => h.name)) expect(await k3sLeftOn(lab, host), host).to.deep.equal([]);
    expect(existsSync(join(lab.dir, '.fleet', 'lab'))).to.equal(false);
    const left = readFileSync(kubeconfig, 'utf8');
    expect(left).to.not.match(/\blab\b/);
    expect(left).to.include('name: work').and.include('current-context: work');
  });

  it('fleet up after a reset builds a fresh cluster', async () => {
    const up = await runFleet(['up', inventory, '--json']);
    expect(up.code, up.stderr).to.equal(0);
    const members = await etcdMembers(lab, ['h1', 'h2', 'h3']);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    await eventually('5 Ready nodes', 60_000, async () => ((await nodes(lab, 'h1')).filter((n) => n.ready).length === 5 ? true : undefined));
    expect(await serverToken(lab, 'h1')).to.match(/^K10[0-9a-f]{64}::server:/);
  });
});
