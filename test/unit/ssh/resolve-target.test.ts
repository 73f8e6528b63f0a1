import { expect } from 'chai';
import { InputError } from '../../../src/errors.js';
import type { SshSettings } from '../../../src/inventory/types.js';
import { parseJumpSpec, resolveSshTarget, type HostSpecForSsh } from '../../../src/ssh/index.js';

function host(address: string, ssh: Partial<HostSpecForSsh['ssh']> = {}): HostSpecForSsh {
  return {
    name: 'pi-1',
    address,
    role: 'server',
    init: true,
    ssh: { user: 'root', port: 22, knownHostsFile: '/fleet/known_hosts', ...ssh },
    config: {},
    labels: {},
    index: 0,
  };
}

const explicit = (...keys: Array<keyof SshSettings>): ReadonlySet<keyof SshSettings> => new Set(keys);

const sshConfig = [
  'Host pi-1',
  '  HostName 10.0.0.5',
  '  User pi',
  '  Port 2222',
  '  IdentityFile /keys/pi',
  '  ProxyJump jump',
  '  UserKnownHostsFile /home/me/.ssh/known_hosts',
  'Host jump',
  '  HostName 203.0.113.7',
  '  User admin',
  '  IdentityFile /keys/jump',
].join('\n');

describe('resolveSshTarget', function () {
  it('lets ~/.ssh/config fill in what the inventory only defaulted', function () {
    const target = resolveSshTarget(host('pi-1', { explicit: explicit('knownHostsFile') }), sshConfig);
    expect(target).to.deep.include({ label: 'pi-1', address: '10.0.0.5', user: 'pi', port: 2222, identityFiles: ['/keys/pi'], knownHostsFile: '/fleet/known_hosts' });
    expect(target.sources).to.deep.equal({ address: 'ssh-config', user: 'ssh-config', port: 'ssh-config', identityFiles: 'ssh-config', jump: 'ssh-config' });
    expect(target.jump).to.deep.include({ address: '203.0.113.7', user: 'admin', port: 22, identityFiles: ['/keys/jump'] });
  });

  it('takes ~/.ssh/config UserKnownHostsFile when the inventory did not set one', function () {
    expect(resolveSshTarget(host('pi-1', { explicit: explicit() }), sshConfig).knownHostsFile).to.equal('/home/me/.ssh/known_hosts');
  });

  it('lets values written in the inventory win over ~/.ssh/config', function () {
    const target = resolveSshTarget(
      host('pi-1', { user: 'ubuntu', port: 22, identityFile: '/keys/inv', proxyJump: 'ops@bastion:2200', explicit: explicit('user', 'port', 'identityFile', 'proxyJump', 'knownHostsFile') }),
      sshConfig,
    );
    expect(target).to.deep.include({ address: '10.0.0.5', user: 'ubuntu', port: 22, identityFiles: ['/keys/inv'] });
    expect(target.sources).to.deep.include({ user: 'inventory', port: 'inventory', identityFiles: 'inventory', jump: 'inventory' });
    expect(target.jump).to.deep.include({ label: 'ops@bastion:2200', address: 'bastion', user: 'ops', port: 2200, identityFiles: ['/keys/inv'] });
  });

  it('treats every value present as written when the inventory does not say', function () {
    const target = resolveSshTarget(host('pi-1', { user: 'root', port: 22 }), sshConfig);
    expect(target).to.deep.include({ user: 'root', port: 22, address: '10.0.0.5' });
    expect(target.identityFiles).to.deep.equal(['/keys/pi']);
  });

  it('uses inventory defaults where ~/.ssh/config has nothing either', function () {
    const target = resolveSshTarget(host('10.0.0.9', { identityFile: '/keys/default', explicit: explicit() }), sshConfig);
    expect(target).to.deep.include({ address: '10.0.0.9', user: 'root', port: 22, identityFiles: ['/keys/default'], jump: undefined });
    expect(target.sources).to.deep.include({ user: 'default', port: 'default', identityFiles: 'default' });
  });

  it('resolves a jump chain a,b as a first, then b', function () {
    const target = resolveSshTarget(host('10.0.0.9', { proxyJump: 'outer:2201,inner' }), '');
    expect(target.jump).to.deep.include({ address: 'inner', port: 22 });
    expect(target.jump?.jump).to.deep.include({ address: 'outer', port: 2201 });
    expect(target.jump?.jump?.jump).to.equal(undefined);
  });

  it('lets ProxyJump none in the inventory switch a configured jump off', function () {
    const target = resolveSshTarget(host('pi-1', { proxyJump: 'none', explicit: explicit('proxyJump') }), sshConfig);
    expect(target.jump).to.equal(undefined);
  });

  it('stops ProxyJump loops in ~/.ssh/config', function () {
    expect(() => resolveSshTarget(host('a'), 'Host a\n ProxyJump b\nHost b\n ProxyJump a')).to.throw(InputError, /ProxyJump chain/);
  });
});

describe('parseJumpSpec', function () {
  it('reads user@host:port with optional parts, ssh:// and [IPv6]', function () {
    expect(parseJumpSpec('admin@bastion:2200')).to.deep.equal({ user: 'admin', host: 'bastion', port: 2200 });
    expect(parseJumpSpec('bastion')).to.deep.equal({ user: undefined, host: 'bastion', port: undefined });
    expect(parseJumpSpec('ssh://ops@10.0.0.1:22')).to.deep.equal({ user: 'ops', host: '10.0.0.1', port: 22 });
    expect(parseJumpSpec('[fd00::1]:2222')).to.deep.equal({ user: undefined, host: 'fd00::1', port: 2222 });
  });

  it('rejects what it cannot read', function () {
    expect(() => parseJumpSpec('a@b:c:d')).to.throw(InputError);
    expect(() => parseJumpSpec('bastion:0')).to.throw(InputError);
  });
});
