import { expect } from 'chai';
import { hasTokenRotate } from '../../../src/rules/token-rotate-support.js';

describe('rules: which K3s releases have token rotate', () => {
  it('from v1.28.2, v1.27.7, v1.26.10, v1.25.15 on their minors, every release from 1.29, none before 1.25', () => {
    for (const yes of ['v1.28.2+k3s1', 'v1.27.7+k3s1', 'v1.26.10+k3s2', 'v1.25.15+k3s1', 'v1.29.0+k3s1', 'v1.31.4+k3s1', 'v1.34.2+k3s1']) expect(hasTokenRotate(yes), yes).to.equal(true);
    for (const no of ['v1.28.1+k3s1', 'v1.27.6+k3s1', 'v1.26.9+k3s1', 'v1.25.14+k3s1', 'v1.24.17+k3s1', 'v1.21.14+k3s1', 'garbage', undefined]) expect(hasTokenRotate(no), String(no)).to.equal(false);
  });
});
