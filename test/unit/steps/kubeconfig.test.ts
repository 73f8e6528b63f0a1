import { expect } from 'chai';
import { parse } from 'yaml';
import { mergeKubeconfig, rewriteKubeconfig } from '../../../src/steps/kubeconfig.js';

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

  it('merges into an existing kubeconfig, replacing only the same-named entries', () => {
    const other = rewriteKubeconfig(k3sYaml, 'work', '10.1.1.1');
    const first = mergeKubeconfig(other, rewriteKubeconfig(k3sYaml, 'homelab', '10.0.0.1'));
    const again = parse(mergeKubeconfig(first, rewriteKubeconfig(k3sYaml, 'homelab', '10.0.0.2')));
    expect(again.clusters.map((c: { name: string }) => c.name)).to.deep.equal(['work', 'homelab']);
    expect(again.clusters[1].cluster.server).to.equal('https://10.0.0.2:6443');
    expect(again['current-context']).to.equal('work');
    expect(parse(mergeKubeconfig(undefined, other))['current-context']).to.equal('work');
  });

  it('refuses what is not a kubeconfig', () => {
    expect(() => rewriteKubeconfig('hello: world', 'c', '1.2.3.4')).to.throw(/not a kubeconfig/);
  });
});
