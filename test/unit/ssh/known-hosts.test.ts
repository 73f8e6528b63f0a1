import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostKey, formatKnownHostsLine, hostKeysFor, knownHostsName, parseKnownHosts, preferredHostKeyAlgorithms } from '../../../src/ssh/known-hosts.js';

const fixtureDir = join(process.cwd(), 'test', 'fixtures', 'ssh');
const keyA = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const keyB = 'AAAAC3NzaC1lZDI1NTE5AAAAIHbpSNCR+86DdQIMsEvSYOjwZeRUU3cs4NGjWrzFpfDs';
const blob = (base64: string): Buffer => Buffer.from(base64, 'base64');

describe('known_hosts', function () {
  describe('parsing', function () {
    it('reads plain, marked and commented lines with their line numbers', function () {
      const entries = parseKnownHosts(
        [
          '# a comment',
          '',
          'pi-1,10.0.0.5 ssh-ed25519 ' + keyA + ' pi@pi-1',
          '@revoked * ssh-ed25519 ' + keyB,
          '@cert-authority *.lan ssh-ed25519 ' + keyA,
          '@future x ssh-ed25519 ' + keyA,
          'truncated-line ssh-ed25519',
          '  indented ssh-ed25519 ' + keyB,
        ].join('\n'),
        '/k',
      );
      expect(entries.map((e) => [e.line, e.marker, e.hosts, e.keyType])).to.deep.equal([
        [3, undefined, 'pi-1,10.0.0.5', 'ssh-ed25519'],
        [4, 'revoked', '*', 'ssh-ed25519'],
        [5, 'cert-authority', '*.lan', 'ssh-ed25519'],
        [8, undefined, 'indented', 'ssh-ed25519'],
      ]);
      expect(entries[0].key.equals(blob(keyA))).to.equal(true);
      expect(entries[0].file).to.equal('/k');
    });
  });

  describe('names', function () {
    it('uses host on port 22 and [host]:port elsewhere, lower-cased', function () {
      expect(knownHostsName('Pi-1.LAN', 22)).to.equal('pi-1.lan');
      expect(knownHostsName('10.0.0.5', 2222)).to.equal('[10.0.0.5]:2222');
    });
  });

  describe('matching', function () {
    const entries = parseKnownHosts(
      [`pi-1,10.0.0.5 ssh-ed25519 ${keyA}`, `[10.0.0.6]:2222 ssh-ed25519 ${keyA}`, `*.lan,!evil.lan ssh-ed25519 ${keyB}`, `node-?? ssh-rsa ${keyB}`, `@cert-authority pi-9 ssh-ed25519 ${keyA}`].join(
        '\n',
      ),
    );
    const hostsFor = (name: string): number[] => hostKeysFor(entries, name).map((entry) => entry.line);

    it('matches plain names and comma lists', function () {
      expect(hostsFor('pi-1')).to.deep.equal([1]);
      expect(hostsFor('10.0.0.5')).to.deep.equal([1]);
      expect(hostsFor('pi-2')).to.deep.equal([]);
    });

    it('keeps [host]:port entries apart from port 22', function () {
      expect(hostsFor('[10.0.0.6]:2222')).to.deep.equal([2]);
      expect(hostsFor('10.0.0.6')).to.deep.equal([]);
      expect(hostsFor('[10.0.0.5]:2222')).to.deep.equal([]);
    });

    it('applies wildcards and lets a negation veto the line', function () {
      expect(hostsFor('db.lan')).to.deep.equal([3]);
      expect(hostsFor('evil.lan')).to.deep.equal([]);
      expect(hostsFor('node-12')).to.deep.equal([4]);
      expect(hostsFor('node-123')).to.deep.equal([]);
    });

    it('never uses @cert-authority lines as host keys', function () {
      expect(hostsFor('pi-9')).to.deep.equal([]);
    });
  });

  describe('hashed entries made by ssh-keygen -H', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(join(tmpdir(), 'fleet-kh-'));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it('match the names they were made from, and only those', function () {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, `pi-1 ssh-ed25519 ${keyA}\n[10.0.0.6]:2222 ssh-ed25519 ${keyB}\n`);
      execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      const entries = parseKnownHosts(readFileSync(file, 'utf8'));
      expect(entries.every((entry) => entry.hosts.startsWith('|1|'))).to.equal(true);
      expect(hostKeysFor(entries, 'pi-1').map((e) => e.line)).to.deep.equal([1]);
      expect(hostKeysFor(entries, '[10.0.0.6]:2222').map((e) => e.line)).to.deep.equal([2]);
      expect(hostKeysFor(entries, 'pi-2')).to.deep.equal([]);
      expect(hostKeysFor(entries, '10.0.0.6')).to.deep.equal([]);
    });

    it('match in the committed fixture (hashed from known_hosts.cleartext)', function () {
      const cleartext = parseKnownHosts(readFileSync(join(fixtureDir, 'known_hosts.cleartext'), 'utf8'));
      const hashed = parseKnownHosts(readFileSync(join(fixtureDir, 'known_hosts.hashed'), 'utf8'));
      expect(hashed).to.have.length(cleartext.length);
      cleartext.forEach((entry, index) => {
        const name = entry.hosts;
        const found = hostKeysFor(hashed, name);
        expect(
          found.map((e) => e.line),
          name,
        ).to.deep.equal([index + 1]);
        expect(found[0].key.equals(entry.key)).to.equal(true);
      });
    });
  });

  describe('checkHostKey', function () {
    const name = '[10.0.0.6]:2222';
    it('says known for the recorded key', function () {
      const entries = parseKnownHosts(`${name} ssh-ed25519 ${keyA}`);
      expect(checkHostKey(entries, name, 'ssh-ed25519', blob(keyA)).status).to.equal('known');
    });
    it('says unknown for a host with no entry', function () {
      expect(checkHostKey(parseKnownHosts(`other ssh-ed25519 ${keyA}`), name, 'ssh-ed25519', blob(keyA)).status).to.equal('unknown');
    });
    it('says changed for another key of the same type, pointing at the old line', function () {
      const check = checkHostKey(parseKnownHosts(`# c\n${name} ssh-ed25519 ${keyA}`), name, 'ssh-ed25519', blob(keyB));
      expect(check.status).to.equal('changed');
      expect(check.status === 'changed' && check.entry.line).to.equal(2);
    });
    it('says changed when only other key types are recorded', function () {
      expect(checkHostKey(parseKnownHosts(`${name} ssh-rsa ${keyB}`), name, 'ssh-ed25519', blob(keyA)).status).to.equal('changed');
    });
    it('accepts one of several recorded keys', function () {
      const entries = parseKnownHosts(`${name} ssh-rsa ${keyB}\n${name} ssh-ed25519 ${keyA}`);
      expect(checkHostKey(entries, name, 'ssh-ed25519', blob(keyA)).status).to.equal('known');
    });
    it('says revoked for a @revoked key even if also listed as valid', function () {
      const entries = parseKnownHosts(`${name} ssh-ed25519 ${keyA}\n@revoked * ssh-ed25519 ${keyA}`);
      expect(checkHostKey(entries, name, 'ssh-ed25519', blob(keyA)).status).to.equal('revoked');
    });
  });

  describe('preferredHostKeyAlgorithms', function () {
    const supported = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    it('puts the recorded types first, rsa as its sha2 variants', function () {
      const known = parseKnownHosts(`h ssh-rsa ${keyB}\nh ecdsa-sha2-nistp256 ${keyA}`);
      expect(preferredHostKeyAlgorithms(known, supported)).to.deep.equal(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519']);
    });
    it('leaves the default order alone when nothing is recorded', function () {
      expect(preferredHostKeyAlgorithms([], supported)).to.equal(undefined);
    });
  });

  it('formats a line that parses back to the same entry', function () {
    const line = formatKnownHostsLine('[10.0.0.6]:2222', 'ssh-ed25519', blob(keyA));
    expect(line).to.equal(`[10.0.0.6]:2222 ssh-ed25519 ${keyA}\n`);
    const [entry] = parseKnownHosts(line);
    expect(checkHostKey([entry], '[10.0.0.6]:2222', 'ssh-ed25519', blob(keyA)).status).to.equal('known');
  });
});
