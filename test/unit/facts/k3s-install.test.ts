import { expect } from 'chai';
import { parseK3sDatastore } from '../../../src/facts/k3s-datastore.js';
import { parseK3sRole } from '../../../src/facts/k3s-role.js';
import { parseK3sServiceStates } from '../../../src/facts/k3s-service.js';
import { parseK3sBinary, parseK3sVersionOutput } from '../../../src/facts/k3s-version.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: installed k3s', () => {
  it('reads the version from k3s --version', () => {
    expect(parseK3sVersionOutput(fixture('k3s-version.v1.31.4'))).to.equal('v1.31.4+k3s1');
    expect(parseK3sBinary(`binary=/usr/local/bin/k3s\n${fixture('k3s-version.v1.31.4')}`)).to.deep.equal({
      installed: true,
      version: 'v1.31.4+k3s1',
    });
  });

  it('is installed without a version when the binary does not run', () => {
    expect(parseK3sBinary('binary=/usr/local/bin/k3s\nIllegal instruction\n')).to.deep.equal({ installed: true });
  });

  it('is not installed without a binary', () => {
    expect(parseK3sBinary('')).to.deep.equal({ installed: false });
  });

  it('decides the role by the uninstall script the install script wrote', () => {
    expect(parseK3sRole('/usr/local/bin/k3s-uninstall.sh\n/etc/systemd/system/k3s.service\n')).to.equal('server');
    expect(parseK3sRole('/usr/local/bin/k3s-agent-uninstall.sh\n/etc/systemd/system/k3s-agent.service\n')).to.equal('agent');
    expect(parseK3sRole('/etc/init.d/k3s-agent\n')).to.equal('agent');
    expect(parseK3sRole('')).to.equal(undefined);
  });

  it('prefers server when both kinds left markers', () => {
    expect(parseK3sRole('/usr/local/bin/k3s-agent-uninstall.sh\n/usr/local/bin/k3s-uninstall.sh\n')).to.equal('server');
  });

  it('reads service states, unknown when not reported', () => {
    expect(parseK3sServiceStates('k3s active\nk3s-agent inactive\n')).to.deep.equal({ k3s: 'active', 'k3s-agent': 'inactive' });
    expect(parseK3sServiceStates('k3s failed\n')).to.deep.equal({ k3s: 'failed', 'k3s-agent': 'unknown' });
  });

  it('reads datastore presence, unknown when it could not look', () => {
    expect(parseK3sDatastore('etcd-member=yes\nstate-db=no\n')).to.deep.equal({ etcdMember: 'yes', stateDb: 'no' });
    expect(parseK3sDatastore('etcd-member=unknown\nstate-db=unknown\n')).to.deep.equal({ etcdMember: 'unknown', stateDb: 'unknown' });
    expect(parseK3sDatastore('')).to.deep.equal({ etcdMember: 'unknown', stateDb: 'unknown' });
  });
});
