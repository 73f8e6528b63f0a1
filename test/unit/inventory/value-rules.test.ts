import { expect } from 'chai';
import * as rules from '../../../src/inventory/value-rules.js';
import { closest } from '../../../src/inventory/did-you-mean.js';

describe('inventory: value rules', () => {
  const table: Array<[keyof typeof rules, string[], string[]]> = [
    ['isNodeName', ['pi-1', 'node.lab', 'a', 'x'.repeat(63)], ['Pi-1', '-pi', 'pi_1', 'pi-', '', 'x'.repeat(64), 'a..b']],
    ['isAddress', ['10.0.0.1', 'fd00::1', '::1', 'pi.lan', 'PI-1.example.net', 'localhost'], ['10.0.0.256', '1.2.3.4.5', '1.2.3', 'a b', '', 'x;y', 'fe80::1%eth0', '[::1]']],
    ['isTlsSan', ['*.example.net', '10.0.0.1'], ['*.*.net', '*']],
    ['isLabelKey', ['zone', 'topology.kubernetes.io/zone', 'a.b_c-d'], ['', '/zone', 'Example.com/zone', 'a/b/c', '_x', 'x'.repeat(64)]],
    ['isLabelValue', ['', 'shelf-1', 'A.b_c'], ['-x', 'x-', 'a b', 'x'.repeat(64)]],
    ['isFlagName', ['cluster-cidr', 'disable', 'kubelet-arg'], ['--debug', 'Cluster', 'a_b', '']],
    ['isSafeFlagString', ['any text; even $(this)'], ['a\nb', 'a\rb', 'a\0b']],
    ['isK3sVersion', ['v1.31.4+k3s1', 'v1.30.0-rc1+k3s2'], ['1.31.4+k3s1', 'v1.31', 'v1.31.4', 'v1.31.4+k3s']],
    ['isK3sChannel', ['stable', 'latest', 'v1.31'], ['Stable', '', 'a b']],
    ['isUserName', ['pi', 'ubuntu', 'svc.deploy'], ['a b', '', '-x', 'root;']],
    ['isProxyJump', ['bastion', 'me@bastion.lan:2222', 'a@h1,b@h2:22', 'u@[fd00::1]:22'], ['me@', 'a b', 'h:99999', 'me@host:x']],
    ['isTokenText', ['K10abc::server:secret', 'x'], ['', 'has space', 'tab\there', 'line\n']],
  ];
  for (const [rule, good, bad] of table) {
    it(`${rule} accepts and refuses the right values`, () => {
      const check = rules[rule] as (value: string) => boolean;
      for (const value of good) expect(check(value), `${rule}(${JSON.stringify(value)})`).to.equal(true);
      for (const value of bad) expect(check(value), `${rule}(${JSON.stringify(value)})`).to.equal(false);
    });
  }

  it('suggests only close words', () => {
    expect(closest('rol', ['name', 'role'])).to.equal('role');
    expect(closest('tokenfile', ['token', 'tokenFile'])).to.equal('tokenFile');
    expect(closest('zzzzzz', ['name', 'role'])).to.equal(undefined);
  });
});
