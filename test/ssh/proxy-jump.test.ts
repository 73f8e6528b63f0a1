// ProxyJump through a second real sshd (127.0.3.2) to the target (127.0.3.1).
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostKeyError } from '../../src/errors.js';
import { ConnectionPool } from '../../src/ssh/index.js';
import { cleanup, generateKey, hostSpec, makeTempDir, startSshd, type Sshd } from './sshd-lab.js';

describe('ProxyJump through a real bastion sshd', function () {
  let target: Sshd;
  let bastion: Sshd;
  let dir: string;
  let userKey: string;
  let knownHostsFile: string;

  before(async function () {
    dir = makeTempDir('jump');
    userKey = generateKey(dir, 'id_ed25519');
    [target, bastion] = await Promise.all([startSshd('127.0.3.1', [userKey]), startSshd('127.0.3.2', [userKey])]);
    knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[${target.address}]:${target.port} ${target.hostKeyLine}\n[${bastion.address}]:${bastion.port} ${bastion.hostKeyLine}\n`);
  });

  after(async function () {
    await target?.stop();
    await bastion?.stop();
    cleanup(dir);
  });

  it('reaches the target through the bastion, sharing one bastion connection between hosts', async function () {
    const proxyJump = `root@${bastion.address}:${bastion.port}`;
    const pool = new ConnectionPool(
      [hostSpec('pi-1', target, { identityFile: userKey, knownHostsFile, proxyJump }), { ...hostSpec('pi-2', target, { identityFile: userKey, knownHostsFile, proxyJump }), index: 1 }],
      { sshConfigText: '', agentSocket: null },
    );
    try {
      const [one, two] = await Promise.all([pool.get('pi-1'), pool.get('pi-2')]);
      expect((await one.exec('echo through')).stdout).to.equal('through\n');
      expect((await two.exec('echo also')).stdout).to.equal('also\n');
      expect(pool.connectionsOpenedTo('pi-1')).to.equal(1);
      expect(pool.connectionsOpenedTo('pi-2')).to.equal(1);
      expect(pool.connectionsOpenedTo(proxyJump)).to.equal(1);
      expect(pool.connectionsOpened).to.equal(3);
      expect(bastion.log().match(/Accepted publickey/g)).to.have.length(1);
      expect(target.log().match(/Accepted publickey/g)).to.have.length(2);
    } finally {
      await pool.close();
    }
  });

  it('follows HostName, Port, User and ProxyJump from ~/.ssh/config', async function () {
    const sshConfigText = [
      'Host pi-alias',
      `  HostName ${target.address}`,
      `  Port ${target.port}`,
      '  ProxyJump bastion',
      'Host bastion',
      `  HostName ${bastion.address}`,
      `  Port ${bastion.port}`,
      '  User root',
      'Host *',
      '  Port 1',
    ].join('\n');
    const host = { ...hostSpec('pi-1', target, { identityFile: userKey, knownHostsFile }), address: 'pi-alias' };
    host.ssh = { ...host.ssh, port: 22, explicit: new Set(['identityFile', 'knownHostsFile'] as const) };
    const pool = new ConnectionPool([host], { sshConfigText, agentSocket: null });
    try {
      const target = pool.target('pi-1');
      expect(target).to.include({ address: '127.0.3.1', user: 'root' });
      expect(target.sources).to.include({ address: 'ssh-config', port: 'ssh-config', jump: 'ssh-config' });
      const transport = await pool.get('pi-1');
      expect((await transport.exec('echo configured')).stdout).to.equal('configured\n');
      expect(pool.connectionsOpened).to.equal(2);
    } finally {
      await pool.close();
    }
  });

  it('verifies the bastion host key too', async function () {
    const onlyTarget = join(dir, 'known_hosts_target_only');
    writeFileSync(onlyTarget, `[${target.address}]:${target.port} ${target.hostKeyLine}\n`);
    const pool = new ConnectionPool([hostSpec('pi-1', target, { identityFile: userKey, knownHostsFile: onlyTarget, proxyJump: `${bastion.address}:${bastion.port}` })], {
      sshConfigText: '',
      agentSocket: null,
    });
    let error: unknown;
    try {
      await pool.get('pi-1');
    } catch (caught) {
      error = caught;
    } finally {
      await pool.close();
    }
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).message).to.include(`[${bastion.address}]:${bastion.port}`);
    expect(pool.connectionsOpened).to.equal(0);
  });
});
