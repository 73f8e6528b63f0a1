import { expect } from 'chai';
import { findNode, parseNodeList, renderNodeTable } from '../../../src/facts/nodes.js';

const nodeList = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: {
        name: 'pi-1',
        labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/etcd': 'true', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/arch': 'arm64' },
      },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
        nodeInfo: { kubeletVersion: 'v1.31.4+k3s1', architecture: 'arm64' },
        addresses: [
          { type: 'InternalIP', address: '192.168.1.11' },
          { type: 'Hostname', address: 'pi-1' },
        ],
      },
    },
    {
      metadata: { name: 'raspberrypi', labels: {} },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }], nodeInfo: { kubeletVersion: 'v1.31.4+k3s1' }, addresses: [{ type: 'InternalIP', address: '192.168.1.21' }] },
    },
  ],
});

describe('cluster/nodes', () => {
  it('parses names, readiness, roles, versions and addresses', () => {
    const nodes = parseNodeList(nodeList);
    expect(nodes).to.have.length(2);
    expect(nodes[0]).to.deep.include({ name: 'pi-1', ready: true, roles: ['control-plane', 'etcd', 'master'], version: 'v1.31.4+k3s1', internalIP: '192.168.1.11', arch: 'arm64' });
    expect(nodes[1]).to.deep.include({ name: 'raspberrypi', ready: false, roles: [] });
  });

  it('finds a host by node name, else by InternalIP', () => {
    const nodes = parseNodeList(nodeList);
    expect(findNode(nodes, { name: 'pi-1', address: '10.0.0.1' })?.name).to.equal('pi-1');
    expect(findNode(nodes, { name: 'agent-1', address: '192.168.1.21' })?.name).to.equal('raspberrypi');
    expect(findNode(nodes, { name: 'agent-2', address: '192.168.1.99' })).to.equal(undefined);
  });

  it('refuses what is not a NodeList', () => {
    expect(() => parseNodeList('{"kind":"Status"}')).to.throw(/NodeList/);
    expect(() => parseNodeList('The connection to the server 127.0.0.1:6443 was refused')).to.throw();
  });

  it('renders a kubectl-like table', () => {
    const text = renderNodeTable(parseNodeList(nodeList));
    const lines = text.split('\n');
    expect(lines[0]).to.match(/^NAME\s+STATUS\s+ROLES\s+VERSION\s+INTERNAL-IP$/);
    expect(lines[1]).to.match(/^pi-1\s+Ready\s+control-plane,etcd,master\s+v1\.31\.4\+k3s1\s+192\.168\.1\.11$/);
    expect(lines[2]).to.match(/^raspberrypi\s+NotReady\s+<none>/);
  });
});
