import { expect } from 'chai';
import { compareK3sVersions, parseK3sVersion } from '../../../src/rules/version-order.js';

describe('plan: K3s versions', () => {
  it('orders by major, minor, patch and k3s release', () => {
    expect(compareK3sVersions('v1.22.2+k3s1', 'v1.22.2+k3s1')).to.equal(0);
    expect(compareK3sVersions('v1.22.1+k3s2', 'v1.22.2+k3s1')).to.be.below(0);
    expect(compareK3sVersions('v1.22.2+k3s2', 'v1.22.2+k3s1')).to.be.above(0);
    expect(compareK3sVersions('v1.21.14+k3s1', 'v1.22.2+k3s1')).to.be.below(0);
    expect(compareK3sVersions('v1.31.4+k3s1', 'v1.22.2+k3s1')).to.be.above(0);
    expect(compareK3sVersions('v1.30.2-rc1+k3s1', 'v1.22.2+k3s1')).to.be.above(0);
  });
  it('does not guess at what it cannot parse', () => {
    expect(parseK3sVersion('latest')).to.equal(undefined);
    expect(compareK3sVersions('stable', 'v1.22.2+k3s1')).to.equal(undefined);
  });
});
