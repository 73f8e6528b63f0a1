// Hostile values in every inventory field that could reach a host: the fields with a format
// (names, addresses, labels, flag names, versions, users) refuse them at load time, with the
// field's path; the free-text fields (flag values, local paths) are data, proven harmless on the
// lab by test/e2e/security.test.ts.
import { expect } from 'chai';
import { issueAt, issuesOf, loadText } from './support.js';

/** Shell metacharacters, quotes and line breaks, each able to run a command if a shell saw it. */
const HOSTILE = [
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  "a'; touch /tmp/pwned; '",
  'a"; touch /tmp/pwned; "',
  'a\ntouch /tmp/pwned',
  'a;touch${IFS}/tmp/pwned',
  'a|touch',
  'a&&touch',
  '-rf',
  'a b',
];

const yamlString = (value: string) => JSON.stringify(value);

interface Field {
  /** The YAML path the issue must name. */
  path: string;
  /** An inventory with `value` in that field and everything else valid. */
  inventory: (value: string) => string;
  /** The hostile text is appended to a valid value. */
  suffixed?: boolean;
}

const hostWith = (fields: string) => `cluster:\n  name: lab\nhosts:\n  - { name: pi-1, address: 10.0.0.1${fields} }\n`;
const clusterWith = (fields: string) => `cluster:\n  name: lab\n${fields}hosts:\n  - { name: pi-1, address: 10.0.0.1 }\n`;

const REJECTED_FIELDS: Record<string, Field> = {
  'host name': { path: 'hosts[0].name', inventory: (v) => `cluster:\n  name: lab\nhosts:\n  - { name: ${yamlString(v)}, address: 10.0.0.1 }\n` },
  'host address': { path: 'hosts[0].address', inventory: (v) => `cluster:\n  name: lab\nhosts:\n  - { name: pi-1, address: ${yamlString(v)} }\n` },
  'label key': { path: `hosts[0].labels`, inventory: (v) => hostWith(`, labels: { ${yamlString(v)}: x }`) },
  'label value': { path: 'hosts[0].labels.zone', inventory: (v) => hostWith(`, labels: { zone: ${yamlString(v)} }`) },
  'host config flag name': { path: 'hosts[0].config', inventory: (v) => hostWith(`, config: { ${yamlString(v)}: x }`) },
  'cluster.config flag name': { path: 'cluster.config', inventory: (v) => clusterWith(`  config: { ${yamlString(v)}: x }\n`) },
  'cluster.agentConfig flag name': { path: 'cluster.agentConfig', inventory: (v) => clusterWith(`  agentConfig: { ${yamlString(v)}: x }\n`) },
  'tlsSan entry': { path: 'cluster.tlsSan[0]', inventory: (v) => clusterWith(`  tlsSan: [${yamlString(v)}]\n`) },
  registrationAddress: { path: 'cluster.registrationAddress', inventory: (v) => clusterWith(`  registrationAddress: ${yamlString(v)}\n`) },
  'cluster name': { path: 'cluster.name', inventory: (v) => `cluster:\n  name: ${yamlString(v)}\nhosts:\n  - { name: pi-1, address: 10.0.0.1 }\n` },
  'k3s version': { path: 'cluster.k3s.version', suffixed: true, inventory: (v) => clusterWith(`  k3s: { version: ${yamlString(`v1.31.4+k3s1${v}`)} }\n`) },
  'k3s channel': { path: 'cluster.k3s.channel', suffixed: true, inventory: (v) => clusterWith(`  k3s: { channel: ${yamlString(`stable${v}`)} }\n`) },
  'ssh user (host)': { path: 'hosts[0].ssh.user', inventory: (v) => hostWith(`, ssh: { user: ${yamlString(v)} }`) },
  'ssh user (defaults)': { path: 'defaults.ssh.user', inventory: (v) => `cluster:\n  name: lab\ndefaults:\n  ssh: { user: ${yamlString(v)} }\nhosts:\n  - { name: pi-1, address: 10.0.0.1 }\n` },
  'ssh proxyJump': { path: 'hosts[0].ssh.proxyJump', suffixed: true, inventory: (v) => hostWith(`, ssh: { proxyJump: ${yamlString(`bastion${v}`)} }`) },
};

/** Issues of `text`, whose paths start with `path` (a bad map key is reported at the key or its map). */
function rejectedAt(text: string, path: string): void {
  const issues = issuesOf(text);
  const matching = issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
  expect(matching, `${path}: ${issues.map((i) => `${i.path}: ${i.message}`).join(' | ')}`).to.not.be.empty;
}

describe('inventory: hostile values in fields with a format are refused at load time', () => {
  for (const [field, spec] of Object.entries(REJECTED_FIELDS)) {
    it(`${field}: every shell metacharacter, quote and newline is refused at ${spec.path}`, () => {
      // `-rf` after a valid prefix (stable-rf, bastion-rf) is a legal name, and harmless.
      const values = spec.suffixed ? HOSTILE.filter((value) => value !== '-rf') : HOSTILE;
      for (const value of values) rejectedAt(spec.inventory(value), spec.path);
    });
  }

  it('a flag value may hold quotes, $(…) and backticks (it is YAML data), but never a newline or NUL', () => {
    const inventory = loadText(clusterWith(`  config:\n    kubelet-arg: [${yamlString('a=$(touch /tmp/pwned)')}, ${yamlString('b=`x` \'y\' "z"')}]\n`));
    expect(inventory.cluster.config['kubelet-arg']).to.deep.equal(['a=$(touch /tmp/pwned)', 'b=`x` \'y\' "z"']);
    for (const where of ['cluster.config', 'cluster.agentConfig']) {
      const key = where.split('.')[1]!;
      for (const bad of ['a\ntouch /tmp/pwned', 'a\rb', 'a\0b']) {
        const issue = issueAt(issuesOf(clusterWith(`  ${key}:\n    node-ip: ${yamlString(bad)}\n`)), `${where}.node-ip`);
        expect(issue.message).to.match(/newline or NUL/);
      }
    }
    const issue = issueAt(issuesOf(hostWith(`, config: { node-ip: ${yamlString('a\nb')} }`)), 'hosts[0].config.node-ip');
    expect(issue.message).to.match(/newline or NUL/);
  });

  it('an inline token may not hold spaces, newlines or control characters (it goes into config.yaml)', () => {
    for (const bad of ['a b', 'a\nb', 'a\tb', 'é']) {
      const issue = issueAt(issuesOf(clusterWith(`  token: ${yamlString(bad)}\n`)), 'cluster.token');
      expect(issue.message).to.equal('the value is not a usable token');
    }
  });

  it('local paths (install files, keys, known_hosts) refuse newlines and NUL', () => {
    for (const [yaml, path] of [
      [clusterWith(`  install: { script: ${yamlString('/tmp/a\nb')} }\n`), 'cluster.install.script'],
      [clusterWith(`  install: { binary: ${yamlString('/tmp/a\0b')} }\n`), 'cluster.install.binary'],
      [hostWith(`, ssh: { identityFile: ${yamlString('/tmp/a\nb')} }`), 'hosts[0].ssh.identityFile'],
      [hostWith(`, ssh: { knownHostsFile: ${yamlString('/tmp/a\nb')} }`), 'hosts[0].ssh.knownHostsFile'],
      [clusterWith(`  tokenFile: ${yamlString('/tmp/a\nb')}\n`), 'cluster.tokenFile'],
    ] as const) {
      rejectedAt(yaml, path);
    }
  });
});
