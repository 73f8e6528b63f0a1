import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWriteScript, isSudoPasswordRequired, planRemoteCommand } from '../../../src/ssh/remote-command.js';

describe('remote command plans', function () {
  it('runs a plain command as given', function () {
    expect(planRemoteCommand('uname -m', { hasStdin: false, sudo: 'none' })).to.deep.equal({ command: 'uname -m', stdinPrefix: '' });
  });

  it('moves a command with env into a script for sh -s, values only on stdin', function () {
    const plan = planRemoteCommand('k3s-install "$TOKEN"', { env: { TOKEN: 'se cret' }, hasStdin: false, sudo: 'none' });
    expect(plan.command).to.equal('sh -s');
    expect(plan.stdinPrefix).to.equal(`export TOKEN='se cret'\nk3s-install "$TOKEN"\n`);
  });

  it('prepends env exports to a script the caller streams', function () {
    const plan = planRemoteCommand('sh -s -- --flag', { env: { A: '1' }, hasStdin: true, sudo: 'none' });
    expect(plan).to.deep.equal({ command: 'sh -s -- --flag', stdinPrefix: `export A='1'\n` });
  });

  it('wraps in sudo -n, or sudo -S -k with an empty prompt, keeping secrets out of the command', function () {
    const nopasswd = planRemoteCommand(`echo 'hi'`, { env: { T: 'secret' }, hasStdin: false, sudo: 'nopasswd' });
    expect(nopasswd.command).to.equal(`sudo -n -- sh -c 'sh -s'`);
    expect(nopasswd.command).not.to.include('secret');
    const password = planRemoteCommand(`echo 'hi'`, { hasStdin: false, sudo: 'password' });
    expect(password.command).to.equal(`sudo -S -k -p '' -- sh -c 'echo '\\''hi'\\'''`);
  });

  it('produces commands that sh runs as intended', function () {
    const plan = planRemoteCommand(`printf '%s|' "$V" "$(echo sub)"`, { env: { V: `a'b"c` }, hasStdin: false, sudo: 'none' });
    const out = execFileSync('/bin/sh', ['-c', plan.command], { input: plan.stdinPrefix }).toString();
    expect(out).to.equal(`a'b"c|sub|`);
  });

  it('recognises sudo asking for a password', function () {
    expect(isSudoPasswordRequired('sudo: a password is required\n')).to.equal(true);
    expect(isSudoPasswordRequired('sudo: a terminal is required to read the password')).to.equal(true);
    expect(isSudoPasswordRequired('permission denied')).to.equal(false);
  });

  describe('atomic write script (run by the local sh)', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(join(tmpdir(), 'fleet-write-'));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it('replaces the file with exact bytes and the mode, leaving no temp file', function () {
      const target = join(dir, "it's a file");
      writeFileSync(target, 'old');
      const content = Buffer.from([0, 1, 2, 255, 10, 39, 34]);
      execFileSync('/bin/sh', ['-c', atomicWriteScript(target, 0o640)], { input: content });
      expect(readFileSync(target).equals(content)).to.equal(true);
      expect(statSync(target).mode & 0o777).to.equal(0o640);
      expect(readdirSync(dir)).to.deep.equal(["it's a file"]);
    });

    it('sets the mode before writing content', function () {
      expect(atomicWriteScript('/x', 0o600).indexOf('chmod 0600')).to.be.below(atomicWriteScript('/x', 0o600).indexOf('cat >'));
    });

    it('fails, keeping the old file and no temp file, when the content cannot be written', function () {
      const target = join(dir, 'kept');
      writeFileSync(target, 'old');
      const script = atomicWriteScript(target, 0o600).replace('cat > "$tmp"', 'false');
      expect(() => execFileSync('/bin/sh', ['-c', script], { stdio: 'ignore' })).to.throw();
      expect(readFileSync(target, 'utf8')).to.equal('old');
      expect(readdirSync(dir).filter((name) => name.startsWith('.fleet-write'))).to.deep.equal([]);
    });
  });
});
