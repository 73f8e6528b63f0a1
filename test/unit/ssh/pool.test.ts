import { expect } from 'chai';
import { InputError } from '../../../src/errors.js';
import { ConnectionPool, type HostSpecForSsh } from '../../../src/ssh/index.js';

const host = (name: string): HostSpecForSsh => ({
  name,
  address: `${name}.lan`,
  role: 'agent',
  init: false,
  ssh: { user: 'root', port: 22, knownHostsFile: '/k' },
  config: {},
  labels: {},
  index: 0,
});

describe('ConnectionPool (without connecting)', function () {
  it('validates its options at construction', function () {
    expect(() => new ConnectionPool([], { connectTimeoutMs: -1 })).to.throw(TypeError, /connectTimeoutMs/);
    expect(() => new ConnectionPool([], { connectRetries: Number.NaN })).to.throw(TypeError, /connectRetries/);
    expect(() => new ConnectionPool([host('a'), host('a')], { sshConfigText: '' })).to.throw(TypeError, /listed twice/);
  });

  it('resolves every host up front and opens nothing until asked', async function () {
    const pool = new ConnectionPool([host('a'), host('b')], { sshConfigText: 'Host b.lan\n HostName 10.0.0.2' });
    expect(pool.target('b').address).to.equal('10.0.0.2');
    expect(pool.connectionsOpened).to.equal(0);
    expect(() => pool.target('c')).to.throw(InputError, /no host named c/);
    await pool.close();
    let error: unknown;
    try {
      await pool.get('a');
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).to.include('closed');
  });
});
