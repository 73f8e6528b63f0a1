// The stand-in's `k3s token rotate` checked by hand on 3 servers and an agent, the way a user
// would: etcdctl on the bootstrap keys, files on the hosts, journals, and joins with each token.
// K3s: bootstrap data at /bootstrap/<sha256(token)[:12]>, encrypted with the token; rotation
// re-encrypts it; a server restarted with the old token fails with "bootstrap data already found
// and encrypted with different token"; k3s#12982: before the fix a malformed new token is saved.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import { standinBinary } from './paths.js';
import { apiUrl, downTestLab, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';
import { versionBinary } from './versions.js';

const DB = '/var/lib/rancher/k3s/server/db';
const OLD = 'old-lab-secret';
const NEW = 'new-lab-secret';
const MALFORMED = 'abcdef.0123456789abcdef'; // what `k3s token generate` prints: an agent bootstrap token
const keyOf = (secret: string): string => `/bootstrap/${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;

/** A copy of the stand-in baked as `version` (like test/lab/versions.ts), for a release the lab does not carry. */
function bakedStandin(version: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-standin-')), 'k3s');
  writeFileSync(file, readFileSync(standinBinary(), 'utf8').replace("BAKED_VERSION = ''", `BAKED_VERSION = '${version}'`), { mode: 0o755 });
  return file;
}

describe('k3s stand-in: token rotate', function () {
  this.timeout(400000);
  let lab: Lab;
  let fullOld: string;
  let snapshot: string;

  const bootstrap = async (): Promise<Record<string, string>> => {
    const out = (await lab.etcdctl(['get', '--prefix', '/bootstrap/'], { hosts: ['h1'] })).stdout.trim().split('\n');
    const pairs: Record<string, string> = {};
    for (let i = 0; i + 1 < out.length; i += 2) pairs[out[i]!] = out[i + 1]!;
    return pairs;
  };
  const rotate = (host: string, args: string): ReturnType<Lab['sshExec']> => lab.sshExec(host, `sudo k3s token rotate ${args}`, { timeoutMs: 60000 });
  const setConfigToken = (host: string, secret: string): Promise<string> =>
    lab.ssh(host, `sudo mkdir -p /etc/rancher/k3s && printf 'token: ${secret}\\n' | sudo tee /etc/rancher/k3s/config.yaml >/dev/null`);
  const restart = (host: string, unit = 'k3s'): ReturnType<Lab['sshExec']> => lab.sshExec(host, `sudo systemctl restart ${unit}`, { timeoutMs: 120000 });
  const sinceLastStart = async (host: string, unit = 'k3s'): Promise<string> => (await journal(lab, host, unit)).split('Starting k3s').pop()!;

  before(async () => {
    lab = await upTestLab({ hosts: 5 });
    expect((await installK3s(lab, 'h1', { INSTALL_K3S_EXEC: 'server --cluster-init', K3S_TOKEN: OLD })).code).to.equal(0);
    fullOld = await serverToken(lab, 'h1');
    for (const host of ['h2', 'h3']) {
      const join = await installK3s(lab, host, { INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}`, K3S_TOKEN: fullOld });
      expect(join.code, join.stderr).to.equal(0);
    }
    expect((await installK3s(lab, 'h4', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: fullOld })).code).to.equal(0);
    for (const host of ['h1', 'h2', 'h3']) await setConfigToken(host, OLD);
    expect((await lab.sshExec('h1', 'sudo k3s etcd-snapshot save --name before-rotate')).code).to.equal(0);
    snapshot = `${DB}/snapshots/${(await lab.ssh('h1', `sudo ls ${DB}/snapshots`)).trim()}`;
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('keeps the bootstrap data under the token’s key, encrypted (no CA key in clear)', async () => {
    const data = await bootstrap();
    expect(Object.keys(data)).to.deep.equal([keyOf(OLD)]);
    expect(data[keyOf(OLD)]).not.to.include('BEGIN');
    expect(data[keyOf(OLD)]).not.to.include('caCert');
  });

  it('refuses a wrong old token (401) and changes nothing', async () => {
    const before = await bootstrap();
    const wrong = await rotate('h1', `--token not-the-token --new-token ${NEW}`);
    expect(wrong.code).to.equal(1);
    expect(wrong.stdout).to.include('WARNING: Recommended to keep a record of the old token.');
    expect(wrong.stderr).to.match(/level=fatal msg="https:\/\/[\d.]+:6443\/v1-k3s\/token: 401 Unauthorized"/);
    expect(await bootstrap()).to.deep.equal(before);
  });

  it('on v1.31.4 saves a malformed new token before refusing it (k3s#12982): the server then fails to restart', async () => {
    const before = await bootstrap();
    const bad = await rotate('h3', `--token ${fullOld} --new-token ${MALFORMED}`);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/v1-k3s\/token: 500 token error ID \d+"/);
    expect(await journal(lab, 'h3')).to.match(/level=error msg="token error ID \d+: failed to normalize server token; must be in format K10<CA-HASH>::<USERNAME>:<PASSWORD> or <PASSWORD>"/);
    expect(await bootstrap()).to.deep.equal(before);
    expect(await lab.ssh('h3', 'sudo cat /var/lib/rancher/k3s/server/token')).to.include(`::server:${MALFORMED}`);

    expect((await restart('h3')).code).not.to.equal(0);
    expect(await sinceLastStart('h3')).to.include(
      'level=fatal msg="/var/lib/rancher/k3s/server/cred/passwd newer than datastore and could cause a cluster outage. Remove the file(s) from disk and restart to be recreated from datastore."',
    );
    // K3s's own way out, as its message says.
    await lab.ssh('h3', 'sudo rm /var/lib/rancher/k3s/server/cred/passwd');
    const recovered = await restart('h3');
    expect(recovered.code, await sinceLastStart('h3')).to.equal(0);
    expect(await lab.ssh('h3', 'sudo cat /var/lib/rancher/k3s/server/token')).to.include(`::server:${OLD}`);
  });

  it('rotates: the bootstrap data re-encrypted under the new token, the old key gone', async () => {
    const rotated = await rotate('h1', `--token ${fullOld} --new-token ${NEW}`);
    expect(rotated.code, rotated.stderr).to.equal(0);
    expect(rotated.stdout).to.include('WARNING: Recommended to keep a record of the old token. If restoring from a snapshot, you must use the token associated with that snapshot.');
    expect(rotated.stdout).to.include('Token rotated, restart k3s nodes with new token');
    const data = await bootstrap();
    expect(Object.keys(data)).to.deep.equal([keyOf(NEW)]);
    expect(data[keyOf(NEW)]).not.to.include('BEGIN');
    expect(await lab.ssh('h1', 'sudo cat /var/lib/rancher/k3s/server/token')).to.match(new RegExp(`^K10[0-9a-f]{64}::server:${NEW}\\n$`));
    expect(await lab.ssh('h1', 'cat /var/log/k3s-standin/events.log')).to.match(/ token-rotate h1$/m);
    // Rotating again with the old token: it no longer opens anything.
    const again = await rotate('h1', `--token ${OLD} --new-token other`);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('401 Unauthorized');
  });

  it('refuses the old token for a new join, while the running agent keeps reporting Ready', async () => {
    // An agent's unit is Type=exec (as install.sh writes it): the start returns before it registers.
    await installK3s(lab, 'h5', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: fullOld });
    await eventually('the agent refused', 30000, async () => ((await journal(lab, 'h5', 'k3s-agent')).includes('token rejected (401 Unauthorized)') ? true : undefined));
    expect((await nodes(lab, 'h1')).map((n) => n.name)).not.to.include('h5');
    await lab.ssh('h5', 'sudo /usr/local/bin/k3s-agent-uninstall.sh');
    const h4 = (await nodes(lab, 'h1')).find((n) => n.name === 'h4');
    expect(h4?.ready).to.equal(true);
  });

  it('refuses to restart a server still configured with the old token, with K3s’s message', async () => {
    expect((await restart('h2')).code).not.to.equal(0);
    expect(await sinceLastStart('h2')).to.include('level=fatal msg="starting kubernetes: preparing server: bootstrap data already found and encrypted with different token"');
    await setConfigToken('h2', NEW);
    const fixed = await restart('h2');
    expect(fixed.code, await sinceLastStart('h2')).to.equal(0);
  });

  it('starts every server and the agent with the new token; the agent refused with the old one', async () => {
    for (const host of ['h3', 'h1']) {
      await setConfigToken(host, NEW);
      expect((await restart(host)).code, await sinceLastStart(host)).to.equal(0);
    }
    await restart('h4', 'k3s-agent');
    await eventually('the agent refused', 30000, async () => ((await sinceLastStart('h4', 'k3s-agent')).includes('token rejected (401 Unauthorized)') ? true : undefined));
    await lab.ssh('h4', `sudo sed -i 's/^K3S_TOKEN=.*/K3S_TOKEN=${NEW}/' /etc/systemd/system/k3s-agent.service.env`);
    expect((await restart('h4', 'k3s-agent')).code).to.equal(0);
    await eventually('the agent registered', 30000, async () => ((await sinceLastStart('h4', 'k3s-agent')).includes('Agent registered with') ? true : undefined));
    await eventually('4 Ready nodes', 30000, async () => {
      const list = await nodes(lab, 'h2');
      return list.length === 4 && list.every((n) => n.ready) ? true : undefined;
    });
  });

  it('joins a new agent with the new token', async () => {
    const join = await installK3s(lab, 'h5', { K3S_URL: apiUrl(lab, 'h2'), K3S_TOKEN: await serverToken(lab, 'h2') });
    expect(join.code, join.stderr).to.equal(0);
    await eventually('h5 Ready', 30000, async () => ((await nodes(lab, 'h2')).find((n) => n.name === 'h5')?.ready ? true : undefined));
    await lab.ssh('h5', 'sudo /usr/local/bin/k3s-agent-uninstall.sh');
  });

  it('restores a snapshot taken before the rotation only with the old token', async () => {
    const copy = await lab.ssh('h1', `sudo base64 -w0 ${snapshot}`);
    await lab.ssh('h5', 'base64 -d | sudo tee /root/restore.db >/dev/null', { input: Buffer.from(copy) });
    await lab.upload('h5', standinBinary(), '/usr/local/bin/k3s');
    const reset = (): ReturnType<Lab['sshExec']> => lab.sshExec('h5', 'sudo k3s server --cluster-reset --cluster-reset-restore-path=/root/restore.db', { timeoutMs: 120000 });
    await setConfigToken('h5', NEW);
    const withNew = await reset();
    expect(withNew.code).to.equal(1);
    expect(withNew.stderr).to.include('bootstrap data already found and encrypted with different token');
    await lab.ssh('h5', `sudo rm -rf ${DB}`);
    await setConfigToken('h5', OLD);
    const withOld = await reset();
    expect(withOld.code, withOld.stderr).to.equal(0);
    await lab.ssh('h5', `sudo rm -rf ${DB} /etc/rancher/k3s`);
  });

  it('has no `token rotate` before the October 2023 releases (v1.21.14 here)', async () => {
    await lab.upload('h5', versionBinary(lab.dir, 'v1.21.14+k3s1'), '/usr/local/bin/k3s');
    const old = await lab.sshExec('h5', `sudo k3s token rotate --token ${OLD} --new-token ${NEW}`);
    expect(old.code).to.equal(3);
    expect(old.stderr).to.include("No help topic for 'rotate'");
  });

  it('on a release with the k3s#12982 fix (v1.32.10) refuses a malformed new token before saving anything', async () => {
    const install = await installK3s(lab, 'h5', { INSTALL_K3S_EXEC: 'server', K3S_TOKEN: 'solo-secret' }, bakedStandin('v1.32.10+k3s1'));
    expect(install.code, install.stderr).to.equal(0);
    const tokenBefore = await serverToken(lab, 'h5');
    const bad = await rotate('h5', `--token solo-secret --new-token ${MALFORMED}`);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/500 token error ID \d+/);
    expect(await journal(lab, 'h5')).to.include('failed to normalize server token');
    expect(await serverToken(lab, 'h5')).to.equal(tokenBefore);
    expect((await restart('h5')).code, await sinceLastStart('h5')).to.equal(0);
  });
});
