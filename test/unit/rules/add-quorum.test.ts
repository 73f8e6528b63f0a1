import { expect } from 'chai';
import { checkServerAdd } from '../../../src/rules/add-quorum.js';

describe('plan: quorum arithmetic of adding servers', () => {
  it('refuses one server added to three: quorum rises, tolerance does not', () => {
    const check = checkServerAdd(3, 1);
    expect(check.even).to.equal(true);
    expect(check.before).to.deep.equal({ servers: 3, quorum: 2, faultTolerance: 1 });
    expect(check.after).to.deep.equal({ servers: 4, quorum: 3, faultTolerance: 1 });
    expect(check.arithmetic).to.equal('3 → 4 servers: quorum 2 → 3, tolerates 1 failure → 1 failure (no gain in tolerance)');
    expect(check.suggestion).to.equal('add 2 servers in one call instead (3 → 5 tolerates 2 failures), or pass --allow-even');
  });

  it('accepts two servers added to three, which raises the tolerance', () => {
    const check = checkServerAdd(3, 2);
    expect(check.even).to.equal(false);
    expect(check.arithmetic).to.equal('3 → 5 servers: quorum 2 → 3, tolerates 1 failure → 2 failures');
    expect(check.suggestion).to.equal(undefined);
  });

  it('accepts 1 → 3 and refuses 1 → 2 and 5 → 6; adding no server is never refused', () => {
    expect(checkServerAdd(1, 2).even).to.equal(false);
    expect(checkServerAdd(1, 1).even).to.equal(true);
    expect(checkServerAdd(5, 1).even).to.equal(true);
    expect(checkServerAdd(4, 0).even).to.equal(false);
  });
});
