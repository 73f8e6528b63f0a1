// sudo for non-root logins against a real sshd: NOPASSWD users, users whose sudo wants a
// password (clear error), and the become password fed on stdin (never in argv).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionPool, SudoPasswordError, type ConnectionPoolOptions } from '../../src/ssh/index.js';
import { allProcessArgs, cleanup, generateKey, hostSpec, makeTempDir, startSshd, type Sshd } from './sshd-lab.js';

// Per run, so two test runs at once cannot remove each other's rules (sudo skips names with a dot).
const sudoersDropIn = `/etc/sudoers.d/fleet-ssh-test-${process.pid}`;
const nopasswdUser = 'fleettest';
const passwordUser = 'fleettestpw';
// Fixed, so concurrent runs agree on it; the account exists only on test machines.
const becomePassword = 'fleet-become-test-password';

function ensureUser(name: string, password: string): void {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('useradd', ['-m', '-s', '/bin/sh', name], { stdio: 'ignore' });
    } catch {
      execFileSync('id', [name], { stdio: 'ignore' }); // created meanwhile by a concurrent run
    }
  }
  // A set password also unlocks the account, which sshd requires when it runs without PAM.
  execFileSync('chpasswd', { input: `${name}:${password}\n` });
}

describe('sudo through a real sshd', function () {
  let sshd: Sshd;
  let dir: string;
  let userKey: string;
  let knownHostsFile: string;
  const pools: ConnectionPool[] = [];

  before(async function () {
    ensureUser(nopasswdUser, randomBytes(12).toString('hex'));
    ensureUser(passwordUser, becomePassword);
    const rules = `${nopasswdUser} ALL=(ALL) NOPASSWD: ALL\n${passwordUser} ALL=(ALL) ALL\n`;
    writeFileSync(`${sudoersDropIn}.tmp`, rules, { mode: 0o440 });
    execFileSync('visudo', ['-cqf', `${sudoersDropIn}.tmp`], { stdio: 'ignore' });
    execFileSync('mv', [`${sudoersDropIn}.tmp`, sudoersDropIn]);
    dir = makeTempDir('sudo');
    userKey = generateKey(dir, 'id_ed25519');
    chmodSync(dir, 0o700);
    sshd = await startSshd('127.0.3.1', [userKey]);
    knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, `[${sshd.address}]:${sshd.port} ${sshd.hostKeyLine}\n`);
  });

  after(async function () {
    for (const pool of pools) await pool.close();
    await sshd?.stop();
    rmSync(sudoersDropIn, { force: true });
    rmSync(`${sudoersDropIn}.tmp`, { force: true });
    cleanup(dir);
  });

  function poolFor(user: string, options: ConnectionPoolOptions = {}): ConnectionPool {
    const pool = new ConnectionPool([hostSpec('pi-1', sshd, { user, identityFile: userKey, knownHostsFile })], { sshConfigText: '', agentSocket: null, ...options });
    pools.push(pool);
    return pool;
  }

  it('runs as root through sudo -n for a NOPASSWD user, and as the user without sudo', async function () {
    const transport = await poolFor(nopasswdUser).get('pi-1');
    expect((await transport.exec('id -un')).stdout).to.equal(`${nopasswdUser}\n`);
    expect((await transport.exec('id -un', { sudo: true })).stdout).to.equal('root\n');
  });

  it('kills a timed-out command of a non-root login through an SSH signal request', async function () {
    const transport = await poolFor(nopasswdUser).get('pi-1');
    const marker = `sleep 8.${Math.floor(Math.random() * 900 + 100)}`;
    const result = await transport.exec(marker, { timeoutMs: 300 });
    expect(result).to.include({ timedOut: true, exitCode: null, stderr: '' });
    let stillRunning = true;
    for (let i = 0; i < 20 && stillRunning; i++) {
      stillRunning = allProcessArgs().some((line) => line.startsWith(marker));
      if (stillRunning) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stillRunning, 'the remote process was killed').to.equal(false);
  });

  it('keeps env, stdin scripts and quoting intact under sudo', async function () {
    const transport = await poolFor(nopasswdUser).get('pi-1');
    const value = `it's "quoted" $(not run) \`nor this\``;
    const viaEnv = await transport.exec('printf %s "$VALUE"; id -un >&2', { sudo: true, env: { VALUE: value } });
    expect(viaEnv.stdout).to.equal(value);
    expect(viaEnv.stderr).to.equal('root\n');
    const viaScript = await transport.exec(`sh -s -- 'a b'`, { sudo: true, stdin: 'printf "%s|%s" "$1" "$(id -u)"\n' });
    expect(viaScript.stdout).to.equal('a b|0');
  });

  it('writes a root-owned file with sudo into a directory the user cannot write', async function () {
    const transport = await poolFor(nopasswdUser).get('pi-1');
    const path = join(dir, 'secret.yaml');
    let withoutSudo: unknown;
    try {
      await transport.writeFile(path, 'token: x\n');
    } catch (error) {
      withoutSudo = error;
    }
    expect((withoutSudo as Error)?.name).to.equal('CommandError');
    await transport.writeFile(path, 'token: x\n', { sudo: true, mode: 0o600 });
    expect(readFileSync(path, 'utf8')).to.equal('token: x\n');
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(statSync(path).uid).to.equal(0);
  });

  it('reports a user whose sudo needs a password, with the fix', async function () {
    const transport = await poolFor(passwordUser).get('pi-1');
    let error: unknown;
    try {
      await transport.exec('id -u', { sudo: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(SudoPasswordError);
    const sudoError = error as SudoPasswordError;
    expect(sudoError.message).to.include(`sudo needs a password for user ${passwordUser}`);
    expect(sudoError.hint).to.include('NOPASSWD').and.include('--ask-become-pass');
    expect(sudoError.stderrTail).to.include('a password is required');
  });

  it('uses a become password on stdin, never in argv, and the command still gets its own stdin', async function () {
    let asked = 0;
    const pool = poolFor(passwordUser, {
      becomePassword: async () => {
        asked++;
        return becomePassword;
      },
    });
    const transport = await pool.get('pi-1');
    const running = transport.exec('cat; id -un; sleep 0.6', { sudo: true, stdin: 'line from stdin\n' });
    let sawSudo = false;
    const deadline = Date.now() + 500;
    while (Date.now() < deadline) {
      const args = allProcessArgs();
      if (args.some((line) => line.includes('sudo -S -k'))) sawSudo = true;
      expect(args.filter((line) => line.includes(becomePassword))).to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const result = await running;
    expect(sawSudo, 'the probe saw the sudo command').to.equal(true);
    expect(result.stdout).to.equal('line from stdin\nroot\n');
    expect((await transport.exec('id -u', { sudo: true })).stdout).to.equal('0\n');
    expect(asked, 'asked once per run').to.equal(1);
  });

  it("does not feed the become password to a NOPASSWD user's command", async function () {
    const transport = await poolFor(nopasswdUser, { becomePassword: 'unused-password' }).get('pi-1');
    const result = await transport.exec('cat', { sudo: true, stdin: 'only this\n' });
    expect(result.stdout).to.equal('only this\n');
  });
});
