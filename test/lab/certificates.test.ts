// The stand-in's certificates checked by hand, the way a user would: openssl on the hosts' files
// and against :6443, `k3s certificate check|rotate`, journals. K3s: leaf certificates valid 365
// days, renewed at start (same key) when expired or within the window (90 days before the May 2025
// releases); `certificate rotate` deletes the files (backed up to tls-<unix time>) and the next start
// issues new ones with new keys; it does not refuse while K3s runs, but the next start then fails
// once on the missing files (k3s#11347). The lab sets the first certificates' validity per host.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, eventually, installK3s, journal, serverToken, upTestLab } from './support.js';

const TLS = '/var/lib/rancher/k3s/server/tls';
const AGENT = '/var/lib/rancher/k3s/agent';
const DAY = 86400000;

/** notAfter of a certificate file on a host, by openssl there. */
async function notAfter(lab: Lab, host: string, file: string): Promise<number> {
  const out = await lab.ssh(host, `sudo openssl x509 -in ${file} -noout -enddate -dateopt iso_8601`);
  return Date.parse(out.trim().replace('notAfter=', '').replace(' ', 'T'));
}

const publicKey = (lab: Lab, host: string, file: string): Promise<string> => lab.ssh(host, `sudo openssl x509 -in ${file} -noout -pubkey`);

const run = (command: string, args: string[]): Promise<string> => new Promise((resolve) => execFile(command, args, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)));

/** openssl s_client to HOST:6443 verifying against the cluster CA: the verify result line. */
async function tlsVerify(lab: Lab, host: string, caFile: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `${lab.host(host).address}:6443`, '-CAfile', caFile, '-verify_return_error', '-brief'], { timeout: 20000 }, (_error, stdout, stderr) =>
      resolve(`${stdout}\n${stderr}`),
    );
    child.stdin?.end();
  });
}

describe('k3s stand-in: certificates', function () {
  this.timeout(400000);
  let lab: Lab;
  let caFile: string;
  const started = Date.now();
  const restart = (host: string, unit = 'k3s'): ReturnType<Lab['sshExec']> => lab.sshExec(host, `sudo systemctl restart ${unit}`, { timeoutMs: 120000 });

  before(async () => {
    // h1: 20 days left; h2: a server whose certificates expired yesterday; h3: an agent, 20 days.
    lab = await upTestLab({ hosts: 3, certDays: { h1: 20, h2: -1, h3: 20 } });
    expect((await installK3s(lab, 'h1', { INSTALL_K3S_EXEC: 'server --cluster-init', K3S_TOKEN: 'lab-secret' })).code).to.equal(0);
    const token = await serverToken(lab, 'h1');
    const joined = await installK3s(lab, 'h2', { INSTALL_K3S_EXEC: `server --server ${apiUrl(lab, 'h1')}`, K3S_TOKEN: token });
    expect(joined.code, joined.stderr).to.equal(0);
    expect((await installK3s(lab, 'h3', { K3S_URL: apiUrl(lab, 'h1'), K3S_TOKEN: token })).code).to.equal(0);
    caFile = join(mkdtempSync(join(tmpdir(), 'fleet-ca-')), 'server-ca.crt');
    writeFileSync(caFile, await lab.ssh('h1', `sudo cat ${TLS}/server-ca.crt`));
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('issues the first certificates with the validity the lab set per host, signed by the cluster CA', async () => {
    for (const file of [`${TLS}/serving-kube-apiserver.crt`, `${TLS}/client-admin.crt`, `${AGENT}/client-kubelet.crt`]) {
      expect((await notAfter(lab, 'h1', file)) - started).to.be.within(19.9 * DAY, 20.1 * DAY);
    }
    expect((await notAfter(lab, 'h3', `${AGENT}/client-kubelet.crt`)) - started).to.be.within(19.9 * DAY, 20.1 * DAY);
    expect(await notAfter(lab, 'h2', `${TLS}/serving-kube-apiserver.crt`)).to.be.below(Date.now());
    const agentCert = join(dirname(caFile), 'h3-client-kubelet.crt');
    writeFileSync(agentCert, await lab.ssh('h3', `sudo cat ${AGENT}/client-kubelet.crt`));
    expect(await run('openssl', ['verify', '-CAfile', caFile, agentCert])).to.include(': OK');
    // The CA: ten years, the same on every server.
    expect((await notAfter(lab, 'h1', `${TLS}/server-ca.crt`)) - started).to.be.above(3640 * DAY);
    expect(await lab.ssh('h2', `sudo cat ${TLS}/server-ca.crt`)).to.equal(await lab.ssh('h1', `sudo cat ${TLS}/server-ca.crt`));
  });

  it('puts the admin client certificate into k3s.yaml', async () => {
    const kubeconfig = await lab.ssh('h1', 'sudo cat /etc/rancher/k3s/k3s.yaml');
    const data = /client-certificate-data: (\S+)/.exec(kubeconfig)?.[1];
    expect(Buffer.from(data!, 'base64').toString()).to.equal(await lab.ssh('h1', `sudo cat ${TLS}/client-admin.crt`));
  });

  it('serves 6443 with a certificate a verifying client accepts, and refuses TLS with an expired one', async () => {
    expect(await tlsVerify(lab, 'h1', caFile)).to.match(/Verification: OK/);
    expect(await tlsVerify(lab, 'h2', caFile)).to.match(/certificate has expired/);
  });

  it('`k3s certificate check` (v1.31.4: paths, full subjects, a 90-day window) on a server and an agent', async () => {
    const h1 = await lab.sshExec('h1', 'sudo k3s certificate check');
    expect(h1.code).to.equal(0);
    expect(h1.stderr).to.include('msg="Server detected, checking agent and server certificates"');
    expect(h1.stderr).to.match(
      /level=warning msg="\/var\/lib\/rancher\/k3s\/server\/tls\/serving-kube-apiserver\.crt: certificate CN=kube-apiserver will expire within 90 days at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/,
    );
    expect(h1.stderr).to.match(/level=info msg="\/var\/lib\/rancher\/k3s\/server\/tls\/client-admin\.crt: certificate CN=k3s-server-ca@\d+ is ok, expires at /);
    const h2 = await lab.sshExec('h2', 'sudo k3s certificate check');
    expect(h2.stderr).to.match(/level=error msg="\/var\/lib\/rancher\/k3s\/server\/tls\/serving-kube-apiserver\.crt: certificate CN=kube-apiserver expired at /);
    const h3 = await lab.sshExec('h3', 'sudo k3s certificate check');
    expect(h3.stderr).to.include('Agent detected, checking agent certificates');
    expect(h3.stderr).to.include('/var/lib/rancher/k3s/agent/client-kubelet.crt: certificate CN=system:node:h3,O=system:nodes will expire within 90 days');
    expect(h3.stderr).not.to.include('/server/tls/');
    // `--output table` came with the January 2025 releases: v1.31.4 has no such flag.
    const table = await lab.sshExec('h1', 'sudo k3s certificate check --output table');
    expect(table.code).to.equal(1);
    expect(table.stderr).to.include('flag provided but not defined: -output');
  });

  it('renews at start the certificates inside the window, keeping their keys; the CA stays', async () => {
    const key = await publicKey(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`);
    const ca = await lab.ssh('h1', `sudo cat ${TLS}/server-ca.crt`);
    expect((await restart('h1')).code).to.equal(0);
    for (const file of [`${TLS}/serving-kube-apiserver.crt`, `${TLS}/client-admin.crt`, `${AGENT}/client-kubelet.crt`]) {
      expect((await notAfter(lab, 'h1', file)) - Date.now()).to.be.within(364.9 * DAY, 365.1 * DAY);
    }
    expect(await publicKey(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`)).to.equal(key);
    expect(await lab.ssh('h1', `sudo cat ${TLS}/server-ca.crt`)).to.equal(ca);
    // A second start finds them a year out: nothing renewed.
    const renewed = await notAfter(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`);
    expect((await restart('h1')).code).to.equal(0);
    expect(await notAfter(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`)).to.equal(renewed);
  });

  it('`k3s certificate rotate` with K3s stopped: backup, new keys and a year at the next start; TLS verifies again', async () => {
    const key = await publicKey(lab, 'h2', `${TLS}/serving-kube-apiserver.crt`);
    expect((await lab.sshExec('h2', 'sudo systemctl stop k3s')).code).to.equal(0);
    const rotate = await lab.sshExec('h2', 'sudo k3s certificate rotate');
    expect(rotate.code, rotate.stderr).to.equal(0);
    expect(rotate.stderr).to.include('Server detected, rotating agent and server certificates');
    const backup = /backed up certificates to (\S+),/.exec(rotate.stderr)?.[1];
    expect(backup).to.match(/^\/var\/lib\/rancher\/k3s\/server\/tls-\d+$/);
    expect((await lab.sshExec('h2', `sudo test -e ${TLS}/serving-kube-apiserver.crt`)).code).to.equal(1);
    expect((await lab.sshExec('h2', `sudo test -e ${backup}/serving-kube-apiserver.crt`)).code).to.equal(0);
    expect((await lab.sshExec('h2', 'sudo systemctl start k3s', { timeoutMs: 120000 })).code).to.equal(0);
    expect((await notAfter(lab, 'h2', `${TLS}/serving-kube-apiserver.crt`)) - Date.now()).to.be.within(364.9 * DAY, 365.1 * DAY);
    expect(await publicKey(lab, 'h2', `${TLS}/serving-kube-apiserver.crt`)).not.to.equal(key);
    expect(await tlsVerify(lab, 'h2', caFile)).to.match(/Verification: OK/);
  });

  it('`--service` rotates only the named services; an unknown one is refused with K3s’s message', async () => {
    const serving = await notAfter(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`);
    const adminKey = await publicKey(lab, 'h1', `${TLS}/client-admin.crt`);
    const bad = await lab.sshExec('h1', 'sudo k3s certificate rotate --service admin,bogus');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('level=fatal msg="service bogus is not recognized"');
    expect((await lab.sshExec('h1', `sudo test -e ${TLS}/client-admin.crt`)).code).to.equal(0);
    expect((await lab.sshExec('h1', 'sudo systemctl stop k3s')).code).to.equal(0);
    expect((await lab.sshExec('h1', 'sudo k3s certificate rotate --service admin')).code).to.equal(0);
    expect((await lab.sshExec('h1', 'sudo systemctl start k3s', { timeoutMs: 120000 })).code).to.equal(0);
    expect(await publicKey(lab, 'h1', `${TLS}/client-admin.crt`)).not.to.equal(adminKey);
    expect(await notAfter(lab, 'h1', `${TLS}/serving-kube-apiserver.crt`)).to.equal(serving);
  });

  it('is not refused while K3s runs, but the next start then fails once on the missing files (k3s#11347)', async () => {
    const rotate = await lab.sshExec('h3', 'sudo k3s certificate rotate');
    expect(rotate.code).to.equal(0);
    expect(rotate.stderr).to.include('Agent detected, rotating agent certificates');
    await restart('h3', 'k3s-agent');
    await eventually('the agent back with new certificates', 60000, async () =>
      (await lab.sshExec('h3', 'systemctl is-active k3s-agent')).stdout.trim() === 'active' && (await lab.sshExec('h3', `sudo test -e ${AGENT}/client-kubelet.crt`)).code === 0 ? true : undefined,
    );
    expect(await journal(lab, 'h3', 'k3s-agent')).to.include(`open ${AGENT}/client-kubelet.crt: no such file or directory`);
    expect((await notAfter(lab, 'h3', `${AGENT}/client-kubelet.crt`)) - Date.now()).to.be.within(364.9 * DAY, 365.1 * DAY);
  });
});
