// The lab's fixed registration address: a forwarder on its own lab address passing 6443 to the
// servers, checked by hand: TLS passes through (the server's certificate names the address when
// it is in tls-san), nothing answers while no server runs, and an agent registers through it.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from './lab.js';
import { runCommand } from './run-command.js';
import { claimNetwork, downTestLab, eventually, installK3s, journal, newLabDir, nodes, releaseNetwork, serverToken } from './support.js';

describe('lab: --registration-address forwards 6443 to the servers', function () {
  this.timeout(180000);
  let lab: Lab;
  let address: string;

  before(async () => {
    const dir = newLabDir();
    const network = claimNetwork(dir);
    address = `${network}.100`;
    try {
      lab = await Lab.up({ hosts: 2, dir, network, registrationAddress: address });
    } catch (error) {
      await Lab.down(dir);
      releaseNetwork(network);
      throw error;
    }
  });
  after(async () => {
    await downTestLab(lab);
  });

  const ping = (ca: string) => runCommand('curl', ['-sS', '--max-time', '5', '--cacert', ca, `https://${address}:6443/ping`]);

  it('answers nothing while no server runs, then the server itself, under the name in its tls-san', async () => {
    const ca = join(lab.dir, 'registration-ca.crt');
    writeFileSync(ca, '');
    const before = await runCommand('curl', ['-sS', '--max-time', '5', '-k', `https://${address}:6443/ping`]);
    expect(before.code).to.not.equal(0);

    const server = await installK3s(lab, 'h1', { K3S_TOKEN: 'forward-secret', INSTALL_K3S_EXEC: `server --cluster-init --tls-san ${address}` });
    expect(server.code, server.stderr).to.equal(0);
    writeFileSync(ca, await lab.ssh('h1', 'sudo cat /var/lib/rancher/k3s/server/tls/server-ca.crt'));
    const through = await ping(ca);
    expect(through.code, through.stderr).to.equal(0);
    expect(through.stdout).to.equal('pong');
  });

  it('registers an agent through the address', async () => {
    const token = await serverToken(lab, 'h1');
    const agent = await installK3s(lab, 'h2', { K3S_URL: `https://${address}:6443`, K3S_TOKEN: token });
    expect(agent.code, agent.stderr).to.equal(0);
    await eventually('h2 Ready', 30000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'h2' && n.ready));
    expect(await journal(lab, 'h2', 'k3s-agent')).to.include(`Agent registered with https://${address}:6443`);
  });

  it('is ended by down with the hosts', async () => {
    const { runningForwarderPid } = await import('./registration-forwarder.js');
    const pid = runningForwarderPid(lab.files);
    expect(pid).to.be.a('number');
    await lab.down();
    const { isAlive } = await import('./processes.js');
    expect(isAlive(pid!)).to.equal(false);
  });
});
