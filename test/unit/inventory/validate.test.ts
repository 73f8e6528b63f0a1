import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureConsole, issueAt, issuesOf, tempDir } from './support.js';

const host = (extra: string) => `hosts:\n  - name: pi-1\n    address: 10.0.0.1\n${extra}`;

describe('inventory: validation (each issue with path, line, value and hint)', () => {
  it('names a bad enum value, the allowed values and the line', () => {
    const issues = issuesOf(`cluster:\n  name: lab\n${host('    role: srv\n')}`);
    const issue = issueAt(issues, 'hosts[0].role');
    expect(issue.line).to.equal(6);
    expect(issue.message).to.equal('"srv" is not a role');
    expect(issue.hint).to.equal('allowed: server, agent, auto');
  });

  it('names a bad agentsWaitFor with its allowed values', () => {
    const issue = issueAt(issuesOf(`cluster:\n  name: lab\n  agentsWaitFor: later\n${host('')}`), 'cluster.agentsWaitFor');
    expect(issue.line).to.equal(3);
    expect(issue.message).to.equal('"later" is not what agents wait for');
    expect(issue.hint).to.equal('allowed: first-server, all-servers');
  });

  it('reports every problem at once, sorted by line', () => {
    const issues = issuesOf(`cluster:
  name: Home_Lab
  k3s: { version: "1.31" }
  concurency: 5
hosts:
  - name: PI_1
    address: "10.0.0.1; reboot"
    role: srv
    kind: mac
    disk: floppy
    init: yes
  - name: pi-2
    address: 10.0.0.2
    ssh: { port: 70000, user: "bad user" }
`);
    expect(issues.map((issue) => issue.path)).to.deep.equal([
      'cluster.name',
      'cluster.k3s.version',
      'cluster.concurency',
      'hosts[0].name',
      'hosts[0].address',
      'hosts[0].role',
      'hosts[0].kind',
      'hosts[0].disk',
      'hosts[0].init',
      'hosts[1].ssh.user',
      'hosts[1].ssh.port',
    ]);
    expect(issues.map((issue) => issue.line)).to.deep.equal([2, 3, 4, 6, 7, 8, 9, 10, 11, 14, 14]);
    for (const issue of issues) expect(issue.hint, issue.path).to.be.a('string').and.not.equal('');
    expect(issueAt(issues, 'hosts[0].init').message).to.equal('"yes" is not true or false');
    expect(issueAt(issues, 'hosts[1].ssh.port').message).to.contain('70000');
  });

  it('suggests the closest key for an unknown key, on the key line', () => {
    const issues = issuesOf(`cluster:\n  name: lab\n${host('    rol: agent\n    colour: red\n')}`);
    expect(issueAt(issues, 'hosts[0].rol')).to.deep.equal({ path: 'hosts[0].rol', line: 6, message: 'unknown key "rol"', hint: 'did you mean "role"?' });
    expect(issueAt(issues, 'hosts[0].colour').hint).to.match(/^allowed: name, address, role/);
  });

  it('rejects unknown top-level and nested keys', () => {
    const issues = issuesOf(`clustr: {}\ncluster:\n  name: lab\n  disk: { maxFsync: 5 }\n${host('')}`);
    expect(issueAt(issues, 'clustr').hint).to.equal('did you mean "cluster"?');
    expect(issueAt(issues, 'cluster.disk.maxFsync').hint).to.equal('did you mean "maxFsyncP99Ms"?');
  });

  it('reports missing required fields at the closest line', () => {
    const issues = issuesOf(`cluster:\n  token: abc\nhosts:\n  - name: pi-1\n`);
    expect(issueAt(issues, 'cluster.name').message).to.equal('is required');
    expect(issueAt(issues, 'cluster.name').line).to.equal(2);
    expect(issueAt(issues, 'hosts[0].address').message).to.equal('is required');
    expect(issueAt(issues, 'hosts[0].address').line).to.equal(4);
  });

  it('needs at least one host', () => {
    expect(issueAt(issuesOf('cluster: { name: lab }\nhosts: []\n'), 'hosts').message).to.equal('lists no hosts');
    expect(issueAt(issuesOf('cluster: { name: lab }\n'), 'hosts').message).to.equal('is required');
  });

  it('refuses a document that is not a map', () => {
    expect(issuesOf('- just\n- a list\n')[0]!.message).to.match(/not a map/);
  });

  it('accepts IPv4, IPv6 and DNS names and nothing else as addresses', () => {
    for (const bad of ['10.0.0.256', '1.2.3', 'pi 1', '$(reboot)', 'fe80::1%eth0', '-pi.lan', 'pi_1.lan', "a'b"]) {
      const issues = issuesOf(`cluster: { name: lab }\nhosts: [{ name: a, address: "${bad}" }]\n`);
      expect(issueAt(issues, 'hosts[0].address').message, bad).to.equal(`${JSON.stringify(bad)} is not an address`);
    }
  });

  it('refuses duplicate names and addresses, naming the first holder', () => {
    const issues = issuesOf(`cluster: { name: lab }
hosts:
  - { name: a, address: pi.lan }
  - { name: a, address: PI.lan. }
  - { name: c, address: 10.0.0.3 }
`);
    expect(issueAt(issues, 'hosts[1].name')).to.include({ line: 4, message: '"a" is already the name of hosts[0]' });
    expect(issueAt(issues, 'hosts[1].address').message).to.equal('"PI.lan." is already the address of hosts[0]');
  });

  it('allows one init host, and only a server (or auto) one', () => {
    const issues = issuesOf(`cluster: { name: lab }
hosts:
  - { name: a, address: 10.0.0.1, init: true }
  - { name: b, address: 10.0.0.2, init: true, role: agent }
`);
    expect(issues.filter((issue) => issue.path === 'hosts[1].init').map((issue) => issue.message)).to.deep.equal([
      '"b" is a second init host (hosts[0] already has init: true)',
      'an agent cannot start the cluster',
    ]);
  });

  it('refuses token with tokenFile, and version with channel', () => {
    const issues = issuesOf(`cluster:\n  name: lab\n  token: abc\n  tokenFile: ./t\n  k3s: { version: v1.31.4+k3s1, channel: stable }\n${host('')}`);
    expect(issueAt(issues, 'cluster.tokenFile')).to.include({ line: 4, message: 'token and tokenFile are both set' });
    expect(issueAt(issues, 'cluster.k3s.channel').message).to.equal('version and channel are both set');
  });

  it('refuses flags fleet owns in every config map, pointing at cluster.token', () => {
    const issues = issuesOf(`cluster:
  name: lab
  config: { token: abc, cluster-init: true }
  agentConfig: { server: "https://x:6443" }
hosts:
  - name: a
    address: 10.0.0.1
    config: { agent-token: abc, token-file: /t }
`);
    expect(issueAt(issues, 'cluster.config.token').hint).to.match(/cluster\.token/);
    expect(issueAt(issues, 'cluster.config.cluster-init').hint).to.match(/init: true/);
    expect(issueAt(issues, 'cluster.agentConfig.server').line).to.equal(4);
    expect(issueAt(issues, 'hosts[0].config.agent-token').message).to.equal('agent-token is set by fleet and cannot be set in a config map');
    expect(issueAt(issues, 'hosts[0].config.token-file').line).to.equal(8);
  });

  it('checks flag names and values', () => {
    const issues = issuesOf(`cluster:
  name: lab
  config:
    Cluster-CIDR: 10.42.0.0/16
    --debug: true
    kubelet-arg: [{ a: 1 }]
    node-taint: "a\\nb"
    snapshotter: null
    disable: [traefik, servicelb]
    write-kubeconfig-mode: "0644"
    etcd-snapshot-retention: 5
${host('')}`);
    expect(issueAt(issues, 'cluster.config.Cluster-CIDR').message).to.equal('"Cluster-CIDR" is not a K3s flag name');
    expect(issueAt(issues, 'cluster.config["--debug"]').line).to.equal(5);
    expect(issueAt(issues, 'cluster.config.kubelet-arg').message).to.equal('a list is not a valid flag value');
    expect(issueAt(issues, 'cluster.config.node-taint').message).to.equal('the value contains a newline or NUL character');
    expect(issueAt(issues, 'cluster.config.snapshotter').line).to.equal(8);
    expect(issues).to.have.length(5);
  });

  it('checks label keys and values by the Kubernetes rules', () => {
    const long = 'x'.repeat(64);
    const issues = issuesOf(`cluster: { name: lab }
hosts:
  - name: a
    address: 10.0.0.1
    labels:
      topology.kubernetes.io/zone: shelf-1
      ok: ""
      "bad key": x
      ${long}: x
      zone: -leading-dash
      size: ${long}
      nested: { a: b }
`);
    expect(issues.map((issue) => issue.path)).to.deep.equal(['hosts[0].labels["bad key"]', `hosts[0].labels.${long}`, 'hosts[0].labels.zone', 'hosts[0].labels.size', 'hosts[0].labels.nested']);
    expect(issueAt(issues, 'hosts[0].labels.zone')).to.include({ line: 10, message: '"-leading-dash" is not a valid label value' });
  });

  it('refuses a host config that contradicts a must-match flag, naming host, flag and both values', () => {
    const issues = issuesOf(`cluster:
  name: lab
  config: { cluster-cidr: 10.42.0.0/16, disable: traefik }
hosts:
  - name: s-1
    address: 10.0.0.1
    config: { cluster-cidr: 10.99.0.0/16, disable: [traefik], flannel-backend: wireguard-native }
  - name: s-2
    address: 10.0.0.2
    role: agent
    config: { cluster-cidr: 10.99.0.0/16 }
`);
    expect(issues).to.have.length(2);
    expect(issueAt(issues, 'hosts[0].config.cluster-cidr')).to.include({
      line: 7,
      message: 's-1 sets cluster-cidr to "10.99.0.0/16" but cluster.config has "10.42.0.0/16"',
      hint: 'cluster-cidr must be identical on every server; set it once in cluster.config',
    });
    expect(issueAt(issues, 'hosts[0].config.flannel-backend').message).to.equal('s-1 sets flannel-backend to "wireguard-native" but cluster.config does not set it');
  });

  it('allows a host to repeat a must-match flag with the same value', () => {
    expect(() => issuesOf(`cluster: { name: lab, config: { service-cidr: 10.43.0.0/16 } }\nhosts: [{ name: a, address: 10.0.0.1, config: { service-cidr: 10.43.0.0/16 } }]\n`)).to.throw(
      'expected the inventory to be rejected',
    );
  });

  it('checks cluster.servers against the hosts that can be servers', () => {
    const tooMany = issuesOf(`cluster: { name: lab, servers: 3 }\nhosts:\n  - { name: a, address: 10.0.0.1 }\n  - { name: b, address: 10.0.0.2, role: agent }\n`);
    expect(issueAt(tooMany, 'cluster.servers').message).to.equal('3 servers wanted but only 1 hosts can be servers');
    const tooFew = issuesOf(`cluster: { name: lab, servers: 1 }\nhosts:\n  - { name: a, address: 10.0.0.1, role: server }\n  - { name: b, address: 10.0.0.2, role: server }\n`);
    expect(issueAt(tooFew, 'cluster.servers').message).to.equal('1 servers wanted but 2 hosts are servers (role: server or init: true)');
    const withInit = issuesOf(`cluster: { name: lab, servers: 1 }\nhosts:\n  - { name: a, address: 10.0.0.1, role: server }\n  - { name: b, address: 10.0.0.2, init: true }\n`);
    expect(issueAt(withInit, 'cluster.servers').message).to.equal('1 servers wanted but 2 hosts are servers (role: server or init: true)');
  });

  it('names an unset environment variable, with the path and line', () => {
    const issues = issuesOf(`cluster:\n  name: lab\n  token: \${K3S_TOKEN}\n${host('')}`, { env: {} });
    expect(issueAt(issues, 'cluster.token')).to.include({ line: 3, message: 'environment variable K3S_TOKEN is not set' });
  });

  it('reports a value whose variable is unset once, as the unset variable', () => {
    const issues = issuesOf(`cluster: { name: lab }\nhosts: [{ name: a, address: "\${PI_ADDRESS}" }]\n`, { env: {} });
    expect(issues).to.deep.equal([
      { path: 'hosts[0].address', line: 2, message: 'environment variable PI_ADDRESS is not set', hint: 'export PI_ADDRESS=… before running fleet, or remove ${PI_ADDRESS}' },
    ]);
  });

  it('names a missing token file and missing install files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\n');
    const issues = issuesOf(
      `cluster:
  name: lab
  tokenFile: ./no-token
  install:
    script: ./install.sh
    binary: { arm64: ./k3s-arm64 }
${host('')}`,
      { dir },
    );
    expect(issueAt(issues, 'cluster.tokenFile')).to.include({ line: 3, message: `cannot read token file ${join(dir, 'no-token')}: ENOENT` });
    expect(issueAt(issues, 'cluster.install.binary.arm64').message).to.equal(`cannot read ${join(dir, 'k3s-arm64')}: ENOENT`);
    expect(issues).to.have.length(2);
  });

  it('says where invalid YAML is, without a stack trace', () => {
    const issues = issuesOf('cluster:\n  name: lab\nhosts:\n  - name: a\n   address: 10.0.0.1\n');
    expect(issues[0]!.line).to.equal(5);
    expect(issues[0]!.message).to.match(/^invalid YAML \(column \d+\): /);
    expect(issues[0]!.message).not.to.contain('\n');
  });

  it('refuses duplicate keys', () => {
    const issues = issuesOf('cluster:\n  name: a\n  name: b\nhosts: []\n');
    expect(issues[0]).to.include({ line: 3 });
    expect(issues[0]!.message).to.contain('the key "name" appears twice in the same map');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const level = (name: string, from: string) => `${name}: &${name} [${Array(10).fill(`*${from}`).join(', ')}]`;
    const text = ['a: &a [x, x, x, x, x, x, x, x, x, x]', level('b', 'a'), level('c', 'b'), level('d', 'c'), level('e', 'd'), `f: [${Array(200).fill('*e').join(', ')}]`].join('\n');
    const issues = issuesOf(`${text}\n`);
    expect(issues[0]!.message).to.match(/cannot be expanded/);
  });

  it('refuses a map or list used as a key, with its line, and prints nothing', () => {
    // The yaml library would stringify such a key and print a warning to the console.
    const captured = captureConsole();
    let issues;
    try {
      issues = issuesOf('cluster:\n  name: lab\n  ? { k3s: 1 }\n  : x\nhosts:\n  - name: pi-1\n    address: 10.0.0.1\n    labels: { [a, b]: c }\n');
    } finally {
      captured.stop();
    }
    expect(captured.printed).to.deep.equal([]);
    expect(issues.map(({ path, line, message }) => ({ path, line, message }))).to.deep.equal([
      { path: 'cluster', line: 3, message: 'a map is used as a YAML key; keys must be plain names' },
      { path: 'hosts[0].labels', line: 8, message: 'a list is used as a YAML key; keys must be plain names' },
    ]);
    expect(issues[0]!.hint).to.contain('stray');
  });
});
