// exec, env secrecy, stdin scripts, timeouts, connection reuse, writeFile/upload and
// connection errors against a real sshd on 127.0.3.1.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ConnectionError } from '../../src/errors.js';
import { ConnectionPool } from '../../src/ssh/index.js';
import { allProcessArgs, cleanup, freePort, generateKey, hostSpec, makeTempDir, startSshd, type Sshd } from './sshd-lab.js';

describe('ssh transport against a real sshd', function () {
  let sshd: Sshd;
  let dir: string;
  let userKey: string;
  let knownHostsFile: string;
  let pool: ConnectionPool;

  before(async function () {
    dir = makeTempDir('exec');
    userKey = generateKey(dir, 'id_ed25519');
    sshd = await startSshd('127.0.3.1', [userKey]);
    knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[${sshd.address}]:${sshd.port} ${sshd.hostKeyLine}\n`);
    pool = new ConnectionPool([hostSpec('pi-1', sshd, { identityFile: userKey, knownHostsFile })], { sshConfigText: '', agentSocket: null });
  });

  after(async function () {
    await pool?.close();
    await sshd?.stop();
    cleanup(dir);
  });

  it('returns stdout, stderr and the exit code', async function () {
    const transport = await pool.get('pi-1');
    const result = await transport.exec('echo out; echo err >&2; exit 3');
    expect(result).to.include({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, timedOut: false });
    expect(result.durationMs).to.be.a('number').and.at.least(0);
  });

  it('hands stdout to onStdout as it arrives, bytes intact, instead of collecting it', async function () {
    const transport = await pool.get('pi-1');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const file = join(dir, 'blob');
    writeFileSync(file, data);
    const chunks: Buffer[] = [];
    const result = await transport.exec(`cat ${file}`, { onStdout: (chunk) => chunks.push(chunk) });
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.equal('');
    expect(chunks.length).to.be.greaterThan(1);
    expect(Buffer.concat(chunks).equals(data)).to.equal(true);
  });

  it('streams a script on stdin to sh -s', async function () {
    const transport = await pool.get('pi-1');
    const result = await transport.exec('sh -s -- one two', { stdin: 'set -e\necho "args: $1 $2"\nexit 0\n' });
    expect(result.stdout).to.equal('args: one two\n');
    expect(result.exitCode).to.equal(0);
  });

  it('passes env values to the command without putting them in any argv on the host', async function () {
    const transport = await pool.get('pi-1');
    const secret = `s3cr3t-${randomBytes(8).toString('hex')}'"$(id)\`x\``;
    const marker = `sleep 1.${Math.floor(Math.random() * 900 + 100)}`;
    const running = transport.exec(`printf %s "$FLEET_SECRET"; ${marker}`, { env: { FLEET_SECRET: secret } });
    let sawCommand = false;
    const deadline = Date.now() + 900;
    while (Date.now() < deadline) {
      const args = allProcessArgs();
      if (args.some((line) => line.includes(marker))) sawCommand = true;
      expect(args.filter((line) => line.includes('s3cr3t-'))).to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await running;
    expect(sawCommand, 'the probe saw the remote command, so it would have seen the secret').to.equal(true);
    expect(result.stdout).to.equal(secret);
    expect(sshd.log()).not.to.include('s3cr3t-');
  });

  it('prepends env exports to a script given on stdin', async function () {
    const transport = await pool.get('pi-1');
    const result = await transport.exec('sh -s', { env: { GREETING: 'hello world' }, stdin: 'echo "$GREETING from stdin"\n' });
    expect(result.stdout).to.equal('hello world from stdin\n');
  });

  it('kills a command that outlives its timeout and reports timedOut', async function () {
    const transport = await pool.get('pi-1');
    const marker = `sleep 7.${Math.floor(Math.random() * 900 + 100)}`;
    const result = await transport.exec(marker, { timeoutMs: 400 });
    expect(result.timedOut).to.equal(true);
    expect(result.exitCode).to.equal(null);
    expect(result.durationMs).to.be.below(3000);
    let stillRunning = true;
    for (let i = 0; i < 20 && stillRunning; i++) {
      stillRunning = allProcessArgs().some((line) => line.startsWith(marker));
      if (stillRunning) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stillRunning, 'the remote process was killed').to.equal(false);
    const after = await transport.exec('echo still usable');
    expect(after.stdout).to.equal('still usable\n');
  });

  it('aborts a running command through an AbortSignal', async function () {
    const transport = await pool.get('pi-1');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    let error: unknown;
    try {
      await transport.exec('sleep 9', { signal: controller.signal });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error)?.name).to.equal('InterruptedError');
    expect(Date.now() - started).to.be.below(3000);
  });

  it("uses one connection for many commands and many get() calls, beyond sshd's MaxSessions", async function () {
    const before = pool.connectionsOpened;
    const transports = await Promise.all([pool.get('pi-1'), pool.get('pi-1'), pool.get('pi-1')]);
    expect(transports[0]).to.equal(transports[1]);
    // 25 at once: more than OpenSSH's default MaxSessions (10) channels on one connection.
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => transports[i % 3].exec(`sleep 0.2; echo ${i}`)));
    expect(results.map((result) => result.stdout)).to.deep.equal(Array.from({ length: 25 }, (_, i) => `${i}\n`));
    expect(pool.connectionsOpened).to.equal(1);
    expect(before).to.equal(1);
    expect(sshd.log().match(/Accepted publickey for root/g)).to.have.length(1);
  });

  it('writes a file atomically with its mode and exact binary content', async function () {
    const transport = await pool.get('pi-1');
    const content = Buffer.concat([randomBytes(70_000), Buffer.from([0, 255, 10, 13, 0])]);
    const path = join(dir, 'written.bin');
    await transport.writeFile(path, content, { mode: 0o600 });
    expect(readFileSync(path).equals(content)).to.equal(true);
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    await transport.writeFile(path, 'replaced\n', { mode: 0o644 });
    expect(readFileSync(path, 'utf8')).to.equal('replaced\n');
    expect(statSync(path).mode & 0o777).to.equal(0o644);
    const leftovers = (await transport.exec(`ls -a ${dir}`)).stdout;
    expect(leftovers).not.to.include('.fleet-write.');
  });

  it('uploads a local file by streaming it', async function () {
    const transport = await pool.get('pi-1');
    const local = join(dir, 'local.bin');
    writeFileSync(local, randomBytes(300_000));
    const remote = join(dir, 'uploaded.bin');
    await transport.upload(local, remote, { mode: 0o755 });
    expect(readFileSync(remote).equals(readFileSync(local))).to.equal(true);
    expect(statSync(remote).mode & 0o777).to.equal(0o755);
  });

  it('fails a write into a missing directory with a CommandError', async function () {
    const transport = await pool.get('pi-1');
    let error: unknown;
    try {
      await transport.writeFile(join(dir, 'no-such-dir', 'f'), 'x');
    } catch (caught) {
      error = caught;
    }
    expect((error as Error)?.name).to.equal('CommandError');
  });

  it('explains a refused connection and does not count it', async function () {
    const port = await freePort('127.0.3.1');
    const refused = new ConnectionPool([hostSpec('pi-down', { address: '127.0.3.1', port }, { identityFile: userKey, knownHostsFile })], {
      sshConfigText: '',
      agentSocket: null,
      connectRetries: 2,
      retryBaseDelayMs: 50,
    });
    const started = Date.now();
    let error: unknown;
    try {
      await refused.get('pi-down');
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as Error).message)
      .to.include(`nothing listens on 127.0.3.1:${port}`)
      .and.include('is sshd running?');
    expect(Date.now() - started, 'two backoff delays of 50 and 100 ms').to.be.at.least(140);
    expect(refused.connectionsOpened).to.equal(0);
    await refused.close();
  });

  it('retries a handshake that times out, then explains it', async function () {
    const server = createServer((socket) => {
      sockets.push(socket); // accept and say nothing, like a wedged sshd
    });
    const sockets: Socket[] = [];
    const port = await freePort('127.0.3.3');
    await new Promise<void>((resolve) => server.listen(port, '127.0.3.3', resolve));
    const silent = new ConnectionPool([hostSpec('pi-silent', { address: '127.0.3.3', port }, { identityFile: userKey, knownHostsFile })], {
      sshConfigText: '',
      agentSocket: null,
      connectTimeoutMs: 300,
      connectRetries: 1,
      retryBaseDelayMs: 10,
    });
    let error: unknown;
    try {
      await silent.get('pi-silent');
    } catch (caught) {
      error = caught;
    } finally {
      await silent.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(error).to.be.instanceOf(ConnectionError);
    expect((error as Error).message).to.include('no SSH handshake');
    expect(sockets, 'one attempt and one retry').to.have.length(2);
  });

  it('reports a connection lost mid-command and does not reconnect behind the caller', async function () {
    const fragile = new ConnectionPool([hostSpec('pi-1', sshd, { identityFile: userKey, knownHostsFile })], { sshConfigText: '', agentSocket: null });
    try {
      const transport = await fragile.get('pi-1');
      // The login shell's parent is the sshd process serving this connection.
      let error: unknown;
      try {
        await transport.exec('kill -9 $PPID; sleep 2');
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(ConnectionError);
      expect((error as Error).message).to.include('lost while a command ran');
      let next: unknown;
      try {
        await transport.exec('echo again');
      } catch (caught) {
        next = caught;
      }
      expect(next).to.be.instanceOf(ConnectionError);
      expect((next as Error).message).to.include('lost earlier in this run');
      expect(fragile.connectionsOpened).to.equal(1);
    } finally {
      await fragile.close();
    }
  });
});
