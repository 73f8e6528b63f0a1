import { expect } from 'chai';
import { parse } from 'yaml';
import { rewriteKubeconfig } from '../../../src/actions/fetch-kubeconfig.js';
import { mergeKubeconfigDocs, parseUserKubeconfig } from '../../../src/state/kubeconfig-merge.js';

// What K3s writes to /etc/rancher/k3s/k3s.yaml (certificate data shortened).
const k3sYaml = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTi==
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
`;

describe('steps/kubeconfig', () => {
  it('points the kubeconfig at the given address and names everything after the cluster', () => {
    const doc = parse(rewriteKubeconfig(k3sYaml, 'homelab', '192.168.1.50'));
    expect(doc.clusters[0].cluster.server).to.equal('https://192.168.1.50:6443');
    expect(doc.clusters[0].cluster['certificate-authority-data']).to.equal('LS0tLS1CRUdJTi==');
    expect(doc.clusters[0].name).to.equal('homelab');
    expect(doc.users[0]).to.deep.equal({ name: 'homelab', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } });
    expect(doc.contexts[0]).to.deep.equal({ name: 'homelab', context: { cluster: 'homelab', user: 'homelab' } });
    expect(doc['current-context']).to.equal('homelab');
  });

  it('brackets IPv6 addresses', () => {
    expect(parse(rewriteKubeconfig(k3sYaml, 'c', 'fd00::50')).clusters[0].cluster.server).to.equal('https://[fd00::50]:6443');
  });

  it('merges into an existing kubeconfig, adding the new entries and keeping the current context', () => {
    const doc = (text: string) => parseUserKubeconfig(text, 'f');
    const other = rewriteKubeconfig(k3sYaml, 'work', '10.1.1.1');
    const first = mergeKubeconfigDocs(doc(other), doc(rewriteKubeconfig(k3sYaml, 'homelab', '10.0.0.1')), 'f');
    expect(first.changed).to.equal(true);
    expect(first.doc.clusters!.map((c) => c.name)).to.deep.equal(['work', 'homelab']);
    expect(first.doc['current-context']).to.equal('work');
    const again = mergeKubeconfigDocs(first.doc, doc(rewriteKubeconfig(k3sYaml, 'homelab', '10.0.0.1')), 'f');
    expect(again.changed).to.equal(false);
    expect(mergeKubeconfigDocs({}, doc(other), 'f').doc['current-context']).to.equal('work');
  });

  it('refuses what is not a kubeconfig', () => {
    expect(() => rewriteKubeconfig('hello: world', 'c', '1.2.3.4')).to.throw(/not a kubeconfig/);
  });
});
