// Authentication against a real sshd: encrypted keys, ssh-agent, refused keys, missing files.
import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionError, InputError } from '../../src/errors.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../../src/ssh/index.js';
import { cleanup, generateKey, hostSpec, makeTempDir, startSshd, type Sshd } from './sshd-lab.js';

describe('SSH authentication against a real sshd', function () {
  let sshd: Sshd;
  let dir: string;
  let plainKey: string;
  let encryptedKey: string;
  let strangerKey: string;
  let knownHostsFile: string;
  const passphrase = 'correct horse battery staple';
  const savedPassphrase = process.env.FLEET_SSH_PASSPHRASE;

  before(async function () {
    dir = makeTempDir('auth');
    plainKey = generateKey(dir, 'id_plain');
    encryptedKey = generateKey(dir, 'id_encrypted', passphrase);
    strangerKey = generateKey(dir, 'id_stranger');
    sshd = await startSshd('127.0.3.1', [plainKey, encryptedKey]);
    knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[${sshd.address}]:${sshd.port} ${sshd.hostKeyLine}\n`);
  });

  afterEach(function () {
    if (savedPassphrase === undefined) delete process.env.FLEET_SSH_PASSPHRASE;
    else process.env.FLEET_SSH_PASSPHRASE = savedPassphrase;
  });

  after(async function () {
    await sshd?.stop();
    cleanup(dir);
  });

  async function tryConnect(identityFile: string | undefined, options: ConnectionPoolOptions = {}): Promise<unknown> {
    const pool = new ConnectionPool([hostSpec('pi-1', sshd, { identityFile, knownHostsFile })], { sshConfigText: '', agentSocket: null, ...options });
    try {
      const transport = await pool.get('pi-1');
      expect((await transport.exec('whoami')).stdout).to.equal('root\n');
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await pool.close();
    }
  }

  it('opens an encrypted key with FLEET_SSH_PASSPHRASE', async function () {
    process.env.FLEET_SSH_PASSPHRASE = passphrase;
    expect(await tryConnect(encryptedKey)).to.equal(undefined);
  });

  it('asks the injected prompt for the passphrase when the variable is not set', async function () {
    delete process.env.FLEET_SSH_PASSPHRASE;
    const asked: string[] = [];
    const error = await tryConnect(encryptedKey, {
      passphrasePrompt: async (file) => {
        asked.push(file);
        return passphrase;
      },
    });
    expect(error).to.equal(undefined);
    expect(asked).to.deep.equal([encryptedKey]);
  });

  it('says how to give the passphrase of an encrypted key', async function () {
    delete process.env.FLEET_SSH_PASSPHRASE;
    const error = await tryConnect(encryptedKey);
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).message)
      .to.include(encryptedKey)
      .and.include('encrypted');
    expect((error as InputError).hint).to.include('FLEET_SSH_PASSPHRASE');
  });

  it('reports a wrong passphrase as such', async function () {
    process.env.FLEET_SSH_PASSPHRASE = 'not it';
    const error = await tryConnect(encryptedKey);
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).message).to.include('wrong passphrase');
  });

  it('names a missing identity file', async function () {
    const missing = join(dir, 'no_such_key');
    const error = await tryConnect(missing);
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).message)
      .to.include(missing)
      .and.include('does not exist');
  });

  it('explains a refused key (user, key file, no agent) without retrying', async function () {
    const before = (sshd.log().match(/Connection from/g) ?? []).length;
    const started = Date.now();
    const error = await tryConnect(strangerKey, { retryBaseDelayMs: 5000 });
    expect(Date.now() - started, 'no backoff delay: auth failures are not retried').to.be.below(4000);
    expect(error).to.be.instanceOf(ConnectionError);
    const message = (error as ConnectionError).message;
    expect(message).to.include('user root').and.include(strangerKey).and.include('no ssh-agent');
    expect((error as ConnectionError).hint).to.include('authorized_keys');
    expect((sshd.log().match(/Connection from/g) ?? []).length - before).to.equal(1);
  });

  describe('with ssh-agent', function () {
    let agent: ChildProcess;
    let socket: string;

    before(async function () {
      socket = join(dir, 'agent.sock');
      agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      execFileSync('ssh-add', [plainKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    });

    after(async function () {
      if (agent && agent.exitCode === null) {
        const exited = new Promise((resolve) => agent.once('exit', resolve));
        agent.kill('SIGTERM');
        await exited;
      }
    });

    it('authenticates with a key held by the agent and no key file', async function () {
      expect(await tryConnect(undefined, { agentSocket: socket })).to.equal(undefined);
    });

    it('falls back to the key file when the agent key is refused', async function () {
      const strangerAgentSocket = join(dir, 'stranger.sock');
      const strangerAgent = spawn('ssh-agent', ['-D', '-a', strangerAgentSocket], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 100 && !existsSync(strangerAgentSocket); i++) await new Promise((resolve) => setTimeout(resolve, 20));
        execFileSync('ssh-add', [strangerKey], { env: { ...process.env, SSH_AUTH_SOCK: strangerAgentSocket }, stdio: 'ignore' });
        expect(await tryConnect(plainKey, { agentSocket: strangerAgentSocket })).to.equal(undefined);
      } finally {
        const exited = new Promise((resolve) => strangerAgent.once('exit', resolve));
        strangerAgent.kill('SIGTERM');
        await exited;
      }
    });
  });
});
