// cluster.registries end to end on one lab of 3 servers + 2 agents, checked on the hosts: the file
// and its mode on every node (as root), what each node's K3s loaded at start (the stand-in's
// record), the stand-in's stop/ready records for the restart order, and every output, log file
// and argv seen during the runs for the registry password.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { downTestLab, eventually, nodes, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { parseReport, runFleet, type FleetRun } from './support.js';
import { eventsSince, mostServersDownAtOnce, serverDownPeriods } from './upgrade-records.js';

const SERVERS = ['h1', 'h2', 'h3'];
const AGENTS = ['h4', 'h5'];
const ALL = [...SERVERS, ...AGENTS];
const ROLES = Object.fromEntries(ALL.map((h) => [h, SERVERS.includes(h) ? 'server' : 'agent']));
const PASSWORD = 'e2e-registry-pass-7Hq2';
const FILE = '/etc/rancher/k3s/registries.yaml';

const registries = (endpoint: string) => [
  '  registries:',
  '    mirrors:',
  `      docker.io: { endpoint: ["${endpoint}"] }`,
  '    configs:',
  '      "mirror.lab:5000":',
  '        auth: { username: lab, password: "${REG_PASSWORD}" }',
];

describe('e2e: cluster.registries (3 servers + 2 agents)', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  const seen: string[] = [];
  const run = async (file: string): Promise<FleetRun> => {
    const result = await runFleet(['up', join(lab.dir, file), '--json'], { watchArgv: true, env: { REG_PASSWORD: PASSWORD } });
    seen.push(result.stdout, result.stderr, ...result.argvSeen);
    return result;
  };
  const inventory = (file: string, endpoint?: string) => writeLabInventory(lab, file, ROLES, endpoint ? { cluster: registries(endpoint) } : {}) && file;
  const onHosts = async () => {
    const out: Record<string, { mode: string; text: string; loaded: string[] }> = {};
    for (const host of ALL) {
      const mode = (await lab.sshExec(host, `sudo stat -c %a ${FILE}`)).stdout.trim();
      const text = (await lab.sshExec(host, `sudo cat ${FILE}`)).stdout;
      const state = JSON.parse(await lab.ssh(host, 'sudo cat /var/lib/rancher/k3s/agent/standin-registries.json')) as { mirrors: Record<string, string[]> };
      out[host] = { mode, text, loaded: state.mirrors['docker.io'] ?? [] };
    }
    return out;
  };
  const settled = () =>
    eventually('every node Ready', 120_000, async () => {
      const list = await nodes(lab, 'h1');
      return list.length === ALL.length && list.every((n) => n.ready) ? list : undefined;
    });

  before(async () => {
    lab = await upTestLab({ hosts: ALL.length });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('fleet up leaves registries.yaml 0600 on every node, loaded by K3s at start', async () => {
    const up = await run(inventory('a.yaml', 'https://mirror.lab:5000'));
    expect(up.code, up.stderr).to.equal(0);
    await settled();
    for (const [host, file] of Object.entries(await onHosts())) {
      expect(file.mode, host).to.equal('600');
      expect(file.text, host).to.include('https://mirror.lab:5000').and.include(PASSWORD);
      expect(file.loaded, host).to.deep.equal(['https://mirror.lab:5000']);
    }
  });

  it('a re-run changes nothing and restarts nothing', async () => {
    const since = Date.now() / 1000;
    const again = await run('a.yaml');
    expect(again.code, again.stderr).to.equal(0);
    expect(parseReport(again).changed).to.equal(false);
    const events = await eventsSince(lab, ALL, since);
    expect(events.filter((e) => ['stopped', 'ready', 'registries'].includes(e.words[0]!))).to.deep.equal([]);
  });

  it('a changed mirror restarts every node with the new file, never two servers down at once', async () => {
    const since = Date.now() / 1000;
    const up = await run(inventory('b.yaml', 'https://other-mirror.lab'));
    expect(up.code, up.stderr).to.equal(0);
    await settled();
    for (const [host, file] of Object.entries(await onHosts())) {
      expect(file.mode, host).to.equal('600');
      expect(file.loaded, host).to.deep.equal(['https://other-mirror.lab']);
    }
    const events = await eventsSince(lab, ALL, since);
    const downs = serverDownPeriods(events, SERVERS);
    expect(downs.map((d) => d.host).sort()).to.deep.equal(SERVERS);
    expect(mostServersDownAtOnce(downs)).to.equal(1);
    expect(
      events
        .filter((e) => e.words[0] === 'registries')
        .map((e) => e.words[1])
        .sort(),
    ).to.deep.equal(ALL);
  });

  it('a malformed block is refused before connecting (file:line path), nothing changes', async () => {
    const before = await onHosts();
    const path = writeLabInventory(lab, 'bad.yaml', ROLES, { cluster: ['  registries:', '    mirrors:', '      docker.io: { endpoint: not-a-url }'] });
    const bad = await run('bad.yaml');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+ cluster\\.registries\\.mirrors\\["docker\\.io"\\]\\.endpoint`));
    expect(await onHosts()).to.deep.equal(before);
  });

  it('registries removed from the inventory: fleet removes its file everywhere', async () => {
    const up = await run(inventory('c.yaml'));
    expect(up.code, up.stderr).to.equal(0);
    for (const host of ALL) expect((await lab.sshExec(host, `sudo test -e ${FILE}`)).code, host).to.equal(1);
  });

  it('the registry password was in no output, no run log and no argv', () => {
    const logs = join(lab.dir, '.fleet', 'lab', 'logs');
    const logText = readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8'));
    for (const text of [...seen, ...logText]) expect(text).to.not.include(PASSWORD);
  });
});
