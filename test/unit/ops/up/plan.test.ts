import { expect } from 'chai';
import { InputError, SafetyError } from '../../../../src/errors.js';
import { plan } from '../../../../src/ops/up/plan.js';
import { renderPlanHuman } from '../../../../src/ops/up/render.js';
import { renderPlanJson } from '../../../../src/ops/up/render-json.js';
import { TOKEN_PLACEHOLDER } from '../../../../src/ops/up/types.js';
import { fleetFacts, host, hostFacts, inventory, servers } from '../../support/plan-inputs.js';

describe('plan: roles and ordering', () => {
  it('starts with the init server, joins the others in inventory order, agents last', () => {
    const result = plan(
      inventory([host('s-1', { role: 'server' }), host('a-1', { role: 'agent' }), host('s-2', { role: 'server' }), host('s-3', { role: 'server', init: true }), host('a-2', { role: 'agent' })]),
    );
    expect(result.firstServer).to.equal('s-3');
    expect(result.joiningServers).to.deep.equal(['s-1', 's-2']);
    expect(result.agents).to.deep.equal(['a-1', 'a-2']);
    expect([result.servers, result.quorum, result.faultTolerance]).to.deep.equal([3, 2, 1]);
    expect(result.basis).to.equal('dry-run');
  });

  it('without init, the first server in inventory order starts the cluster', () => {
    const result = plan(inventory([host('a-1', { role: 'agent' }), ...servers(3)]));
    expect(result.firstServer).to.equal('s-1');
    expect(result.steps[0]!.id).to.equal('install-server:s-1');
    expect(result.hosts.filter((h) => h.config['cluster-init'] === true).map((h) => h.name)).to.deep.equal(['s-1']);
  });

  it('orders steps: servers one by one (each waited for), agents from the first server on, then verify and kubeconfig', () => {
    const result = plan(inventory([...servers(3), host('a-1', { role: 'agent' }), host('a-2', { role: 'agent' })]));
    expect(result.steps.map((step) => step.id)).to.deep.equal([
      'install-server:s-1',
      'wait-server:s-1',
      'install-server:s-2',
      'wait-server:s-2',
      'install-server:s-3',
      'wait-server:s-3',
      'install-agent:a-1',
      'install-agent:a-2',
      'verify:cluster',
      'kubeconfig:cluster',
    ]);
    const byId = new Map(result.steps.map((step) => [step.id, step]));
    expect(byId.get('install-server:s-2')!.dependsOn).to.deep.equal(['wait-server:s-1']);
    expect(byId.get('install-server:s-3')!.dependsOn).to.deep.equal(['wait-server:s-2']);
    // Agents need one ready server to register with, not the whole control plane.
    expect(byId.get('install-agent:a-1')!.dependsOn).to.deep.equal(['wait-server:s-1']);
    expect(byId.get('install-agent:a-2')!.dependsOn).not.to.include('install-agent:a-1');
    expect(byId.get('install-agent:a-1')!.lane).to.equal('agents');
    expect(byId.get('verify:cluster')!.dependsOn).to.deep.equal(['wait-server:s-1']);
    expect(byId.get('verify:cluster')!.after).to.include.members(['install-agent:a-1', 'install-agent:a-2', 'wait-server:s-3']);
    expect(result.steps.filter((step) => step.changes).map((step) => step.id)).to.deep.equal([
      'install-server:s-1',
      'install-server:s-2',
      'install-server:s-3',
      'install-agent:a-1',
      'install-agent:a-2',
    ]);
  });

  it('makes agents wait for the last server join with agentsWaitFor: all-servers', () => {
    const result = plan(inventory([...servers(3), host('a-1', { role: 'agent' })], { agentsWaitFor: 'all-servers' }));
    expect(result.steps.find((step) => step.id === 'install-agent:a-1')!.dependsOn).to.deep.equal(['wait-server:s-3']);
    expect(renderPlanHuman(result)).to.contain('Agents (in parallel, up to 10 at a time, after the servers)');
  });

  it('joins servers through the first server and agents through the registration address', () => {
    const result = plan(inventory([...servers(3), host('a-1', { role: 'agent' })], { registrationAddress: 'k3s.lab', tlsSan: ['api.example.net'] }));
    const byName = new Map(result.hosts.map((planned) => [planned.name, planned]));
    expect(byName.get('s-1')!.config).to.deep.equal({ 'cluster-init': true, token: TOKEN_PLACEHOLDER, 'node-name': 's-1', 'tls-san': ['k3s.lab', 'api.example.net'] });
    expect(byName.get('s-2')!.config).to.deep.equal({ server: 'https://10.0.0.1:6443', token: TOKEN_PLACEHOLDER, 'node-name': 's-2', 'tls-san': ['k3s.lab', 'api.example.net'] });
    expect(byName.get('a-1')!.config).to.deep.equal({ server: 'https://k3s.lab:6443', token: TOKEN_PLACEHOLDER, 'node-name': 'a-1' });
    expect(result.token).to.equal('generated');
  });

  it('brackets IPv6 addresses in URLs', () => {
    const result = plan(inventory([host('s-1', { role: 'server', address: 'fd00::1' }), host('a-1', { role: 'agent' })]));
    expect(result.hosts[1]!.joinUrl).to.equal('https://[fd00::1]:6443');
  });

  it('merges cluster, host and label flags into config.yaml', () => {
    const result = plan(
      inventory(
        [host('s-1', { role: 'server', config: { 'node-label': 'board=pi5', 'kubelet-arg': ['max-pods=50'] }, labels: { zone: 'a' } }), host('a-1', { role: 'agent', labels: { zone: 'b' } })],
        {
          config: { 'cluster-cidr': '10.42.0.0/16', disable: ['traefik'], 'tls-san': 'extra.lan' },
          agentConfig: { 'node-label': ['pool=workers'] },
          token: 'the-token',
        },
      ),
    );
    expect(result.hosts[0]!.config).to.deep.equal({
      'cluster-init': true,
      token: TOKEN_PLACEHOLDER,
      'node-name': 's-1',
      'cluster-cidr': '10.42.0.0/16',
      disable: ['traefik'],
      'tls-san': ['extra.lan'],
      'node-label': ['board=pi5', 'zone=a'],
      'kubelet-arg': ['max-pods=50'],
    });
    expect(result.hosts[1]!.config['node-label']).to.deep.equal(['pool=workers', 'zone=b']);
    expect(result.hosts[1]!.config).not.to.have.property('cluster-cidr');
    expect(result.token).to.equal('inventory');
  });
});

describe('plan: server counts', () => {
  it('refuses an even count from the inventory with exit code 2 and the arithmetic', () => {
    expect(() => plan(inventory(servers(4)))).to.throw(
      InputError,
      '4 servers is an even count: 4 servers need a quorum of 3 and tolerate 1 failure, the same as 3 servers (quorum 2); 5 servers would tolerate 2',
    );
    try {
      plan(inventory(servers(2)));
      expect.fail('should throw');
    } catch (error) {
      expect((error as InputError).exitCode).to.equal(2);
      expect((error as InputError).hint).to.equal('plan 1 or 3 servers, or set cluster.allowEvenServers: true');
    }
  });

  it('turns an even count into a loud warning with allowEvenServers', () => {
    const result = plan(inventory(servers(4), { allowEvenServers: true }));
    expect(result.servers).to.equal(4);
    expect(result.warnings.map((warning) => warning.code)).to.deep.equal(['even-servers']);
    expect(result.warnings[0]!.message).to.contain('quorum of 3');
  });

  it('allows one server with a warning', () => {
    const result = plan(inventory([host('s-1', { role: 'server' }), host('a-1', { role: 'agent' })]));
    expect([result.servers, result.quorum, result.faultTolerance]).to.deep.equal([1, 1, 0]);
    expect(result.warnings.map((warning) => warning.code)).to.deep.equal(['single-server']);
  });

  it('refuses a plan with no server', () => {
    expect(() => plan(inventory([host('a-1', { role: 'agent' })]))).to.throw(InputError, 'the inventory plans no server');
  });
});

describe('plan: choosing servers among role: auto hosts', () => {
  it('picks 3 servers by disk hint (nvme, ssd, unknown, emmc, sd), ties in inventory order', () => {
    const result = plan(
      inventory([host('h-1', { disk: 'sd' }), host('h-2', { disk: 'emmc' }), host('h-3'), host('h-4', { disk: 'ssd' }), host('h-5', { disk: 'nvme' }), host('h-6', { disk: 'ssd' })]),
    );
    expect([result.firstServer, ...result.joiningServers]).to.deep.equal(['h-4', 'h-5', 'h-6']);
    expect(result.agents).to.deep.equal(['h-1', 'h-2', 'h-3']);
    expect(result.hosts.find((planned) => planned.name === 'h-5')!.reason).to.equal('auto:disk-hint');
    expect(result.hosts.find((planned) => planned.name === 'h-1')!.reason).to.equal('auto:not-needed');
  });

  it('picks 1 server when fewer than 3 hosts can be servers', () => {
    const result = plan(inventory([host('h-1', { disk: 'sd' }), host('h-2', { disk: 'ssd' })]));
    expect(result.firstServer).to.equal('h-2');
    expect(result.agents).to.deep.equal(['h-1']);
  });

  it('honours cluster.servers and makes the rest agents', () => {
    const result = plan(inventory([host('h-1'), host('h-2'), host('h-3'), host('h-4'), host('h-5'), host('h-6')], { servers: 5 }));
    expect(result.servers).to.equal(5);
    expect(result.agents).to.deep.equal(['h-6']);
  });

  it('with explicit servers and no cluster.servers, auto hosts become agents', () => {
    const result = plan(inventory([host('h-1', { role: 'server' }), host('h-2', { disk: 'nvme' }), host('h-3', { disk: 'nvme' })]));
    expect(result.servers).to.equal(1);
    expect(result.agents).to.deep.equal(['h-2', 'h-3']);
  });

  it('an auto host with init: true is a server', () => {
    const result = plan(inventory([host('h-1', { disk: 'sd', init: true }), host('h-2', { disk: 'ssd' }), host('h-3', { disk: 'ssd' }), host('h-4', { disk: 'ssd' })]));
    expect(result.firstServer).to.equal('h-1');
    expect(result.joiningServers).to.deep.equal(['h-2', 'h-3']);
  });

  it('warns that SD-card and eMMC servers will be measured before promotion', () => {
    const result = plan(inventory([host('s-1', { role: 'server', kind: 'pi', disk: 'sd' })]));
    const warning = result.warnings.find((entry) => entry.code === 'slow-disk-hint')!;
    expect(warning.host).to.equal('s-1');
    expect(warning.message).to.contain('SD card').and.contain('measured before it is promoted');
  });

  it('with facts, ranks by measured fsync p99 and skips disks over the limit (refuse)', () => {
    const hosts = [host('h-1', { disk: 'nvme' }), host('h-2', { disk: 'sd' }), host('h-3', { disk: 'sd' }), host('h-4', { disk: 'ssd' }), host('h-5', { disk: 'ssd' })];
    const facts = fleetFacts(hostFacts('h-1', { p99Ms: 25 }), hostFacts('h-2', { p99Ms: 4 }), hostFacts('h-3', { p99Ms: 9 }), hostFacts('h-4', { p99Ms: 2 }), hostFacts('h-5', { p99Ms: 30 }));
    const result = plan(inventory(hosts), facts);
    expect(result.basis).to.equal('facts');
    expect([result.firstServer, ...result.joiningServers]).to.deep.equal(['h-2', 'h-3', 'h-4']);
    const reasons = Object.fromEntries(result.hosts.map((planned) => [planned.name, planned.reason]));
    expect(reasons).to.deep.equal({ 'h-1': 'auto:slow-disk', 'h-2': 'auto:fsync', 'h-3': 'auto:fsync', 'h-4': 'auto:fsync', 'h-5': 'auto:slow-disk' });
    expect(result.hosts[1]!.fsyncP99Ms).to.equal(4);
  });

  it('with onSlow: warn, a slow disk may still be picked', () => {
    const result = plan(
      inventory([host('h-1'), host('h-2'), host('h-3')], { disk: { maxFsyncP99Ms: 10, onSlow: 'warn' } }),
      fleetFacts(hostFacts('h-1', { p99Ms: 50 }), hostFacts('h-2', { p99Ms: 2 }), hostFacts('h-3', { p99Ms: 3 })),
    );
    expect(result.servers).to.equal(3);
  });

  it('refuses with exit code 3 when slow disks leave an even count', () => {
    const facts = fleetFacts(hostFacts('h-1', { p99Ms: 2 }), hostFacts('h-2', { p99Ms: 3 }), hostFacts('h-3', { p99Ms: 40 }));
    try {
      plan(inventory([host('h-1'), host('h-2'), host('h-3')]), facts);
      expect.fail('should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(SafetyError);
      expect((error as SafetyError).exitCode).to.equal(3);
      expect((error as SafetyError).message)
        .to.contain('slow disks left 2 servers')
        .and.contain('slow: h-3')
        .and.contain('quorum of 2');
    }
  });

  it('refuses an explicit server whose measured disk is too slow (exit 3)', () => {
    expect(() => plan(inventory(servers(1)), fleetFacts(hostFacts('s-1', { p99Ms: 45 })))).to.throw(
      SafetyError,
      's-1 would be an etcd server but its disk is too slow (fdatasync p99 45 ms, limit 10 ms)',
    );
  });

  it('refuses an explicit server whose disk could not be measured, unless onSlow: warn', () => {
    const unmeasured = { ...hostFacts('s-1'), diskError: 'no fio and no python3: cannot measure' };
    expect(() => plan(inventory(servers(1)), fleetFacts(unmeasured))).to.throw(SafetyError, 's-1 would be an etcd server but its disk could not be measured: no fio and no python3');
    expect(plan(inventory(servers(1), { disk: { maxFsyncP99Ms: 10, onSlow: 'warn' } }), fleetFacts(unmeasured)).firstServer).to.equal('s-1');
  });

  it('does not pick an auto host whose disk could not be measured', () => {
    const hosts = [host('a', { role: 'auto' }), host('b', { role: 'auto' }), host('c', { role: 'auto' }), host('d', { role: 'auto' })];
    const facts = fleetFacts(hostFacts('a', { p99Ms: 1 }), { ...hostFacts('b'), diskError: 'the disk probe timed out' }, hostFacts('c', { p99Ms: 2 }), hostFacts('d', { p99Ms: 3 }));
    const result = plan(inventory(hosts, { servers: 3 }), facts);
    expect([result.firstServer, ...result.joiningServers]).to.deep.equal(['a', 'c', 'd']);
    expect(result.hosts.find((h) => h.name === 'b')!.reason).to.equal('auto:slow-disk');
  });
});

describe('plan: an existing cluster', () => {
  it('never plans cluster-init where facts show etcd data; new servers join a member', () => {
    const hosts = [host('s-1', { role: 'server', init: true }), host('s-2', { role: 'server' }), host('s-3', { role: 'server' }), host('a-1', { role: 'agent' })];
    const result = plan(inventory(hosts), fleetFacts(hostFacts('s-2', { etcdData: true }), hostFacts('s-1'), hostFacts('s-3'), hostFacts('a-1')));
    expect(result.existingCluster).to.equal(true);
    expect(result.firstServer).to.equal('s-2');
    expect(result.joiningServers).to.deep.equal(['s-1', 's-3']);
    expect(result.hosts.some((h) => h.config['cluster-init'] === true)).to.equal(false);
    expect(result.hosts.every((planned) => planned.config['cluster-init'] === undefined)).to.equal(true);
    expect(result.hosts[0]!.config['server']).to.equal('https://10.0.0.2:6443');
    expect(result.warnings.map((warning) => warning.code)).to.include('existing-cluster');
  });

  it('lists further running members once, after the first server', () => {
    const result = plan(inventory(servers(3)), fleetFacts(hostFacts('s-1', { runningServer: true }), hostFacts('s-2', { etcdData: true }), hostFacts('s-3')));
    expect(result.firstServer).to.equal('s-1');
    expect(result.existingServers).to.deep.equal(['s-2']);
    expect(result.joiningServers).to.deep.equal(['s-3']);
    expect(result.steps.filter((step) => step.action === 'install-server').map((step) => step.host)).to.deep.equal(['s-1', 's-2', 's-3']);
  });

  it('refuses to treat a host with etcd data as a new agent (exit 3)', () => {
    expect(() => plan(inventory([...servers(1), host('a-1', { role: 'agent' })]), fleetFacts(hostFacts('a-1', { etcdData: true })))).to.throw(
      SafetyError,
      /a-1 has role: agent but already holds etcd data/,
    );
  });
});

describe('plan: the token stays out', () => {
  const token = 'K10supersecret::server:hunter2';
  const withToken = inventory([...servers(3), host('a-1', { role: 'agent' })], { token, tokenSource: 'inline', registrationAddress: '10.0.0.50' });

  it('is not in the plan object, its JSON or the human output', () => {
    const result = plan(withToken);
    expect(JSON.stringify(result)).not.to.contain('hunter2');
    expect(renderPlanJson(result)).not.to.contain('hunter2');
    const human = renderPlanHuman(result);
    expect(human).not.to.contain('hunter2');
    expect(human).to.contain(`token: ${TOKEN_PLACEHOLDER}`);
    expect(result.hosts.filter((planned) => planned.config['token'] === TOKEN_PLACEHOLDER)).to.have.length(4);
  });

  it('renders roles, quorum in words, config.yaml and steps for people', () => {
    const human = renderPlanHuman(plan(withToken));
    expect(human).to.contain('3 servers: quorum 2, tolerates 1 failure');
    expect(human).to.match(/1\. +s-1 .*first server \(cluster-init\)/);
    expect(human).to.match(/3\. +s-3 .*joins https:\/\/10\.0\.0\.1:6443/);
    expect(human).to.contain('Agents (in parallel, up to 10 at a time, from when s-1 is ready, alongside the server joins)');
    expect(human).to.contain('/etc/rancher/k3s/config.yaml:');
    expect(human).to.match(/#\d+ install-server:s-3 \(after #\d+\): install K3s as a server joining s-1/);
    expect(renderPlanHuman(plan(withToken), { brief: true })).not.to.contain('config.yaml');
  });
});
