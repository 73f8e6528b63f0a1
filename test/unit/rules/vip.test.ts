// kube-vip's manifests for cluster.vip, checked against the fields kube-vip documents for its
// K3s DaemonSet (kube-vip.io/docs/usage/k3s and installation/daemonset) and parsed by the YAML library.
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { plan } from '../../../src/ops/up/plan.js';
import { KUBE_VIP_IMAGE, kubeVipManifests } from '../../../src/rules/vip.js';
import { issueAt, issuesOf, loadText } from '../inventory/support.js';
import { host, inventory, servers } from '../support/plan-inputs.js';

type Doc = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
const parsed = (content: string): Doc[] =>
  parseAllDocuments(content).map((doc) => {
    expect(doc.errors, String(doc.errors)).to.deep.equal([]);
    return doc.toJS() as Doc;
  });

describe('plan: cluster.vip (kube-vip)', () => {
  const vip = { address: '192.168.1.50', interface: 'eth0' };

  it('renders RBAC: ServiceAccount, ClusterRole with lease and node rights, ClusterRoleBinding', () => {
    const [rbac] = kubeVipManifests(vip);
    const docs = parsed(rbac!.content);
    expect(docs.map((d) => d.kind)).to.deep.equal(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    expect(docs[0]!.metadata).to.deep.equal({ name: 'kube-vip', namespace: 'kube-system' });
    const rules = (docs[1] as unknown as { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> }).rules;
    const leases = rules.find((r) => r.resources.includes('leases'))!;
    expect(leases.apiGroups).to.deep.equal(['coordination.k8s.io']);
    expect(leases.verbs).to.include.members(['get', 'create', 'update', 'watch', 'list']);
    const binding = docs[2] as unknown as { roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> };
    expect(binding.roleRef.name).to.equal(docs[1]!.metadata.name);
    expect(binding.subjects).to.deep.equal([{ kind: 'ServiceAccount', name: 'kube-vip', namespace: 'kube-system' }]);
  });

  it('renders the DaemonSet: ARP, leader election, control plane only, host network, pinned image', () => {
    const [, daemonSet] = kubeVipManifests(vip);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed manifest, walked field by field
    const [ds] = parsed(daemonSet!.content) as Array<Doc & { spec: any }>;
    expect(ds!.kind).to.equal('DaemonSet');
    expect(ds!.metadata.namespace).to.equal('kube-system');
    const pod = ds!.spec.template.spec;
    expect(ds!.spec.selector.matchLabels).to.deep.include(Object.fromEntries(Object.entries(ds!.spec.selector.matchLabels)));
    for (const [key, value] of Object.entries(ds!.spec.selector.matchLabels)) expect(ds!.spec.template.metadata.labels[key]).to.equal(value);
    expect(pod.hostNetwork).to.equal(true);
    expect(pod.serviceAccountName).to.equal('kube-vip');
    const container = pod.containers[0];
    expect(container.image)
      .to.equal(KUBE_VIP_IMAGE)
      .and.match(/^ghcr\.io\/kube-vip\/kube-vip:v\d+\.\d+\.\d+$/);
    expect(container.args).to.deep.equal(['manager']);
    expect(container.securityContext.capabilities.add).to.include.members(['NET_ADMIN', 'NET_RAW']);
    const env = Object.fromEntries((container.env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value]));
    expect(env).to.deep.include({ vip_arp: 'true', port: '6443', vip_interface: 'eth0', vip_cidr: '32', cp_enable: 'true', svc_enable: 'false', vip_leaderelection: 'true', address: '192.168.1.50' });
    expect(env).to.have.keys([
      'vip_arp',
      'port',
      'vip_nodename',
      'vip_interface',
      'vip_cidr',
      'cp_enable',
      'cp_namespace',
      'svc_enable',
      'vip_leaderelection',
      'vip_leasename',
      'vip_leaseduration',
      'vip_renewdeadline',
      'vip_retryperiod',
      'address',
    ]);
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms.map((t: { matchExpressions: Array<{ key: string }> }) => t.matchExpressions[0]!.key)).to.deep.equal(['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane']);
    expect(pod.tolerations).to.deep.include({ effect: 'NoSchedule', operator: 'Exists' });
  });

  it('uses the image the inventory pins instead', () => {
    const [, daemonSet] = kubeVipManifests({ ...vip, image: 'registry.lan/kube-vip:v0.9.0' });
    expect(daemonSet!.content).to.include('image: registry.lan/kube-vip:v0.9.0');
  });

  it("makes the VIP the registration address, puts it in every server's tls-san, joins servers through a server", () => {
    const loaded = loadText(`cluster: { name: lab, vip: { address: 192.168.1.50, interface: eth0 } }
hosts:
  - { name: s-1, address: 192.168.1.11, role: server }
  - { name: s-2, address: 192.168.1.12, role: server }
  - { name: s-3, address: 192.168.1.13, role: server }
  - { name: a-1, address: 192.168.1.21, role: agent }
`);
    expect(loaded.cluster.registrationAddress).to.equal('192.168.1.50');
    const result = plan(loaded);
    for (const server of result.hosts.filter((h) => h.role === 'server')) expect(server.config['tls-san']).to.include('192.168.1.50');
    expect(result.hosts[1]!.config['server']).to.equal('https://192.168.1.11:6443');
    expect(result.hosts[3]!.config['server']).to.equal('https://192.168.1.50:6443');
    expect(result.kubeVip?.host).to.equal('s-1');
    expect(result.kubeVip?.manifests.map((m) => m.file)).to.deep.equal(['fleet-kube-vip-rbac.yaml', 'fleet-kube-vip.yaml']);
    expect(plan(inventory([...servers(3), host('a-1', { role: 'agent' })])).kubeVip).to.equal(undefined);
  });

  it('refuses a VIP that is a DNS name, a host address, or another registration address', () => {
    const issues = issuesOf(`cluster:
  name: lab
  registrationAddress: 192.168.1.60
  vip: { address: 192.168.1.11, interface: "eth 0" }
hosts:
  - { name: s-1, address: 192.168.1.11 }
`);
    expect(issues.map((i) => i.path).sort()).to.deep.equal(['cluster.registrationAddress', 'cluster.vip.address', 'cluster.vip.interface']);
    expect(issueAt(issuesOf('cluster: { name: lab, vip: { address: vip.lan, interface: eth0 } }\nhosts: [{ name: a, address: 10.0.0.1 }]\n'), 'cluster.vip.address').message).to.equal(
      '"vip.lan" is not a VIP address',
    );
  });
});
