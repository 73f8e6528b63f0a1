import { expect } from 'chai';
import { InputError } from '../../../src/errors.js';
import { DEFAULT_INSTALL_TIMEOUT_MS, installTimeoutMs } from '../../../src/actions/install-timeout.js';

describe('steps/install-timeout', () => {
  it('is 10 minutes unless FLEET_INSTALL_TIMEOUT_MS says otherwise', () => {
    expect(installTimeoutMs({})).to.equal(DEFAULT_INSTALL_TIMEOUT_MS);
    expect(installTimeoutMs({ FLEET_INSTALL_TIMEOUT_MS: '' })).to.equal(600_000);
    expect(installTimeoutMs({ FLEET_INSTALL_TIMEOUT_MS: '20000' })).to.equal(20_000);
  });

  it('refuses a value that is not a whole number of at least 1000 ms (exit 2)', () => {
    for (const bad of ['abc', '1.5', '999', '-5', '1e3x']) {
      expect(() => installTimeoutMs({ FLEET_INSTALL_TIMEOUT_MS: bad }), bad).to.throw(InputError, /FLEET_INSTALL_TIMEOUT_MS/);
    }
  });
});
