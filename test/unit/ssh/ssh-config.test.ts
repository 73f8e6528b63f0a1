import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSshTokens, parseSshConfig, sshConfigForHost } from '../../../src/ssh/ssh-config.js';

const lookup = (text: string, name: string) => sshConfigForHost(parseSshConfig(text, { includeDir: '/nonexistent' }), name);

describe('~/.ssh/config', function () {
  it('applies the first value of each keyword, across blocks, as OpenSSH does', function () {
    const text = ['Host pi-*', '  User pi', '  Port 2222', 'Host pi-1', '  User root', '  HostName 10.0.0.5', 'Host *', '  User fallback', '  Port 22'].join('\n');
    expect(lookup(text, 'pi-1')).to.deep.include({ user: 'pi', port: 2222, hostName: '10.0.0.5' });
    expect(lookup(text, 'db')).to.deep.include({ user: 'fallback', port: 22 });
    expect(lookup(text, 'db').hostName).to.equal(undefined);
  });

  it('matches ?, * and lists, and lets a negation exclude a host', function () {
    const text = ['Host node-?? !node-13 edge', '  User k3s'].join('\n');
    expect(lookup(text, 'node-12').user).to.equal('k3s');
    expect(lookup(text, 'edge').user).to.equal('k3s');
    expect(lookup(text, 'node-13').user).to.equal(undefined);
    expect(lookup(text, 'node-123').user).to.equal(undefined);
  });

  it('matches host names case-insensitively', function () {
    expect(lookup('Host PI-1\n User pi', 'pi-1').user).to.equal('pi');
  });

  it('accumulates IdentityFile in order', function () {
    const text = ['Host pi-1', '  IdentityFile ~/.ssh/pi', 'Host *', '  IdentityFile ~/.ssh/id_ed25519'].join('\n');
    expect(lookup(text, 'pi-1').identityFiles).to.deep.equal(['~/.ssh/pi', '~/.ssh/id_ed25519']);
  });

  it('reads Keyword=value, quoted values, comments and keywords in any case', function () {
    const text = ['# comment', 'HOST pi-1', '  hostname=10.0.0.5', '  IdentityFile "/keys/my key"', '  ProxyJump = admin@bastion:2200', '  UserKnownHostsFile ~/.ssh/fleet_hosts ~/.ssh/other'].join(
      '\n',
    );
    expect(lookup(text, 'pi-1')).to.deep.equal({
      hostName: '10.0.0.5',
      identityFiles: ['/keys/my key'],
      proxyJump: 'admin@bastion:2200',
      userKnownHostsFile: '~/.ssh/fleet_hosts',
    });
  });

  it('applies lines before the first Host to every host', function () {
    expect(lookup('User everyone\nHost pi-1\n User pi', 'pi-1').user).to.equal('everyone');
  });

  it('never applies Match blocks', function () {
    expect(lookup('Match host pi-1\n User matched\nHost pi-1\n User pi', 'pi-1').user).to.equal('pi');
  });

  it('ignores an invalid Port', function () {
    expect(lookup('Host pi-1\n Port 99999\nHost *\n Port 2200', 'pi-1').port).to.equal(2200);
  });

  describe('Include', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(join(tmpdir(), 'fleet-sshcfg-'));
      mkdirSync(join(dir, 'conf.d'));
      writeFileSync(join(dir, 'conf.d', '10-pis.conf'), 'Host pi-*\n  User pi\n');
      writeFileSync(join(dir, 'conf.d', '20-db.conf'), 'Host db\n  User postgres\n');
      writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host pi-*\n  User wrong\n');
      writeFileSync(join(dir, 'ports'), 'Port 2201\n');
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it('expands globs relative to the include dir, in sorted order', function () {
      const blocks = parseSshConfig('Include conf.d/*.conf\nHost *\n User default', { includeDir: dir });
      expect(sshConfigForHost(blocks, 'pi-1').user).to.equal('pi');
      expect(sshConfigForHost(blocks, 'db').user).to.equal('postgres');
      expect(sshConfigForHost(blocks, 'other').user).to.equal('default');
    });

    it('puts an included file without Host lines into the including block', function () {
      const blocks = parseSshConfig(`Host pi-1\n Include ${join(dir, 'ports')}\n User pi\nHost *\n Port 22`, { includeDir: dir });
      expect(sshConfigForHost(blocks, 'pi-1')).to.deep.include({ port: 2201, user: 'pi' });
      expect(sshConfigForHost(blocks, 'pi-2').port).to.equal(22);
    });

    it('keeps lines after an Include in the including block', function () {
      const blocks = parseSshConfig('Host pi-1\n Include conf.d/20-db.conf\n Port 2300', { includeDir: dir });
      expect(sshConfigForHost(blocks, 'pi-1').port).to.equal(2300);
      expect(sshConfigForHost(blocks, 'db').port).to.equal(undefined);
    });

    it('skips missing include files', function () {
      expect(() => parseSshConfig('Include nope/*.conf\nInclude missing', { includeDir: dir })).not.to.throw();
    });
  });

  it('expands ~ and % tokens', function () {
    const tokens = { host: '10.0.0.5', user: 'pi', port: 2222, originalHost: 'pi-1' };
    expect(expandSshTokens('~/.ssh/%n-%r@%h:%p%%', tokens)).to.equal(join(homedir(), '.ssh/pi-1-pi@10.0.0.5:2222%'));
    expect(expandSshTokens('%d/x', tokens)).to.equal(`${homedir()}/x`);
  });
});
