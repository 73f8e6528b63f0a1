// A single server on SQLite, converted to embedded etcd by a restart with cluster-init (from
// v1.22.2+k3s1 on; an older version refuses), keeping the nodes it had.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, etcdMembers, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

const ADD_CLUSTER_INIT = `sudo mkdir -p /etc/rancher/k3s && echo 'cluster-init: true' | sudo tee /etc/rancher/k3s/config.yaml > /dev/null`;

describe('k3s stand-in: SQLite server and its conversion to etcd', function () {
  this.timeout(120000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 3 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('runs a server without cluster-init on SQLite, with an agent', async () => {
    expect((await installK3s(lab, 'h1', { K3S_TOKEN: 'sqlite-secret', INSTALL_K3S_VERSION: 'v1.30.2+k3s1' })).code).to.equal(0);
    expect(await lab.ssh('h1', 'sudo ls /var/lib/rancher/k3s/server/db')).to.include('state.db');
    expect((await lab.etcdctl(['endpoint', 'health', '--command-timeout=2s'], { hosts: ['h1'] })).code).not.to.equal(0);
    const token = await serverToken(lab, 'h1');
    // The agent runs the server's version: a newer agent is out of skew and refused (upgrade.test.ts).
    expect((await installK3s(lab, 'h2', { K3S_TOKEN: token, K3S_URL: apiUrl(lab, 'h1'), INSTALL_K3S_VERSION: 'v1.30.2+k3s1' })).code).to.equal(0);
    const list = await eventually('two nodes', 15000, async () => {
      const seen = await nodes(lab, 'h1');
      return seen.length === 2 ? seen : undefined;
    });
    expect(list.find((n) => n.name === 'h1')!.roles).to.deep.equal(['control-plane', 'master']);
  });

  it('converts to etcd on a restart with cluster-init and keeps the agent', async () => {
    await lab.ssh('h1', `${ADD_CLUSTER_INIT} && sudo systemctl restart k3s`);
    const members = await etcdMembers(lab, ['h1']);
    expect(members).to.have.length(1);
    expect(members[0]!.status).to.equal('started');
    const list = await nodes(lab, 'h1');
    expect(list.map((n) => n.name).sort()).to.deep.equal(['h1', 'h2']);
    expect(list.find((n) => n.name === 'h1')!.roles).to.deep.equal(['control-plane', 'etcd', 'master']);
    await eventually('the agent Ready on etcd', 15000, async () => ((await nodes(lab, 'h1')).every((n) => n.ready) ? true : undefined));
    expect(await journal(lab, 'h1')).to.include('Migrating content from sqlite to etcd');
  });

  it('refuses the conversion below v1.22.2+k3s1', async () => {
    expect((await installK3s(lab, 'h3', { K3S_TOKEN: 'old-secret', INSTALL_K3S_VERSION: 'v1.21.5+k3s1' })).code).to.equal(0);
    const restart = await lab.sshExec('h3', `${ADD_CLUSTER_INIT} && sudo systemctl restart k3s`);
    expect(restart.code).to.equal(1);
    expect(await journal(lab, 'h3')).to.match(/level=fatal msg=".*SQLite.*v1\.22\.2\+k3s1.*v1\.21\.5\+k3s1"/);
    expect((await lab.sshExec('h3', 'systemctl is-active k3s')).stdout.trim()).not.to.equal('active');
  });
});
