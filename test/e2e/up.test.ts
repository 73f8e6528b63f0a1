// `fleet up` end to end on the lab: real sshd, real etcd, the k3s stand-in, slow FUSE disks.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { k3sVersionProbe, parseK3sBinary, parseK3sVersionOutput } from '../../src/facts/k3s-version.js';
import type { Lab } from '../lab/lab.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet } from './support.js';

interface Interval {
  host: string;
  start: number;
  end: number;
}

/** Install intervals of the stand-in's install script, from each host's own event log. */
async function installIntervals(lab: Lab, hosts: string[]): Promise<Interval[]> {
  const intervals: Interval[] = [];
  for (const host of hosts) {
    const log = await lab.ssh(host, 'cat /var/log/k3s-standin/events.log');
    const start = /^(\d+\.\d+) install /m.exec(log);
    const end = /^(\d+\.\d+) installed /m.exec(log);
    if (start && end) intervals.push({ host, start: Number(start[1]), end: Number(end[1]) });
  }
  return intervals;
}

function mostAtOnce(intervals: Interval[]): number {
  return Math.max(...intervals.map((a) => intervals.filter((b) => b.start <= a.start && b.end > a.start).length));
}

async function fileStamps(lab: Lab, hosts: string[]): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (const host of hosts) {
    stamps[host] = await lab.ssh(host, 'sudo stat -c "%n %Y.%y" /etc/rancher/k3s/config.yaml /usr/local/bin/k3s; sudo wc -l < /var/log/k3s-standin/events.log');
  }
  return stamps;
}

describe('e2e: fleet up on the lab', function () {
  this.timeout(900_000);
  let lab: Lab;
  let labDir: string;
  let inventory: string;
  const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
  const address = (name: string) => lab.host(name).address;

  before(async () => {
    // A network of its own (127.0.20+), so the demo's lab or another test run cannot collide.
    lab = await upTestLab({ hosts: hosts.length });
    labDir = lab.dir;
    inventory = lab.files.inventory;
  });
  after(async () => {
    await downTestLab(lab);
  });

  let firstRun: Awaited<ReturnType<typeof runFleet>>;

  it('builds 3 servers and 4 agents from scratch, agents at most --concurrency at once', async () => {
    firstRun = await runFleet(['up', inventory, '--json', '--concurrency', '2'], { watchArgv: true });
    const report = parseReport(firstRun);
    expect(firstRun.code, firstRun.stderr).to.equal(0);
    expect(report.hosts.map((h) => [h.name, h.role, h.outcome])).to.deep.equal(hosts.map((h, i) => [h, i < 3 ? 'server' : 'agent', 'changed']));
    expect(report.connections).to.equal(hosts.length);

    const members = JSON.parse((await lab.etcdctl(['member', 'list', '-w', 'json'])).stdout) as { members: Array<{ name: string; isLearner?: boolean; peerURLs: string[] }> };
    expect(members.members).to.have.length(3);
    expect(members.members.every((m) => !m.isLearner)).to.equal(true);
    expect(members.members.map((m) => m.peerURLs[0]).sort()).to.deep.equal(['h1', 'h2', 'h3'].map((h) => `http://${address(h)}:2380`).sort());

    const nodes = JSON.parse(await lab.ssh('h2', 'sudo k3s kubectl get nodes -o json')) as {
      items: Array<{ metadata: { name: string; labels: Record<string, string> }; status: { conditions: Array<{ type: string; status: string }> } }>;
    };
    expect(nodes.items.map((n) => n.metadata.name).sort()).to.deep.equal(hosts);
    for (const node of nodes.items) {
      expect(node.status.conditions.find((c) => c.type === 'Ready')?.status, node.metadata.name).to.equal('True');
      const isServer = ['h1', 'h2', 'h3'].includes(node.metadata.name);
      expect(node.metadata.labels['node-role.kubernetes.io/etcd'] === 'true', node.metadata.name).to.equal(isServer);
    }

    const agents = await installIntervals(lab, ['h4', 'h5', 'h6', 'h7']);
    expect(agents).to.have.length(4);
    expect(mostAtOnce(agents)).to.be.at.most(2);
    const servers = await installIntervals(lab, ['h1', 'h2', 'h3']);
    // Servers one at a time; agents only once the first server was up, and (agentsWaitFor's
    // default) the first agents alongside the server joins rather than after the last one.
    expect(servers[1]!.start).to.be.greaterThan(servers[0]!.end);
    expect(servers[2]!.start).to.be.greaterThan(servers[1]!.end);
    const firstReady = Number(/^(\d+\.\d+) ready /m.exec(await lab.ssh('h1', 'cat /var/log/k3s-standin/events.log'))![1]);
    for (const a of agents) expect(a.start).to.be.greaterThan(firstReady);
    expect(Math.min(...agents.map((a) => a.start))).to.be.lessThan(servers[2]!.start);
  });

  it('keeps the token out of output, logs and every process argv, and files holding it 0600', async () => {
    const tokenFile = join(labDir, '.fleet', 'lab', 'token');
    expect(statSync(tokenFile).mode & 0o777).to.equal(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).to.have.length.greaterThan(20);
    expect(firstRun.stdout).to.not.include(token);
    expect(firstRun.stderr).to.not.include(token);
    expect(firstRun.argvSeen.size).to.be.greaterThan(20);
    for (const argv of firstRun.argvSeen) expect(argv).to.not.include(token);
    const logs = join(labDir, '.fleet', 'lab', 'logs');
    const logFiles = readdirSync(logs);
    expect(logFiles.length).to.be.greaterThan(0);
    for (const file of logFiles) {
      const text = readFileSync(join(logs, file), 'utf8');
      expect(text).to.include('"command"');
      expect(text).to.not.include(token);
    }
    for (const host of ['h1', 'h5']) {
      expect((await lab.ssh(host, 'sudo stat -c %a /etc/rancher/k3s/config.yaml')).trim()).to.equal('600');
      expect(await lab.ssh(host, 'sudo cat /etc/rancher/k3s/config.yaml')).to.include(token);
    }
  });

  it('writes a kubeconfig (0600) that reaches the first server with the cluster CA', async () => {
    const file = join(labDir, '.fleet', 'lab', 'kubeconfig');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const kubeconfig = parse(readFileSync(file, 'utf8'));
    expect(kubeconfig['current-context']).to.equal('lab');
    expect(kubeconfig.clusters[0].cluster.server).to.equal(`https://${address('h1')}:6443`);
    const onHost = parse(await lab.ssh('h1', 'sudo cat /etc/rancher/k3s/k3s.yaml'));
    expect(kubeconfig.clusters[0].cluster['certificate-authority-data']).to.equal(onHost.clusters[0].cluster['certificate-authority-data']);
    const ca = join(labDir, 'ca.crt');
    writeFileSync(ca, Buffer.from(kubeconfig.clusters[0].cluster['certificate-authority-data'], 'base64'));
    const { runCommand } = await import('../lab/run-command.js');
    const probe = await runCommand('curl', ['-sS', '--max-time', '5', '--cacert', ca, '-o', '/dev/null', '-w', '%{http_code}', `https://${address('h1')}:6443/version`]);
    expect(probe.code, probe.stderr).to.equal(0);
  });

  it('changes nothing on a second run: same files, no restarts, same etcd members', async () => {
    const before = await fileStamps(lab, hosts);
    const membersBefore = (await lab.etcdctl(['member', 'list'])).stdout;
    const run = await runFleet(['up', inventory, '--json']);
    const report = parseReport(run);
    expect(run.code, run.stderr).to.equal(0);
    expect(report.changed).to.equal(false);
    expect(report.hosts.every((h) => h.outcome === 'unchanged')).to.equal(true);
    expect(await fileStamps(lab, hosts)).to.deep.equal(before);
    expect((await lab.etcdctl(['member', 'list'])).stdout).to.equal(membersBefore);
  });

  it('reads the K3s version fleet recorded at install while the binary is that file, and asks the binary once it is replaced', async () => {
    const probe = k3sVersionProbe.script;
    const record = (await lab.ssh('h4', 'sudo cat /var/lib/rancher/k3s/fleet-version')).trim();
    const identity = (await lab.ssh('h4', "stat -L -c '%s %Z %i' /usr/local/bin/k3s")).trim();
    const real = parseK3sVersionOutput(await lab.ssh('h4', '/usr/local/bin/k3s --version'))!;
    expect(record).to.equal(`/usr/local/bin/k3s ${identity} ${real}`);
    const recorded = await lab.ssh('h4', 'sudo sh -s', { input: probe });
    expect(recorded).to.include('recorded by fleet at install');
    expect(parseK3sBinary(recorded)).to.deep.equal({ installed: true, version: real });
    // Replaced (new inode): the record no longer describes the binary, so the binary is asked.
    await lab.ssh('h4', 'sudo cp -p /usr/local/bin/k3s /usr/local/bin/k3s.new && sudo mv /usr/local/bin/k3s.new /usr/local/bin/k3s');
    const asked = await lab.ssh('h4', 'sudo sh -s', { input: probe });
    expect(asked).to.not.include('recorded by fleet');
    expect(parseK3sBinary(asked)).to.deep.equal({ installed: true, version: real });
  });

  it('merges the kubeconfig into $KUBECONFIG as a context named after the cluster, with --merge', async () => {
    const target = join(labDir, 'user-kubeconfig');
    writeFileSync(
      target,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: work\n  cluster: {server: "https://10.9.9.9:6443"}\ncontexts:\n- name: work\n  context: {cluster: work, user: work}\nusers:\n- name: work\n  user: {token: abc}\ncurrent-context: work\n',
    );
    const run = await runFleet(['up', inventory, '--merge', '--quiet'], { env: { KUBECONFIG: target } });
    expect(run.code, run.stderr).to.equal(0);
    const merged = parse(readFileSync(target, 'utf8'));
    expect(merged.contexts.map((c: { name: string }) => c.name)).to.deep.equal(['work', 'lab']);
    expect(merged.clusters.find((c: { name: string }) => c.name === 'lab').cluster.server).to.equal(`https://${address('h1')}:6443`);
    expect(merged['current-context']).to.equal('work');
    expect(statSync(target).mode & 0o777).to.equal(0o600);
  });

  it('runs ad-hoc commands with fleet exec: grouped per host, filtered by role and host, exit 1 on failure', async () => {
    const servers = await runFleet(['exec', inventory, '--role', 'server', '--sudo', '--json', '--', 'systemctl', 'is-active', 'k3s']);
    expect(servers.code, servers.stderr).to.equal(0);
    const result = JSON.parse(servers.stdout) as { hosts: Array<{ host: string; exitCode: number; stdout: string }>; connections: number };
    expect(result.hosts.map((h) => h.host)).to.deep.equal(['h1', 'h2', 'h3']);
    expect(result.hosts.every((h) => h.exitCode === 0 && h.stdout.trim() === 'active')).to.equal(true);
    expect(result.connections).to.equal(3);

    const text = await runFleet(['exec', inventory, '--host', 'h4', '--host', 'h6', '--', 'hostname']);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout)
      .to.match(/── h4: exit 0\nh4\n/)
      .and.match(/── h6: exit 0\nh6\n/);
    expect(text.stdout).to.not.include('h5');

    const failing = await runFleet(['exec', inventory, '--', 'test "$(hostname)" != h2']);
    expect(failing.code).to.equal(1);
    expect(failing.stdout).to.match(/── h2: exit 1/);
    expect(failing.stderr).to.match(/6\/7 hosts ok; failed: h2/);
  });

  it('fleet exec --role selects role: auto hosts by the K3s installed on them', async () => {
    const mixed = writeLabInventory(lab, 'auto-roles.yaml', { h1: 'server', h2: 'auto', h4: 'auto', h5: 'agent' });
    const servers = await runFleet(['exec', mixed, '--role', 'server', '--json', '--', 'hostname']);
    expect(servers.code, servers.stderr).to.equal(0);
    const result = JSON.parse(servers.stdout) as { hosts: Array<{ host: string; stdout: string }>; skipped: Array<{ host: string; runs: string }>; connections: number };
    expect(result.hosts.map((h) => [h.host, h.stdout.trim()])).to.deep.equal([
      ['h1', 'h1'],
      ['h2', 'h2'],
    ]);
    expect(result.skipped).to.deep.equal([{ host: 'h4', runs: 'agent' }]);
    // h4 was asked, h5 (an explicit agent) was not; h2's connection served the question and the command.
    expect(result.connections).to.equal(3);

    const agents = await runFleet(['exec', mixed, '--role', 'agent', '--', 'hostname']);
    expect(agents.code, agents.stderr).to.equal(0);
    expect(agents.stdout)
      .to.match(/── h4: exit 0\nh4\n/)
      .and.match(/── h5: exit 0\nh5\n/);
    expect(agents.stdout).to.not.include('h2');
    expect(agents.stderr).to.contain('skipped, not an agent (role: auto): h2 runs a K3s server').and.contain('2/2 hosts ok');
  });

  it('says "No changes" to people on a converged fleet', async () => {
    const run = await runFleet(['up', inventory]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/No changes/);
    expect(run.stdout).to.match(/^h1\s+Ready\s+control-plane,etcd,master/m);
  });
});
