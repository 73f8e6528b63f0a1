// Bad input and trust, end to end on the lab: hostile free-text values (flag values, the token,
// local paths) reach the hosts as data and run nothing; hashed known_hosts work; the token stays
// out of every output, log, report and argv even in a failing, trace-logged run; missing local
// files are exit 2 naming the path.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Lab } from '../lab/lab.js';
import { standinBinary, standinInstallScript } from '../lab/paths.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { parseReport, runFleet, type FleetRun } from './support.js';

/** Each would create a /tmp/pwned* file if any shell ever evaluated it. */
const HOSTILE_VALUES = ['$(touch /tmp/pwned-dollar)', '`touch /tmp/pwned-backtick`', "x'; touch /tmp/pwned-single; '", 'x"; touch /tmp/pwned-double; "', 'a=b|c;d&e<f>g*?[h]{i}~#!\\ $HOME'];
const HOSTILE_TOKEN = 'T0k\'"`touch${IFS}/tmp/pwned-token`$(touch${IFS}/tmp/pwned-token);|&';
/** A directory path whose components are shell commands: install files, keys and the inventory live in it. */
const HOSTILE_DIR_PARTS = ['a$(touch ', 'tmp', 'pwned-path)`touch ', 'tmp', 'pwned-path2`\'"b'];
const PWNED = /pwned/;

const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

describe('e2e security: hostile input, host keys and secrets on the lab', function () {
  this.timeout(600_000);
  let lab: Lab;
  let dir: string;
  let inventory: string;
  let first: FleetRun;

  const inventoryText = (extraHosts: string[] = [], knownHosts = join(dir, 'known_hosts')) => {
    const host = (name: string) => lab.host(name).address;
    return [
      'cluster:',
      '  name: sec',
      '  k3s: { version: v1.31.4+k3s1 }',
      `  tokenFile: ${JSON.stringify(join(dir, 'token'))}`,
      `  install: { script: ${JSON.stringify(join(dir, 'install.sh'))}, binary: ${JSON.stringify(join(dir, 'k3s'))} }`,
      '  disk: { maxFsyncP99Ms: 1000 }',
      `  config: { kube-apiserver-arg: ${list(HOSTILE_VALUES)} }`,
      `  agentConfig: { kubelet-arg: ${list(HOSTILE_VALUES)} }`,
      'defaults:',
      `  ssh: { user: fleet, identityFile: ${JSON.stringify(join(dir, 'id_ed25519'))}, knownHostsFile: ${JSON.stringify(knownHosts)} }`,
      'hosts:',
      `  - { name: h1, address: ${host('h1')}, role: server, config: { etcd-arg: ${list(HOSTILE_VALUES)} } }`,
      `  - { name: h2, address: ${host('h2')}, role: agent, config: { kube-proxy-arg: ${list(HOSTILE_VALUES)} } }`,
      `  - { name: h3, address: ${host('h3')}, role: agent }`,
      ...extraHosts,
      '',
    ].join('\n');
  };

  const pwnedOnMachine = () => readdirSync('/tmp').filter((name) => PWNED.test(name) && name.startsWith('pwned'));

  before(async () => {
    for (const name of pwnedOnMachine()) rmSync(join('/tmp', name), { force: true });
    lab = await upTestLab({ hosts: 3 });
    dir = join(lab.dir, ...HOSTILE_DIR_PARTS);
    mkdirSync(dir, { recursive: true });
    copyFileSync(standinInstallScript(), join(dir, 'install.sh'));
    copyFileSync(standinBinary(), join(dir, 'k3s'));
    copyFileSync(lab.hosts[0]!.identityFile, join(dir, 'id_ed25519'));
    chmodSync(join(dir, 'id_ed25519'), 0o600);
    copyFileSync(lab.hosts[0]!.knownHostsFile, join(dir, 'known_hosts'));
    writeFileSync(join(dir, 'token'), `${HOSTILE_TOKEN}\n`, { mode: 0o600 });
    inventory = join(dir, 'inventory.yaml');
    writeFileSync(inventory, inventoryText());
    first = await runFleet(['up', inventory, '--json'], { watchArgv: true });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('installs with $(…), backticks, quotes and metacharacters in flag values, the token and every local path', () => {
    const report = parseReport(first);
    expect(first.code, first.stderr).to.equal(0);
    expect(report.hosts.map((h) => [h.name, h.outcome])).to.deep.equal([
      ['h1', 'changed'],
      ['h2', 'changed'],
      ['h3', 'changed'],
    ]);
  });

  it('ran none of them: no /tmp/pwned* on any host or on this machine', async () => {
    expect(pwnedOnMachine()).to.deep.equal([]);
    for (const name of ['h1', 'h2', 'h3']) {
      expect(await lab.ssh(name, 'ls /tmp'), name).to.not.match(PWNED);
    }
  });

  it('delivered every value verbatim into config.yaml (0600) on the hosts', async () => {
    const config = async (name: string) => parse(await lab.ssh(name, 'sudo cat /etc/rancher/k3s/config.yaml')) as Record<string, unknown>;
    const server = await config('h1');
    expect(server['kube-apiserver-arg']).to.deep.equal(HOSTILE_VALUES);
    expect(server['etcd-arg']).to.deep.equal(HOSTILE_VALUES);
    expect(server['token']).to.equal(HOSTILE_TOKEN);
    const agent = await config('h2');
    expect(agent['kubelet-arg']).to.deep.equal(HOSTILE_VALUES);
    expect(agent['kube-proxy-arg']).to.deep.equal(HOSTILE_VALUES);
    expect(agent['token']).to.equal(HOSTILE_TOKEN);
    expect((await config('h3'))['kube-proxy-arg']).to.equal(undefined);
    for (const name of ['h1', 'h2', 'h3']) expect((await lab.ssh(name, 'sudo stat -c %a /etc/rancher/k3s/config.yaml')).trim(), name).to.equal('600');
    expect(statSync(join(dir, '.fleet', 'sec', 'kubeconfig')).mode & 0o777).to.equal(0o600);
  });

  it('kept the token out of every argv on this machine and the hosts, and out of output and logs', () => {
    expect(first.argvSeen.size).to.be.greaterThan(20);
    for (const argv of first.argvSeen) expect(argv).to.not.include(HOSTILE_TOKEN);
    expect(first.stdout + first.stderr).to.not.include(HOSTILE_TOKEN);
  });

  it('reads hostile values back as the same data: a second run changes nothing', async () => {
    const run = await runFleet(['up', inventory, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expect(parseReport(run).changed).to.equal(false);
  });

  it('understands a known_hosts file hashed with ssh-keygen -H', async () => {
    const hashed = join(lab.dir, 'known_hosts.hashed');
    copyFileSync(lab.hosts[0]!.knownHostsFile, hashed);
    const hashing = spawnSync('ssh-keygen', ['-H', '-f', hashed], { encoding: 'utf8' });
    expect(hashing.status, hashing.stderr).to.equal(0);
    const text = readFileSync(hashed, 'utf8');
    expect(text).to.match(/^\|1\|/m);
    expect(text).to.not.include(lab.host('h1').address);
    const file = join(lab.dir, 'hashed.yaml');
    writeFileSync(file, inventoryText([], hashed));
    const run = await runFleet(['plan', file, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout).hosts.map((h: { name: string }) => h.name)).to.deep.equal(['h1', 'h2', 'h3']);
  });

  it('keeps the token out of a failing run logged at trace level: output, JSON report, errors, logs, argv', async () => {
    const gone = `${lab.network}.99`;
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, inventoryText([`  - { name: h9, address: ${gone}, role: agent }`]));
    // The lab's known_hosts has no key for h9: accept-new lets fleet get as far as connecting.
    const runs = [
      await runFleet(['up', failing, '--json', '--log-level', 'trace', '--accept-new-host-keys', '--connect-timeout', '2'], { watchArgv: true }),
      await runFleet(['up', failing, '--verbose', '--log-level', 'trace', '--accept-new-host-keys', '--connect-timeout', '2'], { watchArgv: true }),
    ];
    const report = parseReport(runs[0]!);
    expect(runs[0]!.code).to.equal(1);
    expect(runs[1]!.code).to.equal(1);
    expect(report.hosts.find((h) => h.name === 'h9')!.outcome).to.equal('failed');
    expect(runs[1]!.stderr).to.match(/h9/);
    for (const run of runs) {
      expect(run.stdout + run.stderr).to.not.include(HOSTILE_TOKEN);
      for (const argv of run.argvSeen) expect(argv).to.not.include(HOSTILE_TOKEN);
    }
    const logs = join(dir, '.fleet', 'sec', 'logs');
    const files = readdirSync(logs);
    expect(files.length).to.be.at.least(4);
    const logText = files.map((name) => readFileSync(join(logs, name), 'utf8')).join('\n');
    expect(logText).to.match(/"exitCode":1,.*"fleet up finished"/);
    expect(logText).to.not.include(HOSTILE_TOKEN);
  });

  it('refuses a missing identity file at connect time with exit 2, naming the path', async () => {
    const file = join(lab.dir, 'no-key.yaml');
    const missing = join(lab.dir, 'no-such-key');
    writeFileSync(file, inventoryText().replace(JSON.stringify(join(dir, 'id_ed25519')), JSON.stringify(missing)));
    const run = await runFleet(['up', file]);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include(`SSH identity file ${missing} does not exist`);
  });

  it('refuses an unreadable token file and a missing install binary with exit 2, naming the path', async () => {
    const tokenDir = join(lab.dir, 'token-is-a-dir');
    mkdirSync(tokenDir, { recursive: true });
    const badToken = join(lab.dir, 'bad-token.yaml');
    writeFileSync(badToken, inventoryText().replace(JSON.stringify(join(dir, 'token')), JSON.stringify(tokenDir)));
    const tokenRun = await runFleet(['up', badToken]);
    expect(tokenRun.code).to.equal(2);
    expect(tokenRun.stderr).to.match(/cluster\.tokenFile: token file .*token-is-a-dir is not a regular file/);
    const missingBinary = join(lab.dir, 'no-such-k3s');
    const badBinary = join(lab.dir, 'bad-binary.yaml');
    writeFileSync(badBinary, inventoryText().replace(JSON.stringify(join(dir, 'k3s')), JSON.stringify(missingBinary)));
    const binaryRun = await runFleet(['up', badBinary]);
    expect(binaryRun.code).to.equal(2);
    expect(binaryRun.stderr).to.include(`cluster.install.binary: cannot read ${missingBinary}: ENOENT`);
  });
});
