import { expect } from 'chai';
import { certificateChecks, relativeDays } from '../../../src/rules/cert-expiry.js';
import type { CertificateFact } from '../../../src/facts/k3s-certs.js';

const NOW = Date.parse('2026-12-04T10:00:00Z');
const inDays = (days: number): string => new Date(NOW + days * 86_400_000).toISOString().replace('.000Z', 'Z');
const leaf = (file: string, days: number): CertificateFact => ({ file, subject: file.replace('.crt', ''), ca: false, notAfter: inDays(days) });
const ca = (days: number): CertificateFact => ({ file: 'server-ca.crt', subject: 'k3s-server-ca@1', ca: true, notAfter: inDays(days) });
const check = (certificates: CertificateFact[], extra: Partial<Parameters<typeof certificateChecks>[0]> = {}) =>
  certificateChecks({ nodes: [{ host: 'pi-1', source: 'openssl', certificates }], kubeconfigs: [], nowMs: NOW, inventoryFile: 'inventory.yaml', ...extra });

describe('rules: certificate expiry', () => {
  it('is ok beyond 120 days, naming no fix', () => {
    const [row] = check([leaf('a.crt', 300), leaf('b.crt', 121)]);
    expect(row).to.include({ check: 'certificates.leaf', host: 'pi-1', status: 'ok', value: 'expires 2027-04-04 (in 121 days)' });
    expect(row!.fix).to.equal(undefined);
  });

  it('warns from 120 days with the earliest certificate and its date', () => {
    const [row] = check([leaf('a.crt', 300), leaf('serving-kube-apiserver.crt', 20)]);
    expect(row).to.include({ status: 'warn', value: 'expires 2026-12-24 (in 20 days)' });
    expect(row!.message).to.include('serving-kube-apiserver.crt');
    expect(row!.fix).to.include('restart K3s on pi-1');
    expect(check([leaf('a.crt', 120)])[0]!.status).to.equal('warn');
  });

  it('fails when one is expired or not yet valid, and lists every certificate in data', () => {
    const [expired] = check([leaf('a.crt', 300), leaf('b.crt', -1)]);
    expect(expired).to.include({ status: 'fail', value: 'expired 2026-12-03 (1 day ago)' });
    expect(expired!.message).to.match(/^1 of 2 certificates expired, b\.crt/);
    expect((expired!.data!.certificates as unknown[]).length).to.equal(2);
    const [early] = check([{ file: 'c.crt', subject: 'c', ca: false, notBefore: inDays(1), notAfter: inDays(366) }]);
    expect(early).to.include({ status: 'fail', value: `not valid before ${inDays(1)}` });
    expect(early!.fix).to.include('clock');
  });

  it('gives the CA one row for the cluster: warns within a year, points at K3s for rotation', () => {
    const rows = certificateChecks({
      nodes: [
        { host: 'pi-1', source: 'openssl', certificates: [leaf('a.crt', 300), ca(3000)] },
        { host: 'pi-2', source: 'openssl', certificates: [leaf('a.crt', 300), ca(200)] },
      ],
      kubeconfigs: [],
      nowMs: NOW,
      inventoryFile: 'inventory.yaml',
    });
    const caRows = rows.filter((r) => r.check === 'certificates.ca');
    expect(caRows).to.have.length(1);
    expect(caRows[0]).to.include({ status: 'warn', host: 'pi-2' });
    expect(caRows[0]!.fix).to.include('docs.k3s.io');
  });

  it('checks the kubeconfig client certificates and says how to fetch a fresh one', () => {
    const rows = check([], { kubeconfigs: [{ file: '/home/me/.kube/config', user: 'lab', notAfter: inDays(-2) }] });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ check: 'certificates.kubeconfig', status: 'fail' });
    expect(rows[0]!.fix).to.include('fleet kubeconfig inventory.yaml');
  });

  it('words relative days', () => {
    expect(relativeDays(inDays(1), NOW)).to.equal('in 1 day');
    expect(relativeDays(inDays(-3), NOW)).to.equal('3 days ago');
  });
});
