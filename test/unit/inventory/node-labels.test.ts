import { expect } from 'chai';
import { kubeletLabelRefusal, nodeLabelFlagProblem, nodeTaintFlagProblem } from '../../../src/inventory/node-labels.js';
import { issueAt, issuesOf, loadText } from './support.js';

describe('inventory: node labels and taints as Kubernetes accepts them', () => {
  it('refuses labels kubelet may not set on its own node, with the reason and the allowed set', () => {
    const issues = issuesOf(`cluster: { name: lab }
hosts:
  - name: a
    address: 10.0.0.1
    labels:
      node-role.kubernetes.io/worker: "true"
      app.kubernetes.io/name: web
      example.k8s.io/x: y
`);
    expect(issues.map((issue) => issue.path)).to.deep.equal(['hosts[0].labels["node-role.kubernetes.io/worker"]', 'hosts[0].labels["app.kubernetes.io/name"]', 'hosts[0].labels["example.k8s.io/x"]']);
    const role = issueAt(issues, 'hosts[0].labels["node-role.kubernetes.io/worker"]');
    expect(role.line).to.equal(6);
    expect(role.message).to.equal('"node-role.kubernetes.io/worker" is a label kubelet may not set on its own node: K3s would refuse to start');
    expect(role.hint).to.include('kubectl label node NAME node-role.kubernetes.io/worker=').and.include('node.kubernetes.io/…');
  });

  it('accepts the labels kubelet allows, and labels outside the Kubernetes namespaces', () => {
    const inventory = loadText(`cluster: { name: lab }
hosts:
  - name: a
    address: 10.0.0.1
    labels:
      topology.kubernetes.io/zone: shelf
      node.kubernetes.io/role: worker
      sub.kubelet.kubernetes.io/x: y
      kubernetes.io/arch: arm64
      example.com/rack: "3"
      notkubernetes.io/x: y
`);
    expect(Object.keys(inventory.hosts[0]!.labels)).to.have.length(6);
  });

  it('checks node-label and node-taint flags in every config map, each list item at its own path', () => {
    const issues = issuesOf(`cluster:
  name: lab
  config:
    node-label: [ok=yes, node-role.kubernetes.io/master=true]
  agentConfig:
    node-taint: gpu=true:NoSchedule
hosts:
  - name: a
    address: 10.0.0.1
    config:
      node-taint: [dedicated=etcd:Sometimes, "bad key:NoExecute"]
      node-label: no-equals-sign
`);
    expect(issues.map((issue) => issue.path).sort()).to.deep.equal(['cluster.config.node-label[1]', 'hosts[0].config.node-label', 'hosts[0].config.node-taint[0]', 'hosts[0].config.node-taint[1]']);
    expect(issueAt(issues, 'hosts[0].config.node-taint[0]').message).to.equal('"Sometimes" is not a taint effect');
  });

  it('judges single values by the rules', () => {
    expect(kubeletLabelRefusal('kubernetes.io/hostname')).to.equal(undefined);
    expect(kubeletLabelRefusal('node-restriction.kubernetes.io/x')).to.not.equal(undefined);
    expect(kubeletLabelRefusal('k8s.io/x')).to.not.equal(undefined);
    expect(kubeletLabelRefusal('plain')).to.equal(undefined);
    expect(nodeLabelFlagProblem('zone=')).to.equal(undefined);
    expect(nodeLabelFlagProblem('zone=-bad')?.message).to.equal('"-bad" is not a valid label value');
    expect(nodeTaintFlagProblem('key:NoExecute')).to.equal(undefined);
    expect(nodeTaintFlagProblem('key=value')?.message).to.equal('"key=value" is not a node taint');
  });
});
