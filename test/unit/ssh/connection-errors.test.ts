import { expect } from 'chai';
import { isRetryableConnectError, toConnectionError } from '../../../src/ssh/connection-errors.js';
import type { SshTarget } from '../../../src/ssh/target.js';

const target: SshTarget = {
  label: 'pi-1',
  address: '10.0.0.5',
  port: 2222,
  user: 'pi',
  identityFiles: ['/keys/pi'],
  knownHostsFile: '/k',
  sources: { address: 'inventory', user: 'inventory', port: 'inventory', identityFiles: 'inventory', jump: 'default' },
};
const withCode = (code: string): Error => Object.assign(new Error(code), { code });
const withLevel = (level: string, message: string): Error => Object.assign(new Error(message), { level });
const auth = { user: 'pi', keyFiles: ['/keys/pi'] };

describe('connection error messages', function () {
  it('retries only failures to reach the host', function () {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']) expect(isRetryableConnectError(withCode(code)), code).to.equal(true);
    expect(isRetryableConnectError(withLevel('client-timeout', 'Timed out while waiting for handshake'))).to.equal(true);
    expect(isRetryableConnectError(withLevel('client-authentication', 'All configured authentication methods failed'))).to.equal(false);
    expect(isRetryableConnectError(new Error('Host denied (verification failed)'))).to.equal(false);
  });

  it('says nothing listens on a refused port', function () {
    const error = toConnectionError(target, withCode('ECONNREFUSED'), auth);
    expect(error.message).to.include('nothing listens on 10.0.0.5:2222').and.include('is sshd running?');
    expect(error.host).to.equal('pi-1');
  });

  it('explains unreachable and timed-out hosts', function () {
    expect(toConnectionError(target, withCode('EHOSTUNREACH'), auth).message).to.include('no route to 10.0.0.5:2222');
    expect(toConnectionError(target, withCode('ETIMEDOUT'), auth).message).to.include('timed out');
    expect(toConnectionError(target, withLevel('client-timeout', 'x'), auth).message).to.include('no SSH handshake');
  });

  it('names the user, the key files and the agent on an authentication failure', function () {
    const error = toConnectionError(target, withLevel('client-authentication', 'All configured authentication methods failed'), { ...auth, agentSocket: '/run/agent.sock' });
    expect(error.message).to.include('user pi').and.include('/keys/pi').and.include('ssh-agent (/run/agent.sock)');
    expect(error.hint).to.include('authorized_keys').and.include('ssh-copy-id');
  });

  it('mentions the bastion when going through one', function () {
    const viaJump = { ...target, jump: { ...target, label: 'bastion' } };
    expect(toConnectionError(viaJump, withCode('ECONNREFUSED'), auth).message).to.include('through ProxyJump bastion');
  });
});
