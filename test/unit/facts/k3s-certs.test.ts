import { expect } from 'chai';
import { opensslDate, parseK3sCerts } from '../../../src/facts/k3s-certs.js';
import { fixture } from '../../support/fact-fixtures.js';

describe('facts: K3s certificates', () => {
  it('reads `k3s certificate check` before the May 2025 releases (paths, full subjects)', () => {
    const facts = parseK3sCerts(fixture('k3s-certificate-check.v1.31.4-server.txt'));
    expect(facts.source).to.equal('k3s certificate check');
    expect(facts.certificates).to.deep.include({ file: 'client-admin.crt', subject: 'system:admin', ca: false, notAfter: '2026-12-24T10:00:00Z' });
    expect(facts.certificates).to.deep.include({ file: 'client-kubelet.crt', subject: 'system:node:pi-1', ca: false, notAfter: '2026-12-01T10:00:00Z' });
    expect(facts.certificates).to.deep.include({ file: 'client-admin.crt', subject: 'k3s-client-ca@1764842400', ca: true, notAfter: '2035-12-02T10:00:00Z' });
    expect(facts.certificates).to.have.length(6);
  });

  it('reads the newer form (file name, CN, usages) and a not-yet-valid line as notBefore', () => {
    const facts = parseK3sCerts(fixture('k3s-certificate-check.v1.33.1-agent.txt'));
    expect(facts.certificates).to.deep.include({ file: 'client-kubelet.crt', subject: 'system:node:pi-4', ca: false, notAfter: '2027-11-20T10:00:00Z' });
    expect(facts.certificates).to.deep.include({ file: 'serving-kubelet.crt', subject: 'pi-4', ca: false, notBefore: '2026-12-05T10:00:00Z' });
    expect(facts.certificates.filter((c) => c.ca)).to.have.length(2);
  });

  it('reads the same records from openssl on the files (releases without certificate check)', () => {
    const facts = parseK3sCerts(fixture('k3s-certs.openssl.txt'));
    expect(facts.source).to.equal('openssl');
    expect(facts.certificates).to.deep.equal([
      { file: 'client-admin.crt', subject: 'system:admin', ca: false, notBefore: '2025-12-04T10:00:00Z', notAfter: '2026-12-04T10:00:00Z' },
      { file: 'server-ca.crt', subject: 'k3s-server-ca@1764842400', ca: true, notBefore: '2025-12-04T10:00:00Z', notAfter: '2035-12-02T10:00:00Z' },
      { file: 'serving-kubelet.crt', subject: 'pi-1', ca: false, notBefore: '2025-12-24T10:00:00Z', notAfter: '2026-12-24T10:00:00Z' },
    ]);
  });

  it('reads the terminal form of logrus too, and nothing from empty output', () => {
    const facts = parseK3sCerts(
      '# fleet: k3s certificate check\nWARN[0000] /var/lib/rancher/k3s/server/tls/client-admin.crt: certificate CN=system:admin,O=system:masters will expire within 90 days at 2024-05-09T18:50:59Z\n',
    );
    expect(facts.certificates).to.deep.equal([{ file: 'client-admin.crt', subject: 'system:admin', ca: false, notAfter: '2024-05-09T18:50:59Z' }]);
    expect(parseK3sCerts('')).to.deep.equal({ source: 'none', certificates: [] });
  });

  it('parses openssl dates with one-digit days and refuses others', () => {
    expect(opensslDate('Dec  1 00:00:00 2025 GMT')).to.equal('2025-12-01T00:00:00Z');
    expect(opensslDate('2025-12-01 00:00:00Z')).to.equal(undefined);
  });
});
