import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { kubeconfigCertificates } from '../../../src/state/kubeconfig-certs.js';
import { fixture } from '../../support/fact-fixtures.js';

const PEM = fixture('client-admin.20-days.crt');
const DATA = Buffer.from(PEM).toString('base64');
const kubeconfig = (users: string): string => `apiVersion: v1\nkind: Config\nusers:\n${users}`;

describe('state: kubeconfig client certificates', () => {
  it('dates the client certificate of each user entry', () => {
    const found = kubeconfigCertificates(kubeconfig(`- name: lab\n  user:\n    client-certificate-data: ${DATA}\n    token: abc\n`), '/k', undefined);
    const cert = new X509Certificate(PEM);
    expect(found).to.have.length(1);
    expect(found[0]).to.include({ file: '/k', user: 'lab' });
    expect(Date.parse(found[0]!.notAfter!)).to.equal(Date.parse(cert.validTo));
    expect(Date.parse(found[0]!.notBefore!)).to.equal(Date.parse(cert.validFrom));
  });

  it('keeps only the named entries, and skips users without a certificate and broken files', () => {
    const text = kubeconfig(`- name: other\n  user:\n    client-certificate-data: ${DATA}\n- name: lab\n  user:\n    token: abc\n`);
    expect(kubeconfigCertificates(text, '/k', ['lab'])).to.deep.equal([]);
    expect(kubeconfigCertificates(text, '/k', ['other'])).to.have.length(1);
    expect(kubeconfigCertificates('users: [', '/k')).to.deep.equal([]);
    expect(kubeconfigCertificates(kubeconfig('- name: x\n  user:\n    client-certificate-data: bm90IGEgY2VydA==\n'), '/k')).to.deep.equal([]);
  });
});
