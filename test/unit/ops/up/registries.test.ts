// cluster.registries through the plan: merged per host, validated offline with file:line:path,
// credentials only in the file fleet writes (never in the plan or its rendering), a converged
// file is nothing to do, a changed one restarts its hosts (servers one at a time), and only
// fleet's own file is ever removed. From data, without any transport.
import { expect } from 'chai';
import { InventoryError } from '../../../../src/errors.js';
import { tokenFingerprint } from '../../../../src/facts/k3s-config.js';
import type { RegistriesFileFacts } from '../../../../src/facts/registries-file.js';
import type { HostFacts } from '../../../../src/facts/types.js';
import { parseInventory } from '../../../../src/inventory/load.js';
import type { Inventory } from '../../../../src/inventory/types.js';
import { plan } from '../../../../src/ops/up/plan.js';
import { renderPlanHuman } from '../../../../src/ops/up/render.js';
import { fleetFacts, hostFacts } from '../../support/plan-inputs.js';

const TOKEN = 'unit-token-0123456789abcdef';
const VERSION = 'v1.31.4+k3s1';
const PASSWORD = 'registry-pass-Zq9xW2';
const ENV = { REG_PASSWORD: PASSWORD, K3S_TOKEN: TOKEN };

function inventoryText(mirror = 'https://mirror.example.com:5000', registries = true): string {
  const block = registries
    ? [
        '  registries:',
        '    mirrors:',
        '      docker.io:',
        `        endpoint: [${mirror}]`,
        '    configs:',
        '      mirror.example.com:5000:',
        '        auth: { username: fleet, password: "${REG_PASSWORD}" }',
        '        tls: { ca_file: /etc/ssl/mirror-ca.crt }',
      ]
    : [];
  return [
    'cluster:',
    '  name: lab',
    '  token: ${K3S_TOKEN}',
    `  k3s: { version: ${VERSION} }`,
    ...block,
    'hosts:',
    '  - { name: s-1, address: 10.0.0.1, role: server }',
    '  - { name: s-2, address: 10.0.0.2, role: server }',
    '  - { name: s-3, address: 10.0.0.3, role: server }',
    '  - { name: a-4, address: 10.0.0.4, role: agent }',
    '  - name: a-5',
    '    address: 10.0.0.5',
    '    role: agent',
    '    registries:',
    '      mirrors:',
    '        docker.io: { endpoint: ["http://10.0.0.9:5000"] }',
    '',
  ].join('\n');
}

const load = (text: string, env: Record<string, string> = ENV): Inventory => parseInventory(text, '/fleet/inventory.yaml', { env, home: '/home/t', localUser: 'pi' });

function issuesOf(text: string, env: Record<string, string> = ENV) {
  try {
    load(text, env);
  } catch (err) {
    expect(err).to.be.instanceOf(InventoryError);
    return (err as InventoryError).issues;
  }
  throw new Error('the inventory was accepted');
}

/** Facts of a fleet running what `inventory` plans, with registries.yaml as `file(host)` says. */
function runningFleet(inventory: Inventory, file: (name: string) => RegistriesFileFacts | undefined) {
  const first = plan(inventory, fleetFacts(...inventory.hosts.map((h) => hostFacts(h.name))));
  return fleetFacts(
    ...first.hosts.map((p) => {
      const facts: HostFacts = hostFacts(p.name, p.role === 'server' ? { etcdData: true, runningServer: true } : {});
      facts.k3s = { ...facts.k3s, installed: true, running: true, role: p.role, version: VERSION, config: p.config, tokenHash: tokenFingerprint(TOKEN) };
      const registries = file(p.name);
      if (registries) facts.k3s.registries = registries;
      return facts;
    }),
  );
}

/** What fleet wrote on each host, read back as the facts probe reports it. */
const inPlace = (inventory: Inventory) => (name: string) => ({
  status: 'present' as const,
  fingerprint: inventory.hosts.find((h) => h.name === name)!.registries!.fingerprint,
  mode: '600',
  fleet: true,
});

describe('registries: the inventory', () => {
  it("merges a host's registries over the cluster's: its mirror replaces the same-named one, the cluster's configs stay", () => {
    const inventory = load(inventoryText());
    const a4 = inventory.hosts.find((h) => h.name === 'a-4')!.registries!;
    const a5 = inventory.hosts.find((h) => h.name === 'a-5')!.registries!;
    expect(a4.content).to.include('https://mirror.example.com:5000');
    expect(a5.content).to.include('http://10.0.0.9:5000').and.not.include('https://mirror.example.com:5000');
    expect(a5.content).to.include('mirror.example.com:5000:').and.include(PASSWORD);
    expect(a4.redacted).to.include('password: <redacted>').and.not.include(PASSWORD);
    expect(a4.fingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(a4.fingerprint).to.not.equal(a5.fingerprint);
  });

  it('refuses a malformed block offline with file:line:path and a fix, never showing a credential', () => {
    const bad = inventoryText().replace('endpoint: [https://mirror.example.com:5000]', 'endpoint: mirror.example.com').replace('password: "${REG_PASSWORD}"', 'password: 123456789, token: x');
    const issues = issuesOf(bad);
    const endpoint = issues.find((i) => i.path === 'cluster.registries.mirrors["docker.io"].endpoint')!;
    expect(endpoint.line).to.equal(8);
    expect(endpoint.message).to.include('is not a list of endpoints');
    expect(endpoint.hint).to.include('endpoint: [https://');
    const password = issues.find((i) => i.path.endsWith('.auth.password'))!;
    expect(password.line).to.equal(11);
    expect(password.message).to.not.include('123456789');
    expect(issues.find((i) => i.path.endsWith('.auth.token'))!.message).to.include('unknown key');
  });

  it('refuses a registry name, an endpoint without a scheme and a relative TLS path', () => {
    const bad = inventoryText().replace('      docker.io:\n', '      "not a registry!":\n').replace('/etc/ssl/mirror-ca.crt', 'certs/ca.crt');
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).to.include.members(['cluster.registries.mirrors["not a registry!"]', 'cluster.registries.configs["mirror.example.com:5000"].tls.ca_file']);
    expect(issues.find((i) => i.path.endsWith('tls.ca_file'))!.hint).to.include('absolute path on the node');
    const scheme = issuesOf(inventoryText('mirror.example.com:5000'));
    expect(scheme[0]!.message).to.include('is not an endpoint URL');
  });

  it('an unset ${VAR} for a credential is named at its place', () => {
    const issues = issuesOf(inventoryText(), { K3S_TOKEN: TOKEN });
    expect(issues).to.have.length(1);
    expect(issues[0]!.path).to.equal('cluster.registries.configs["mirror.example.com:5000"].auth.password');
    expect(issues[0]!.message).to.equal('environment variable REG_PASSWORD is not set');
  });
});

describe('registries: the plan', () => {
  it('dry run: registries.yaml is written on every node, shown with credentials redacted', () => {
    const result = plan(load(inventoryText()));
    expect(result.hosts.map((h) => h.registries?.change)).to.deep.equal(['write', 'write', 'write', 'write', 'write']);
    const human = renderPlanHuman(result);
    expect(human.match(/registries\.yaml \(0600\): write/g)).to.have.length(5);
    expect(human).to.include('password: <redacted>');
    expect(human + JSON.stringify(result)).to.not.include(PASSWORD);
  });

  it('a fleet with the same registries.yaml (0600) in place: nothing to do anywhere', () => {
    const inventory = load(inventoryText());
    const result = plan(inventory, runningFleet(inventory, inPlace(inventory)));
    expect(result.hosts.map((h) => h.action)).to.deep.equal(['none', 'none', 'none', 'none', 'none']);
    expect(result.hosts.map((h) => h.registries?.change)).to.deep.equal(['none', 'none', 'none', 'none', 'none']);
    expect(result.steps.filter((s) => s.changes)).to.deep.equal([]);
  });

  it('a changed mirror restarts the nodes whose file changes: servers one at a time (each waited for), agents in their lane', () => {
    const before = load(inventoryText());
    const facts = runningFleet(before, inPlace(before));
    const result = plan(load(inventoryText('https://other-mirror.example.com')), facts);
    // a-5 has its own docker.io mirror: its file does not change.
    expect(result.hosts.map((h) => h.action)).to.deep.equal(['reconfigure-restart', 'reconfigure-restart', 'reconfigure-restart', 'reconfigure-restart', 'none']);
    expect(result.hosts[0]!.drift).to.deep.equal(["/etc/rancher/k3s/registries.yaml differs from the inventory's"]);
    const changing = result.steps.filter((s) => s.changes);
    expect(changing.map((s) => s.id)).to.deep.equal(['install-server:s-1', 'install-server:s-2', 'install-server:s-3', 'install-agent:a-4']);
    const byId = new Map(result.steps.map((s) => [s.id, s]));
    expect(byId.get('install-server:s-2')!.dependsOn).to.deep.equal(['wait-server:s-1']);
    expect(byId.get('install-server:s-3')!.dependsOn).to.deep.equal(['wait-server:s-2']);
    expect(changing.filter((s) => s.action === 'install-server').every((s) => s.lane === 'servers')).to.equal(true);
    expect(byId.get('install-agent:a-4')!.lane).to.equal('agents');
    expect(renderPlanHuman(result) + JSON.stringify(result)).to.not.include(PASSWORD);
  });

  it('a file that is not 0600 is written again', () => {
    const inventory = load(inventoryText());
    const result = plan(
      inventory,
      runningFleet(inventory, (name) => ({ ...inPlace(inventory)(name), mode: name === 's-2' ? '644' : '600' })),
    );
    expect(result.hosts.filter((h) => h.action !== 'none').map((h) => h.name)).to.deep.equal(['s-2']);
    expect(result.hosts[1]!.registries!.reason).to.include('mode 644, not 0600');
  });

  it("registries gone from the inventory: fleet's own file is removed (a restart), a hand-written one is left alone", () => {
    const inventory = load(inventoryText(undefined, false));
    const old = load(inventoryText());
    const facts = runningFleet(inventory, (name) => (name === 'a-4' ? { ...inPlace(old)(name), fleet: false } : name === 's-3' ? { status: 'absent' } : inPlace(old)(name)));
    const result = plan(inventory, facts);
    // a-5 keeps a file: its own registries (the cluster's configs no longer merged in).
    expect(result.hosts.map((h) => h.registries?.change)).to.deep.equal(['remove', 'remove', undefined, undefined, 'write']);
    expect(result.hosts.map((h) => h.action)).to.deep.equal(['reconfigure-restart', 'reconfigure-restart', 'none', 'none', 'reconfigure-restart']);
    expect(renderPlanHuman(result)).to.include('fleet removes the /etc/rancher/k3s/registries.yaml it wrote');
  });
});
