// Hosts as the Pi imager leaves them, all called raspberrypi: the stand-in refuses what K3s
// refuses (a second node with a taken name and another node password; a server whose name an
// etcd member already carries; node labels kubelet may not set), and node-name is the way out.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, eventually, etcdMembers, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

describe('k3s stand-in: duplicate hostnames and kubelet labels', function () {
  this.timeout(240000);
  let lab: Lab;
  let token: string;

  before(async () => {
    lab = await upTestLab({ hosts: 3, hostname: 'raspberrypi' });
    const first = await installK3s(lab, 'h1', { K3S_TOKEN: 'names-secret', INSTALL_K3S_EXEC: 'server --cluster-init' });
    expect(first.code, first.stderr).to.equal(0);
    token = await serverToken(lab, 'h1');
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('gives every host the same hostname, each with its own address', async () => {
    for (const host of ['h1', 'h2', 'h3']) {
      expect((await lab.ssh(host, 'hostname')).trim()).to.equal('raspberrypi');
      expect(await lab.ssh(host, 'cat /etc/hosts')).to.include(`${lab.host(host).address}\traspberrypi`);
    }
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.deep.equal(['raspberrypi']);
  });

  it('refuses an agent whose name is taken by a node with another password, as K3s does', async () => {
    const agent = await installK3s(lab, 'h2', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: token });
    expect(agent.code, agent.stderr).to.equal(0);
    const log = await eventually('the refusal in the agent journal', 30000, async () => {
      const text = await journal(lab, 'h2', 'k3s-agent');
      return text.includes('Node password rejected') ? text : undefined;
    });
    expect(log).to.include("Node password rejected, duplicate hostname or contents of '/etc/rancher/node/password' may not match server node-passwd entry");
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.deep.equal(['raspberrypi']);
    // The node's own password file, root only, is what K3s compares.
    expect((await lab.ssh('h2', 'sudo stat -c %a /etc/rancher/node/password')).trim()).to.equal('600');
  });

  it('registers the same host once it has a node name of its own', async () => {
    const agent = await installK3s(lab, 'h2', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: token, INSTALL_K3S_EXEC: 'agent --node-name pi-2' });
    expect(agent.code, agent.stderr).to.equal(0);
    const list = await eventually('pi-2 Ready', 30000, async () => {
      const all = await nodes(lab, 'h1');
      return all.find((n) => n.name === 'pi-2')?.ready ? all : undefined;
    });
    expect(list.map((n) => n.name).sort()).to.deep.equal(['pi-2', 'raspberrypi']);
  });

  it('refuses a server joining under a name an etcd member already carries', async () => {
    const join = await installK3s(lab, 'h3', { K3S_TOKEN: token, INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}` });
    expect(join.code).to.equal(1);
    expect(await journal(lab, 'h3')).to.include('duplicate node name found, please use a unique name for this node');
    expect(await etcdMembers(lab, ['h1'])).to.have.length(1);
    await lab.ssh('h3', 'sudo /usr/local/bin/k3s-uninstall.sh');
  });

  it('refuses to start with a node label kubelet may not set, and starts with one it may', async () => {
    const refused = await installK3s(lab, 'h3', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: token, INSTALL_K3S_EXEC: 'agent --node-name pi-3 --node-label node-role.kubernetes.io/worker=true' });
    expect(refused.code, refused.stderr).to.equal(0); // Type=exec: the failure shows in the journal
    const log = await eventually('kubelet refusing the label', 30000, async () => {
      const text = await journal(lab, 'h3', 'k3s-agent');
      return text.includes('failed to validate kubelet flags') ? text : undefined;
    });
    expect(log).to.include("unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [node-role.kubernetes.io/worker]");
    expect(log).to.include('must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io)');
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.not.include('pi-3');

    const allowed = await installK3s(lab, 'h3', {
      K3S_URL: apiUrl(lab, 'h1'),
      K3S_TOKEN: token,
      INSTALL_K3S_EXEC: 'agent --node-name pi-3 --node-label node.kubernetes.io/role=worker --node-label topology.kubernetes.io/zone=shelf',
    });
    expect(allowed.code, allowed.stderr).to.equal(0);
    const node = await eventually('pi-3 Ready', 30000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'pi-3' && n.ready));
    expect(node.labels['node.kubernetes.io/role']).to.equal('worker');
    expect(node.labels['topology.kubernetes.io/zone']).to.equal('shelf');
  });

  it('lets the name register afresh once its node is deleted (K3s deletes the password with it)', async () => {
    await lab.ssh('h2', 'sudo /usr/local/bin/k3s-agent-uninstall.sh');
    await lab.ssh('h1', 'sudo k3s kubectl delete node pi-2');
    const agent = await installK3s(lab, 'h2', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: token, INSTALL_K3S_EXEC: 'agent --node-name pi-2' });
    expect(agent.code, agent.stderr).to.equal(0);
    await eventually('pi-2 Ready again', 30000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'pi-2' && n.ready));
  });
});
