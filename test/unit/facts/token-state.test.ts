import { expect } from 'chai';
import { parseTokenState } from '../../../src/facts/token-state.js';

const frame = (name: string, text: string, rc = 0) => `@@fleet:begin ${name}@@\n${text}\n@@fleet:end ${name} rc=${rc}@@\n`;

describe('facts: what a server holds of the token (fingerprints only)', () => {
  it('reads the token file’s fingerprint and CA hash, and the bootstrap keys’ prefixes from etcd', () => {
    const key = Buffer.from('/bootstrap/0123456789ab').toString('base64');
    const out = frame('token-file', `ca ${'c'.repeat(64)}\nsha256 ${'e'.repeat(64)}`) + frame('bootstrap-keys', JSON.stringify({ kvs: [{ key }], count: '1' }));
    expect(parseTokenState('s-1', out)).to.deep.equal({ host: 's-1', caHash: 'c'.repeat(64), tokenFileFingerprint: `sha256:${'e'.repeat(64)}`, bootstrapPrefixes: ['0123456789ab'] });
  });

  it('says why when etcd did not answer, and never takes a malformed line', () => {
    const out = frame('token-file', 'sha256 nothex') + frame('bootstrap-keys', 'curl: (7) Failed to connect', 7);
    const state = parseTokenState('s-1', out);
    expect(state.tokenFileFingerprint).to.equal(undefined);
    expect(state.bootstrapPrefixes).to.equal(undefined);
    expect(state.error).to.include('Failed to connect');
  });
});
