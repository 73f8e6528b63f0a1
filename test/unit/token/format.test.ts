import { expect } from 'chai';
import { checkTokenFormat } from '../../../src/token/format.js';

const CA = 'c'.repeat(64);

describe('token: the new token’s format (what K3s takes as a server token)', () => {
  it('takes a bare secret and the secure K10<CA hash>::server:<secret> form of this cluster', () => {
    expect(checkTokenFormat('0123456789abcdef0123', CA)).to.deep.equal({ ok: true });
    expect(checkTokenFormat(`K10${CA}::server:0123456789abcdef0123`, CA)).to.deep.equal({ ok: true });
  });

  it('refuses a bootstrap (agent join) token, as K3s fails to normalise it (k3s#12982)', () => {
    const verdict = checkTokenFormat('abcdef.0123456789abcdef', CA);
    expect(verdict.ok).to.equal(false);
    expect(!verdict.ok && verdict.reason).to.include('k3s token generate');
  });

  it('refuses another CA hash, another user, a broken K10 form, spaces or colons, and a short secret', () => {
    for (const token of [`K10${'d'.repeat(64)}::server:0123456789abcdef`, `K10${CA}::node:0123456789abcdef`, 'K10abc::server:x', 'with space 0123456789', 'colon:0123456789abcdef', 'short']) {
      expect(checkTokenFormat(token, CA).ok, token).to.equal(false);
    }
  });
});
