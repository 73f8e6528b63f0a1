// Certificate expiry in `fleet status` on a lab cluster of 3 servers + 2 agents whose first
// certificates were issued for 20 days, one server's already expired (the lab's --cert-days): the
// dates are checked against openssl on the hosts, not against fleet's own arithmetic.
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { runFleet } from './support.js';

interface Row {
  check: string;
  host?: string;
  status: string;
  value: string;
  data?: { earliest?: string; certificates?: unknown[] };
}

describe('e2e: certificate expiry in fleet status', function () {
  this.timeout(900_000);
  let lab: Lab;
  let inventory: string;

  /** The earliest notAfter of the node's leaf certificates, by openssl on the host (YYYY-MM-DD). */
  const earliestOnHost = async (host: string): Promise<string> => {
    const out = await lab.ssh(
      host,
      `sudo sh -c 'for f in /var/lib/rancher/k3s/server/tls/*.crt /var/lib/rancher/k3s/agent/*.crt; do [ -f "$f" ] && openssl x509 -in "$f" -noout -subject -enddate -dateopt iso_8601; done; true'`,
    );
    const dates: string[] = [];
    const lines = out.trim().split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) if (!/-ca@/.test(lines[i]!)) dates.push(lines[i + 1]!.replace('notAfter=', '').slice(0, 10));
    return dates.sort()[0]!;
  };

  before(async () => {
    lab = await upTestLab({ hosts: 5, certDays: { h1: 20, h2: 20, h3: -1, h4: 20, h5: 20 } });
    inventory = writeLabInventory(lab, 'inventory.yaml', { h1: 'server', h2: 'server', h3: 'server', h4: 'agent', h5: 'agent' });
    const up = await runFleet(['up', inventory, '--json']);
    expect(up.code, up.stderr).to.equal(0);
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('--json: every node warns with its earliest date (20 days), the expired server fails, status exits 1', async () => {
    const run = await runFleet(['status', inventory, '--json']);
    expect(run.code, run.stderr).to.equal(1);
    const status = JSON.parse(run.stdout) as { certificates: Row[]; certificatesStatus: string; quorumHolds: boolean };
    expect(status.quorumHolds).to.equal(true);
    expect(status.certificatesStatus).to.equal('fail');
    const leaf = (host: string) => status.certificates.find((c) => c.check === 'certificates.leaf' && c.host === host)!;
    for (const host of ['h1', 'h2', 'h4', 'h5']) {
      expect(leaf(host).status, host).to.equal('warn');
      expect(leaf(host).value).to.match(/^expires \d{4}-\d\d-\d\d \(in (19|20) days\)$/);
      expect(leaf(host).value).to.include(await earliestOnHost(host));
      expect(leaf(host).data!.certificates!.length).to.be.above(1);
    }
    expect(leaf('h3').status).to.equal('fail');
    expect(leaf('h3').value).to.match(/^expired \d{4}-\d\d-\d\d \(1 day ago\)$/);
    expect(leaf('h3').value).to.include(await earliestOnHost('h3'));
    expect(status.certificates.find((c) => c.check === 'certificates.ca')!.status).to.equal('ok');
    // The kubeconfig fleet wrote holds h1's admin certificate: 20 days too.
    const kubeconfig = status.certificates.find((c) => c.check === 'certificates.kubeconfig')!;
    expect(kubeconfig.status).to.equal('warn');
  });

  it('for people: a Certificates section with the dates and what to do', async () => {
    const run = await runFleet(['status', inventory]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.include('Certificates:');
    expect(run.stdout).to.match(/h3\s+leaf\s+FAIL\s+expired \d{4}-\d\d-\d\d/);
    expect(run.stdout).to.match(/h4\s+leaf\s+WARN\s+expires \d{4}-\d\d-\d\d \(in (19|20) days\)/);
    expect(run.stdout).to.include('docs/certificates.md');
  });
});
