// Joins the stand-in refuses, as K3s and etcd do: a wrong token, a must-match flag that differs,
// and a second server joining while another is still an etcd learner.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, eventually, etcdMembers, installK3s, journal, serverToken, upTestLab } from './support.js';

describe('k3s stand-in: refused joins', function () {
  this.timeout(180000);
  let lab: Lab;
  let token: string;
  const joinH1 = () => `server --server ${apiUrl(lab, 'h1')}`;

  before(async () => {
    // Slow disks keep a joining learner behind the leader for a while, as on SD cards.
    lab = await upTestLab({ hosts: 4, slowDisk: { h3: 40, h4: 40 } });
    const first = await installK3s(lab, 'h1', { K3S_TOKEN: 'right-secret', INSTALL_K3S_EXEC: 'server --cluster-init --cluster-cidr 10.42.0.0/16' });
    expect(first.code, first.stderr).to.equal(0);
    token = await serverToken(lab, 'h1');
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses a server with the wrong token, and systemd keeps retrying it', async () => {
    const join = await installK3s(lab, 'h2', { K3S_TOKEN: 'wrong-secret', INSTALL_K3S_EXEC: joinH1() });
    expect(join.code).to.equal(1);
    expect(join.stderr).to.include('Job for k3s.service failed');
    const log = await eventually('a restart after the failure', 15000, async () => {
      const text = await journal(lab, 'h2');
      return /restart counter is at 1\./.test(text) ? text : undefined;
    });
    expect(log).to.match(/level=fatal msg=".*token.*"/);
    expect(log).to.include('bootstrap data already found and encrypted with different token');
    expect(await etcdMembers(lab, ['h1'])).to.have.length(1);
    await lab.ssh('h2', 'sudo /usr/local/bin/k3s-uninstall.sh');
    expect((await lab.sshExec('h2', 'systemctl is-active k3s')).stdout.trim()).to.equal('inactive');
  });

  it('refuses a K10 token whose CA hash is not the cluster CA', async () => {
    const forged = token.replace(/^K10[0-9a-f]{64}/, `K10${'0'.repeat(64)}`);
    expect((await installK3s(lab, 'h2', { K3S_TOKEN: forged, INSTALL_K3S_EXEC: joinH1() })).code).to.equal(1);
    expect(await journal(lab, 'h2')).to.include('token CA hash does not match the Cluster CA certificate hash');
    await lab.ssh('h2', 'sudo /usr/local/bin/k3s-uninstall.sh');
  });

  it('refuses a server whose must-match flag differs from the cluster', async () => {
    const join = await installK3s(lab, 'h2', { K3S_TOKEN: token, INSTALL_K3S_EXEC: `${joinH1()} --cluster-cidr 10.99.0.0/16` });
    expect(join.code).to.equal(1);
    const log = await journal(lab, 'h2');
    expect(log).to.include('critical configuration value mismatch').and.include('cluster-cidr');
    expect(await etcdMembers(lab, ['h1'])).to.have.length(1);
    await lab.ssh('h2', 'sudo /usr/local/bin/k3s-uninstall.sh');
  });

  it('lets etcd refuse a second learner when two servers join at once; both get in on retry', async () => {
    const joins = await Promise.all(['h3', 'h4'].map((host) => installK3s(lab, host, { K3S_TOKEN: token, INSTALL_K3S_EXEC: `${joinH1()} --cluster-cidr 10.42.0.0/16` })));
    const logs = await Promise.all(['h3', 'h4'].map((host) => journal(lab, host)));
    expect(logs.join('\n')).to.include('too many learner members');
    expect(joins.map((j) => j.code).sort()).to.deep.equal([0, 1]);
    const members = await eventually('three voting members', 90000, async () => {
      const list = await etcdMembers(lab, ['h1']);
      return list.length === 3 && list.every((m) => m.status === 'started' && !m.isLearner) ? list : undefined;
    });
    expect(members.map((m) => m.name.split('-')[0]).sort()).to.deep.equal(['h1', 'h3', 'h4']);
  });
});
