// Host key checking against a real sshd: unknown, accept-new, changed, other key types,
// hashed entries, [host]:port form, comma lists and @revoked.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostKeyError } from '../../src/errors.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../../src/ssh/index.js';
import { cleanup, generateKey, hostSpec, makeTempDir, startSshd, type Sshd } from './sshd-lab.js';

function keyscanFingerprint(pubFile: string): string {
  // `256 SHA256:abc... comment (ED25519)`
  return execFileSync('ssh-keygen', ['-lf', pubFile]).toString().split(' ')[1];
}

function publicKeyLine(pubFile: string): string {
  return readFileSync(pubFile, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

describe('host key checking against a real sshd', function () {
  let sshd: Sshd;
  let dir: string;
  let userKey: string;
  let otherEd25519: string;
  let otherEcdsa: string;
  let run = 0;

  before(async function () {
    dir = makeTempDir('hostkeys');
    userKey = generateKey(dir, 'id_ed25519');
    otherEd25519 = generateKey(dir, 'other_ed25519');
    otherEcdsa = generateKey(dir, 'other_ecdsa', '', 'ecdsa');
    sshd = await startSshd('127.0.3.1', [userKey], ['rsa']);
  });

  after(async function () {
    await sshd?.stop();
    cleanup(dir);
  });

  /** Connect once with a fresh known_hosts file holding `lines`; returns the error, if any. */
  async function connectWith(lines: string | undefined, options: ConnectionPoolOptions = {}): Promise<{ error?: unknown; knownHostsFile: string; pool: ConnectionPool }> {
    const knownHostsFile = join(dir, `known_hosts.${run++}`);
    if (lines !== undefined) writeFileSync(knownHostsFile, lines);
    const pool = new ConnectionPool([hostSpec('pi-1', sshd, { identityFile: userKey, knownHostsFile })], { sshConfigText: '', agentSocket: null, ...options });
    try {
      const transport = await pool.get('pi-1');
      expect((await transport.exec('echo ok')).stdout).to.equal('ok\n');
      return { knownHostsFile, pool };
    } catch (error) {
      return { error, knownHostsFile, pool };
    } finally {
      await pool.close();
    }
  }

  const name = (): string => `[${sshd.address}]:${sshd.port}`;

  it('refuses an unknown host key, showing the same fingerprint as ssh-keygen -lf', async function () {
    const { error, knownHostsFile, pool } = await connectWith(undefined);
    expect(error).to.be.instanceOf(HostKeyError);
    const hostKeyError = error as HostKeyError;
    const expected = keyscanFingerprint(sshd.hostKeyPub);
    expect(expected).to.match(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(hostKeyError.kind).to.equal('unknown');
    expect(hostKeyError.fingerprint).to.equal(expected);
    expect(hostKeyError.message).to.include(expected);
    expect(hostKeyError.hint).to.include(`ssh-keyscan -H -p ${sshd.port} ${sshd.address} >> ${knownHostsFile}`).and.include('--accept-new-host-keys');
    expect(existsSync(knownHostsFile), 'nothing recorded').to.equal(false);
    expect(pool.connectionsOpened).to.equal(0);
  });

  it('records an unknown key with acceptNewHostKeys (file created 0600), then trusts it', async function () {
    const first = await connectWith(undefined, { acceptNewHostKeys: true });
    expect(first.error).to.equal(undefined);
    expect(readFileSync(first.knownHostsFile, 'utf8')).to.equal(`${name()} ${sshd.hostKeyLine}\n`);
    expect(statSync(first.knownHostsFile).mode & 0o777).to.equal(0o600);
    const pool = new ConnectionPool([hostSpec('pi-1', sshd, { identityFile: userKey, knownHostsFile: first.knownHostsFile })], { sshConfigText: '', agentSocket: null });
    const transport = await pool.get('pi-1');
    expect((await transport.exec('echo again')).stdout).to.equal('again\n');
    await pool.close();
    expect(readFileSync(first.knownHostsFile, 'utf8').split('\n').filter(Boolean)).to.have.length(1);
  });

  it('appends to an existing file without joining lines', async function () {
    const { error, knownHostsFile } = await connectWith('other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', { acceptNewHostKeys: true });
    expect(error).to.equal(undefined);
    expect(readFileSync(knownHostsFile, 'utf8').split('\n')).to.deep.equal([
      'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
      `${name()} ${sshd.hostKeyLine}`,
      '',
    ]);
  });

  it('refuses a changed key loudly, even with acceptNewHostKeys, and leaves the file alone', async function () {
    const oldLine = `# fleet lab\n${name()} ${publicKeyLine(`${otherEd25519}.pub`)}\n`;
    const { error, knownHostsFile } = await connectWith(oldLine, { acceptNewHostKeys: true });
    expect(error).to.be.instanceOf(HostKeyError);
    const hostKeyError = error as HostKeyError;
    expect(hostKeyError.kind).to.equal('changed');
    expect(hostKeyError.fingerprint).to.equal(keyscanFingerprint(sshd.hostKeyPub));
    expect(hostKeyError.message)
      .to.include('REMOTE HOST IDENTIFICATION HAS CHANGED')
      .and.include(keyscanFingerprint(sshd.hostKeyPub))
      .and.include(keyscanFingerprint(`${otherEd25519}.pub`))
      .and.include(`${knownHostsFile}:2`);
    expect(hostKeyError.hint).to.include(`ssh-keygen -R '${name()}' -f ${knownHostsFile}`);
    expect(readFileSync(knownHostsFile, 'utf8')).to.equal(oldLine);
  });

  it('refuses a host known only with another key type (the server has no key of that type)', async function () {
    const { error } = await connectWith(`${name()} ${publicKeyLine(`${otherEcdsa}.pub`)}\n`, { acceptNewHostKeys: true });
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).kind).to.equal('changed');
    expect((error as HostKeyError).message).to.include(keyscanFingerprint(`${otherEcdsa}.pub`));
  });

  it('asks for the recorded key type first, so a host with several keys still matches', async function () {
    // The server has ed25519 and rsa keys; ssh2 would pick ed25519 unless told rsa is the one we know.
    const { error } = await connectWith(`${name()} ${publicKeyLine(join(sshd.dir, 'host_rsa.pub'))}\n`);
    expect(error).to.equal(undefined);
  });

  it('accepts a hashed entry made by ssh-keygen -H', async function () {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(file, `${name()} ${sshd.hostKeyLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).to.match(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
    expect(hashed).not.to.include(sshd.address);
    const { error } = await connectWith(hashed);
    expect(error).to.equal(undefined);
  });

  it('does not let a port-22 entry vouch for a host on another port', async function () {
    const { error } = await connectWith(`${sshd.address} ${sshd.hostKeyLine}\n`);
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).kind).to.equal('unknown');
  });

  it('matches [host]:port inside a comma-separated host list', async function () {
    const { error } = await connectWith(`[127.0.3.99]:${sshd.port},${name()},pi-1.lan ${sshd.hostKeyLine}\n`);
    expect(error).to.equal(undefined);
  });

  it('honours a negated pattern that excludes this host', async function () {
    const { error } = await connectWith(`!${name()},[127.0.3.*]:${sshd.port} ${sshd.hostKeyLine}\n`);
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).kind).to.equal('unknown');
  });

  it('refuses a key marked @revoked even when it is also listed as valid', async function () {
    const { error } = await connectWith(`${name()} ${sshd.hostKeyLine}\n@revoked * ${sshd.hostKeyLine}\n`, { acceptNewHostKeys: true });
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).message).to.include('REVOKED');
  });

  it('ignores @cert-authority lines', async function () {
    const { error } = await connectWith(`@cert-authority ${name()} ${sshd.hostKeyLine}\n`);
    expect(error).to.be.instanceOf(HostKeyError);
    expect((error as HostKeyError).kind).to.equal('unknown');
  });
});
