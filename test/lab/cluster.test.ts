// The k3s stand-in forming an HA cluster on lab hosts, installed by hand over SSH the way fleet
// does it: first server with cluster-init, two more joining it, an agent; then losing servers.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, etcdMembers, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

const VERSION = 'v1.31.4+k3s1';
const SERVERS = ['h1', 'h2', 'h3'];

describe('k3s stand-in: HA cluster on embedded etcd', function () {
  this.timeout(180000);
  let lab: Lab;
  let token: string;

  before(async () => {
    lab = await upTestLab({ hosts: 4 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('starts the first server with cluster-init and real etcd', async () => {
    await lab.ssh('h1', `sudo mkdir -p /etc/rancher/k3s && printf 'cluster-init: true\\nnode-label:\\n  - "zone=lab"\\ntls-san:\\n  - k3s.lab\\n' | sudo tee /etc/rancher/k3s/config.yaml > /dev/null`);
    const install = await installK3s(lab, 'h1', { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: 'lab-secret', INSTALL_K3S_EXEC: 'server' });
    expect(install.code, install.stderr).to.equal(0);
    token = await serverToken(lab, 'h1');
    expect(token).to.match(/^K10[0-9a-f]{64}::server:lab-secret$/);
    expect((await lab.ssh('h1', 'k3s --version')).split('\n')[0]).to.equal(`k3s version ${VERSION} (standin)`);
    expect(await lab.ssh('h1', 'sudo cat /etc/rancher/k3s/k3s.yaml')).to.include('server: https://127.0.0.1:6443');
    const san = await lab.ssh('h1', `echo | openssl s_client -connect ${lab.host('h1').address}:6443 2>/dev/null | openssl x509 -noout -ext subjectAltName`);
    expect(san)
      .to.include(`IP Address:${lab.host('h1').address}`)
      .and.include('IP Address:127.0.0.1')
      .and.include('DNS:k3s.lab');
    expect(await etcdMembers(lab, ['h1'])).to.have.length(1);
  });

  it('joins two more servers one at a time and an agent, all Ready with the right roles', async () => {
    for (const host of ['h2', 'h3']) {
      const join = await installK3s(lab, host, { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: token, INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}` });
      expect(join.code, `${join.stderr}\n${await journal(lab, host)}`).to.equal(0);
    }
    const agent = await installK3s(lab, 'h4', { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h2') });
    expect(agent.code, agent.stderr).to.equal(0);

    const members = await etcdMembers(lab, SERVERS);
    expect(members).to.have.length(3);
    expect(members.every((m) => m.status === 'started' && !m.isLearner)).to.equal(true);
    const seen = await eventually('4 Ready nodes', 20000, async () => {
      const list = await nodes(lab, 'h3');
      return list.length === 4 && list.every((n) => n.ready) ? list : undefined;
    });
    for (const server of seen.filter((n) => SERVERS.includes(n.name))) expect(server.roles).to.deep.equal(['control-plane', 'etcd', 'master']);
    expect(seen.find((n) => n.name === 'h4')!.roles).to.deep.equal([]);
    expect(seen.every((n) => n.version === VERSION)).to.equal(true);
    expect(seen.find((n) => n.name === 'h1')!.labels).to.include({ zone: 'lab', 'kubernetes.io/arch': 'amd64' });
    const table = await lab.ssh('h1', 'sudo k3s kubectl get nodes');
    expect(table.split('\n')[0]).to.match(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(table).to.match(/^h4\s+Ready\s+<none>\s+\S+\s+v1\.31\.4\+k3s1$/m);
  });

  it('records installs and service starts, and does not restart an unchanged re-install', async () => {
    const before = await lab.ssh('h4', 'cat /var/log/k3s-standin/events.log');
    expect(before).to.match(/^\d+\.\d{3} install k3s-agent version=v1\.31\.4\+k3s1$/m);
    expect(before).to.match(/^\d+\.\d{3} start k3s-agent$/m);
    const again = await installK3s(lab, 'h4', { INSTALL_K3S_VERSION: VERSION, K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h2') });
    expect(again.stdout).to.include('No change detected so skipping service start');
    const after = await lab.ssh('h4', 'cat /var/log/k3s-standin/events.log');
    expect(after.match(/ start k3s-agent$/gm)).to.have.length(1);
    expect(after.match(/ install k3s-agent /gm)).to.have.length(2);
  });

  let h1Created: string;

  it('keeps quorum when one of three servers loses power', async () => {
    h1Created = (await nodes(lab, 'h1')).find((n) => n.name === 'h1')!.created;
    await lab.crash('h1');
    // A write issued while the survivors elect a new leader can time out; one after it must not.
    await eventually('a write through a survivor', 20000, async () => {
      const put = await lab.etcdctl(['put', 'fleet-lab-test', 'one-down', '--command-timeout=3s'], { hosts: ['h2'] });
      return put.code === 0 ? true : undefined;
    });
    expect((await lab.etcdctl(['get', 'fleet-lab-test', '--print-value-only'], { hosts: ['h3'] })).stdout.trim()).to.equal('one-down');
    // Its node stops sending heartbeats and turns NotReady, as a kubelet's would.
    const seen = await eventually('h1 NotReady', 30000, async () => {
      const list = await nodes(lab, 'h2');
      return list.find((n) => n.name === 'h1')?.ready === false ? list : undefined;
    });
    expect(
      seen
        .filter((n) => n.ready)
        .map((n) => n.name)
        .sort(),
    ).to.deep.equal(['h2', 'h3', 'h4']);
  });

  it('loses quorum when two of three are down, and heals when they boot again', async () => {
    await lab.crash('h2');
    for (let attempt = 0; attempt < 3; attempt++) {
      const put = await lab.etcdctl(['put', 'fleet-lab-test', 'two-down', '--command-timeout=2s'], { hosts: ['h3'] });
      expect(put.code, 'a write without quorum').not.to.equal(0);
    }
    await lab.start('h1');
    await lab.start('h2');
    await eventually('etcd healthy on all three', 60000, async () => {
      const health = await lab.etcdctl(['endpoint', 'health'], { hosts: SERVERS });
      return health.code === 0 ? true : undefined;
    });
    expect((await lab.etcdctl(['put', 'fleet-lab-test', 'healed'], { hosts: ['h1'] })).code).to.equal(0);
    const status = await eventually('k3s running on h1 and h2 again', 30000, async () => {
      const all = await lab.status();
      return all.filter((h) => h.k3s === 'running').length === 4 ? all : undefined;
    });
    expect(status.every((h) => h.up)).to.equal(true);
    const healed = await eventually('all nodes Ready again', 30000, async () => {
      const list = await nodes(lab, 'h1');
      return list.every((n) => n.ready) ? list : undefined;
    });
    // A reboot is not a new node: it keeps the node object it had.
    expect(healed.find((n) => n.name === 'h1')!.created).to.equal(h1Created);
  });
});
