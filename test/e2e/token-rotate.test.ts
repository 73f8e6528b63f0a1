// `fleet token rotate` end to end on one lab of 3 servers + 3 agents, checked from outside fleet:
// which token each host's config.yaml and each server's token file hold (fingerprints computed on
// the hosts), the key K3s's bootstrap data is under in etcd, the stand-in's own records of every
// stop, start and rotation, joins by hand with each token, and every argv seen during the runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { apiUrl, downTestLab, eventually, installK3s, journal, nodes, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { fleetBin, parseReport, runFleet, type FleetRun } from './support.js';
import { eventsSince, mostServersDownAtOnce, serverDownPeriods, type LabEvent } from './upgrade-records.js';

const SERVERS = ['h1', 'h2', 'h3'];
const AGENTS = ['h4', 'h5', 'h6'];
const ALL = [...SERVERS, ...AGENTS];
const ROLES = Object.fromEntries(ALL.map((h) => [h, SERVERS.includes(h) ? 'server' : 'agent']));
const secretOf = (token: string): string => /^K10[0-9a-f]+::server:(.+)$/.exec(token)?.[1] ?? token;
const sha = (token: string): string => createHash('sha256').update(secretOf(token)).digest('hex');

describe('e2e: fleet token rotate (3 servers + 3 agents)', function () {
  this.timeout(2_400_000);
  let lab: Lab;
  let inventory: string;
  let tokenFile: string;
  const seen: string[] = [];
  const nowSeconds = () => Date.now() / 1000;
  const stored = () => readFileSync(tokenFile, 'utf8').trim();
  const previousFiles = () => readdirSync(join(lab.dir, '.fleet', 'lab')).filter((f) => /^token\.\d{4}-\d{2}-\d{2}(-\d+)?\.previous$/.test(f));

  /** sha256 of the secret each host's config.yaml holds, and each server's token file: computed on the host. */
  const hostFingerprints = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const host of ALL) {
      out[host] = (await lab.ssh(host, `sudo sed -n 's/^token: *//p' /etc/rancher/k3s/config.yaml | tr -d '"\\n' | sed 's/^K10[0-9a-f]*::server://' | tr -d '\\n' | sha256sum | cut -c1-64`)).trim();
      if (SERVERS.includes(host)) {
        out[`${host}:token-file`] = (await lab.ssh(host, "sudo sed 's/^K10[0-9a-f]*::server://' /var/lib/rancher/k3s/server/token | tr -d '\\n' | sha256sum | cut -c1-64")).trim();
      }
    }
    return out;
  };
  const bootstrapKeys = async () => (await lab.etcdctl(['get', '--prefix', '/bootstrap/', '--keys-only'], { hosts: ['h1'] })).stdout.trim().split('\n').filter(Boolean);
  /** What a refusal must not change: binaries, config files, the bootstrap data. */
  const footprint = async () => {
    const out: Record<string, string> = {};
    for (const host of ALL) out[host] = await lab.ssh(host, 'sudo sha256sum /usr/local/bin/k3s /etc/rancher/k3s/config.yaml | cut -c1-64');
    out.bootstrap = (await lab.etcdctl(['get', '--prefix', '/bootstrap/'], { hosts: ['h1'] })).stdout;
    return out;
  };
  const settled = () =>
    eventually('every node Ready and etcd healthy', 120_000, async () => {
      const list = await nodes(lab, 'h1');
      return list.filter((n) => ALL.includes(n.name)).length === ALL.length && list.every((n) => n.ready) && (await lab.etcdctl(['endpoint', 'health'], { hosts: SERVERS })).code === 0
        ? list
        : undefined;
    });
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<FleetRun> => {
    const result = await runFleet(args, { watchArgv: true, env });
    seen.push(result.stdout, result.stderr, ...result.argvSeen);
    return result;
  };
  const rotations = (events: LabEvent[]) => events.filter((e) => e.words[0] === 'token-rotate').length;
  const expectAllOn = async (token: string) => {
    const prints = await hostFingerprints();
    for (const [where, print] of Object.entries(prints)) expect(print, where).to.equal(sha(token));
    expect(await bootstrapKeys()).to.deep.equal([`/bootstrap/${sha(token).slice(0, 12)}`]);
  };
  const killAt = async (what: string, reached: (events: LabEvent[]) => boolean) => {
    const before = stored();
    const started = nowSeconds();
    const child = spawn(process.execPath, [fleetBin, 'token', 'rotate', inventory, '--yes', '--quiet'], { stdio: 'ignore' });
    await eventually(what, 300_000, async () => (reached(await eventsSince(lab, ALL, started)) ? true : undefined));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const pending = readFileSync(`${tokenFile}.pending`, 'utf8').trim();
    expect(stored()).to.equal(before);
    expect((await runFleet(['unlock', inventory])).code).to.equal(0);
    await eventually('etcd healthy', 120_000, async () => ((await lab.etcdctl(['endpoint', 'health'], { hosts: SERVERS })).code === 0 ? true : undefined));
    return { started, pending, before };
  };

  before(async () => {
    lab = await upTestLab({ hosts: ALL.length + 2 });
    inventory = writeLabInventory(lab, 'token.yaml', ROLES);
    tokenFile = join(lab.dir, '.fleet', 'lab', 'token');
    const up = await runFleet(['up', inventory, '--json']);
    expect(up.code, up.stderr).to.equal(0);
    await settled();
    const save = await runFleet(['snapshot', 'save', inventory, '--name', 'before-rotate']);
    expect(save.code, save.stderr).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('refuses, with exit 3 and nothing changed: a malformed new token, an old token that is not the cluster’s, ${VAR} without --new-token-file, an unreachable server, lost quorum', async () => {
    const before = await footprint();
    const malformed = join(lab.dir, 'malformed-token');
    writeFileSync(malformed, 'abcdef.0123456789abcdef\n', { mode: 0o600 });
    const bad = await run(['token', 'rotate', inventory, '--yes', '--new-token-file', malformed]);
    expect(bad.code, bad.stderr).to.equal(3);
    expect(bad.stderr).to.include('bootstrap (agent join) token');

    const wrongFile = join(lab.dir, 'wrong-token');
    writeFileSync(wrongFile, `${'f'.repeat(40)}\n`, { mode: 0o600 });
    const wrongInventory = writeLabInventory(lab, 'token-wrong.yaml', ROLES, { cluster: [`  tokenFile: ${wrongFile}`] });
    const wrong = await run(['token', 'rotate', wrongInventory, '--yes']);
    expect(wrong.code, wrong.stderr).to.equal(3);
    expect(wrong.stderr).to.include('bootstrap data is encrypted with another token');

    const envInventory = writeLabInventory(lab, 'token-env.yaml', ROLES, { cluster: ['  token: ${LAB_TOKEN}'] });
    const env = await run(['token', 'rotate', envInventory, '--yes'], { LAB_TOKEN: stored() });
    expect(env.code, env.stderr).to.equal(3);
    expect(env.stderr).to.include('--new-token-file');

    await lab.crash('h3');
    try {
      const down = await run(['token', 'rotate', inventory, '--yes']);
      expect(down.code, down.stderr).to.equal(3);
      expect(down.stderr).to.include('h3 is unreachable');
    } finally {
      await lab.start('h3');
    }
    await settled();
    // Lost quorum: two servers' K3s stopped, every host still reachable.
    await lab.ssh('h2', 'sudo systemctl stop k3s');
    await lab.ssh('h3', 'sudo systemctl stop k3s');
    try {
      const noQuorum = await run(['token', 'rotate', inventory, '--yes']);
      expect(noQuorum.code, noQuorum.stderr).to.equal(3);
      expect(noQuorum.stderr).to.include('no quorum');
    } finally {
      await lab.ssh('h2', 'sudo systemctl start --no-block k3s');
      await lab.ssh('h3', 'sudo systemctl start --no-block k3s');
    }
    await settled();
    expect(await footprint()).to.deep.equal(before);
    expect(existsSync(`${tokenFile}.pending`)).to.equal(false);
  });

  it('rotates: every host on the new token, one server down at a time, the old token kept, neither token shown anywhere', async () => {
    const old = stored();
    const started = nowSeconds();
    const dry = await run(['token', 'rotate', inventory, '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include('k3s token rotate on h1');
    const rotated = await run(['token', 'rotate', inventory, '--yes', '--json', '--max-unavailable', '2']);
    expect(rotated.code, rotated.stderr).to.equal(0);
    expect(parseReport(rotated).exitCode).to.equal(0);
    const fresh = stored();
    expect(fresh).to.not.equal(old);
    expect(fresh).to.match(/^[0-9a-f]{64}$/);
    await expectAllOn(fresh);
    const events = await eventsSince(lab, ALL, started);
    expect(rotations(events)).to.equal(1);
    expect(mostServersDownAtOnce(serverDownPeriods(events, SERVERS))).to.be.at.most(1);
    const previous = previousFiles();
    expect(previous).to.have.length(1);
    expect(readFileSync(join(lab.dir, '.fleet', 'lab', previous[0]!), 'utf8').trim()).to.equal(old);
    await settled();
    // Secrets: no output, argv, log or report holds either token.
    const logs = readdirSync(join(lab.dir, '.fleet', 'lab', 'logs')).map((f) => readFileSync(join(lab.dir, '.fleet', 'lab', 'logs', f), 'utf8'));
    for (const text of [...seen, ...logs]) {
      expect(text.includes(secretOf(old)), 'old token shown').to.equal(false);
      expect(text.includes(fresh), 'new token shown').to.equal(false);
    }
  });

  it('joins a new host with fleet add-node on the new token; a join by hand with the old token is refused', async () => {
    const [spare, other] = lab.hosts.slice(ALL.length).map((h) => h.name);
    const roles = { ...ROLES, [spare!]: 'agent' };
    const grown = writeLabInventory(lab, 'token-grown.yaml', roles);
    const add = await runFleet(['add-node', grown, '--host', spare!, '--yes']);
    expect(add.code, add.stderr).to.equal(0);
    expect((await nodes(lab, 'h1')).find((n) => n.name === spare)?.ready).to.equal(true);
    const old = readFileSync(join(lab.dir, '.fleet', 'lab', previousFiles()[0]!), 'utf8').trim();
    await installK3s(lab, other!, { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: old });
    await eventually('the old token refused', 30_000, async () => ((await journal(lab, other!, 'k3s-agent')).includes('token rejected (401 Unauthorized)') ? true : undefined));
    expect((await nodes(lab, 'h1')).map((n) => n.name)).to.not.include(other);
    await lab.ssh(other!, 'sudo /usr/local/bin/k3s-agent-uninstall.sh');
    const back = await runFleet(['remove-node', grown, '--host', spare!, '--yes']);
    expect(back.code, back.stderr).to.equal(0);
  });

  it('SIGKILL right after the rotation: the re-run finishes without rotating again', async () => {
    const { started, pending } = await killAt('the rotation', (events) => rotations(events) === 1);
    const rerun = await runFleet(['token', 'rotate', inventory, '--yes', '--json']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(stored()).to.equal(pending);
    await expectAllOn(pending);
    expect(rotations(await eventsSince(lab, ALL, started))).to.equal(1);
  });

  it('SIGKILL mid-servers: the re-run restarts only the servers not done, rotated once', async () => {
    const { started, pending } = await killAt('a second server restarted', (events) => events.filter((e) => e.words[0] === 'ready' && e.words[1] === 'k3s').length >= 2);
    const done = new Set((await eventsSince(lab, ALL, started)).filter((e) => e.words[0] === 'ready' && e.words[1] === 'k3s').map((e) => e.host));
    const rerunStarted = nowSeconds();
    const rerun = await runFleet(['token', 'rotate', inventory, '--yes', '--json']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    const again = (await eventsSince(lab, ALL, rerunStarted)).filter((e) => e.words[0] === 'stopped').map((e) => e.host);
    for (const host of done) expect(again, `${host} restarted again`).to.not.include(host);
    await expectAllOn(pending);
    expect(rotations(await eventsSince(lab, ALL, started))).to.equal(1);
  });

  it('SIGKILL mid-agents: the re-run restarts only the agents not done, rotated once', async () => {
    const { started, pending } = await killAt('an agent restarted', (events) => events.some((e) => e.words[0] === 'ready' && e.words[1] === 'k3s-agent'));
    const rerunStarted = nowSeconds();
    const rerun = await runFleet(['token', 'rotate', inventory, '--yes', '--json']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    const again = (await eventsSince(lab, ALL, rerunStarted)).filter((e) => e.words[0] === 'stopped').map((e) => e.host);
    for (const server of SERVERS) expect(again).to.not.include(server);
    await expectAllOn(pending);
    expect(rotations(await eventsSince(lab, ALL, started))).to.equal(1);
    await settled();
  });

  it('restores a snapshot taken before the rotations with the token fleet kept, and says which token each snapshot needs', async () => {
    const list = await runFleet(['snapshot', 'list', inventory, '--json']);
    expect(list.code, list.stderr).to.equal(0);
    const before = (JSON.parse(list.stdout) as { snapshots: Array<{ name: string; where: string; tokenFingerprint?: string; tokenKeptIn?: string }> }).snapshots.find(
      (s) => s.where === 'controller' && s.name.startsWith('before-rotate'),
    )!;
    expect(before.tokenKeptIn).to.match(/token\.\d{4}-\d{2}-\d{2}(-\d+)?\.previous$/);
    const original = readFileSync(before.tokenKeptIn!, 'utf8').trim();
    expect(`sha256:${sha(original)}`).to.equal(before.tokenFingerprint);
    expect((await runFleet(['snapshot', 'list', inventory])).stdout).to.include(`${before.name}: ${before.tokenFingerprint!.slice(0, 19)}… kept in`);
    const restore = await runFleet(['snapshot', 'restore', inventory, before.name, '--yes']);
    expect(restore.code, restore.stderr).to.equal(0);
    await settled();
    await expectAllOn(original);
    expect(stored()).to.equal(original);
  });
});
