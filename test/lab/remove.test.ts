// What removing nodes relies on, proven by hand over SSH and etcdctl (no fleet): cordon, drain and
// uncordon; a deleted node whose service still runs registers again; deleting an etcd node's
// object removes its etcd member (K3s's member controller); the uninstall scripts the install
// script leaves remove K3s from the host, and do not touch the cluster.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, etcdMembers, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

const VERSION = 'v1.31.4+k3s1';

/** Everything of K3s that the uninstall script must remove, as `ls -d` finds it on the host. */
const K3S_PATHS = [
  '/usr/local/bin/k3s',
  '/usr/local/bin/kubectl',
  '/usr/local/bin/crictl',
  '/usr/local/bin/ctr',
  '/usr/local/bin/k3s-killall.sh',
  '/usr/local/bin/k3s-uninstall.sh',
  '/usr/local/bin/k3s-agent-uninstall.sh',
  '/etc/systemd/system/k3s.service',
  '/etc/systemd/system/k3s.service.env',
  '/etc/systemd/system/k3s-agent.service',
  '/etc/systemd/system/k3s-agent.service.env',
  '/etc/systemd/system/multi-user.target.wants/k3s.service',
  '/etc/systemd/system/multi-user.target.wants/k3s-agent.service',
  '/etc/rancher/k3s',
  '/var/lib/rancher/k3s',
  '/var/lib/kubelet',
  '/run/k3s',
];

async function leftovers(lab: Lab, host: string): Promise<string[]> {
  const found = await lab.sshExec(host, `sudo ls -d ${K3S_PATHS.join(' ')} 2>/dev/null`);
  return found.stdout.split('\n').filter(Boolean);
}

async function k3sProcesses(lab: Lab, host: string): Promise<string[]> {
  const ps = await lab.ssh(host, 'ps -e -o args=');
  return ps.split('\n').filter((line) => line.includes('/usr/local/bin/k3s ') || line.includes('/var/lib/rancher/k3s/'));
}

describe('k3s stand-in: removing nodes and uninstalling', function () {
  this.timeout(240000);
  let lab: Lab;
  let token: string;

  before(async () => {
    lab = await upTestLab({ hosts: 4 });
    await lab.ssh('h1', `sudo mkdir -p /etc/rancher/k3s && printf 'cluster-init: true\\n' | sudo tee /etc/rancher/k3s/config.yaml > /dev/null`);
    const first = await installK3s(lab, 'h1', { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: 'lab-secret', INSTALL_K3S_EXEC: 'server' });
    expect(first.code, first.stderr).to.equal(0);
    token = await serverToken(lab, 'h1');
    for (const host of ['h2', 'h3']) {
      const join = await installK3s(lab, host, { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: token, INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}` });
      expect(join.code, `${join.stderr}\n${await journal(lab, host)}`).to.equal(0);
    }
    const agent = await installK3s(lab, 'h4', { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h1') });
    expect(agent.code, agent.stderr).to.equal(0);
    await eventually('4 Ready nodes', 30000, async () => ((await nodes(lab, 'h2')).filter((n) => n.ready).length === 4 ? true : undefined));
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('leaves the uninstall scripts K3s leaves: k3s-uninstall.sh on servers, k3s-agent-uninstall.sh on agents, k3s-killall.sh on both', async () => {
    expect(await lab.ssh('h1', 'ls /usr/local/bin'))
      .to.match(/^k3s-killall\.sh$/m)
      .and.match(/^k3s-uninstall\.sh$/m)
      .and.not.match(/agent-uninstall/);
    expect(await lab.ssh('h4', 'ls /usr/local/bin'))
      .to.match(/^k3s-killall\.sh$/m)
      .and.match(/^k3s-agent-uninstall\.sh$/m)
      .and.not.match(/^k3s-uninstall\.sh$/m);
  });

  it("cordon, drain and uncordon set and clear spec.unschedulable, with kubectl's messages", async () => {
    expect(await lab.ssh('h2', 'sudo k3s kubectl cordon h4')).to.equal('node/h4 cordoned\n');
    const unschedulable = async () => JSON.parse(await lab.ssh('h3', 'sudo k3s kubectl get node h4 -o json')).spec.unschedulable === true;
    expect(await unschedulable()).to.equal(true);
    // The node's own heartbeats (every 3 s) must not undo it.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await unschedulable()).to.equal(true);
    expect(await lab.ssh('h2', 'sudo k3s kubectl drain h4 --ignore-daemonsets --delete-emptydir-data --force --timeout=60s')).to.equal('node/h4 already cordoned\nnode/h4 drained\n');
    expect(await lab.ssh('h2', 'sudo k3s kubectl uncordon h4')).to.equal('node/h4 uncordoned\n');
    expect(await unschedulable()).to.equal(false);
    const missing = await lab.sshExec('h2', 'sudo k3s kubectl cordon nosuch');
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal('Error from server (NotFound): nodes "nosuch" not found\n');
  });

  it('a deleted node whose service keeps running registers again', async () => {
    // etcd's create_revision of the node's key tells a re-created object from the old one.
    const createRevision = async () => {
      const got = await lab.etcdctl(['get', '/registry/minions/h4', '-w', 'json'], { hosts: ['h1'] });
      return Number((JSON.parse(got.stdout) as { kvs?: Array<{ create_revision: number }> }).kvs?.[0]?.create_revision ?? 0);
    };
    const before = await createRevision();
    expect(before).to.be.greaterThan(0);
    expect(await lab.ssh('h1', 'sudo k3s kubectl delete node h4')).to.equal('node "h4" deleted\n');
    await eventually('h4 registered again', 15000, async () => ((await createRevision()) > before ? true : undefined));
    expect((await nodes(lab, 'h1')).find((n) => n.name === 'h4')?.ready).to.equal(true);
    // --ignore-not-found: a node that is gone is no error.
    expect((await lab.sshExec('h1', 'sudo k3s kubectl delete node nosuch --ignore-not-found')).code).to.equal(0);
    expect((await lab.sshExec('h1', 'sudo k3s kubectl delete node nosuch')).code).to.equal(1);
  });

  it('the agent uninstall script removes K3s from the host and leaves the cluster alone', async () => {
    await lab.ssh('h4', 'sudo systemctl disable --now k3s-agent');
    const run = await lab.sshExec('h4', 'sudo /usr/local/bin/k3s-agent-uninstall.sh');
    expect(run.code, run.stderr).to.equal(0);
    expect(await leftovers(lab, 'h4')).to.deep.equal([]);
    expect(await k3sProcesses(lab, 'h4')).to.deep.equal([]);
    // The node object stays until someone deletes it (turning NotReady once its heartbeats stop).
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.include('h4');
    expect((await lab.sshExec('h1', 'sudo k3s kubectl delete node h4')).code).to.equal(0);
  });

  it("deleting a stopped etcd server's node removes its etcd member", async () => {
    await lab.ssh('h3', 'sudo systemctl disable --now k3s');
    expect((await etcdMembers(lab, ['h1', 'h2'])).map((m) => m.name.split('-')[0])).to.have.members(['h1', 'h2', 'h3']);
    expect(await lab.ssh('h1', 'sudo k3s kubectl delete node h3')).to.equal('node "h3" deleted\n');
    const members = await etcdMembers(lab, ['h1', 'h2']);
    expect(members.map((m) => m.name.split('-')[0])).to.have.members(['h1', 'h2']);
    expect(await journal(lab, 'h1')).to.match(/Removing etcd member h3-\w+ \(http:\/\/[\d.]+:2380\) of deleted node h3/);
    expect((await lab.etcdctl(['endpoint', 'health'], { hosts: ['h1', 'h2'] })).code).to.equal(0);
  });

  it('the server uninstall script kills what runs, removes units, config, data, binary, symlinks and itself', async () => {
    // Started again (disabled, not enabled): the uninstall script must stop it and its etcd itself.
    await lab.ssh('h3', 'sudo systemctl start --no-block k3s');
    await eventually('k3s running on h3', 15000, async () => ((await k3sProcesses(lab, 'h3')).length > 0 ? true : undefined));
    const run = await lab.sshExec('h3', 'sudo /usr/local/bin/k3s-uninstall.sh');
    expect(run.code, run.stderr).to.equal(0);
    expect(await leftovers(lab, 'h3')).to.deep.equal([]);
    expect(await k3sProcesses(lab, 'h3')).to.deep.equal([]);
    // The two servers left are untouched by it.
    expect((await lab.etcdctl(['endpoint', 'health'], { hosts: ['h1', 'h2'] })).code).to.equal(0);
  });

  it('uninstalling a server without removing it first leaves its etcd member behind (k3s#4865)', async () => {
    const run = await lab.sshExec('h2', 'sudo /usr/local/bin/k3s-uninstall.sh');
    expect(run.code, run.stderr).to.equal(0);
    expect(await leftovers(lab, 'h2')).to.deep.equal([]);
    // h1 alone is 1 of 2 voters: no quorum, and the list (from h1's local copy) still names h2.
    const list = await lab.etcdctl(['member', 'list'], { hosts: ['h1'] });
    expect(list.stdout).to.match(/, h2-\w+, /);
  });
});
