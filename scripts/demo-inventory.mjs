// Writes the demo's inventory for a lab made by scripts/demo.sh: two Pi servers on SSDs, a Pi on
// a slow SD card and an x86 box as role: auto candidates for the third server, and two agents.
// The disk gate measures both candidates and promotes the x86 box; the SD-card Pi becomes an agent.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const labDir = resolve(process.argv[2] ?? '.lab');
const hosts = JSON.parse(readFileSync(join(labDir, 'hosts.json'), 'utf8'));
const repo = resolve(new URL('..', import.meta.url).pathname);
const first = hosts[0];
const roles = [
  ['server', 'pi', 'ssd', 'Pi 4 with a USB SSD'],
  ['server', 'pi', 'ssd', 'Pi 4 with a USB SSD'],
  ['auto', 'pi', 'sd', 'Pi 4 on its SD card (slow fsync): measured, then passed over'],
  ['auto', 'x86', 'ssd', 'a mini PC: measured, then promoted'],
  ['agent', 'x86', 'ssd', 'worker'],
  ['agent', 'pi', 'sd', 'worker'],
];
const lines = [
  '# The fleet demo: written by scripts/demo-inventory.mjs for the lab in ' + labDir,
  'cluster:',
  '  name: demo',
  '  servers: 3',
  '  k3s: { version: v1.31.4+k3s1 }',
  '  install:   # the lab has no internet: upload the K3s stand-in instead of downloading K3s',
  `    script: ${join(repo, 'test/lab/standin/install.sh')}`,
  `    binary: ${join(repo, 'test/lab/standin/k3s')}`,
  '  config:',
  '    disable: [traefik]',
  // The lab's hosts share this machine's disk; on a busy machine its p99 can pass 10 ms, so the
  // demo allows 20 (real Pis: keep the default 10). The SD-card hosts add 40 ms to every fsync.
  '  disk: { maxFsyncP99Ms: 20, onSlow: refuse }',
  'defaults:',
  `  ssh: { user: ${first.user}, identityFile: ${first.identityFile}, knownHostsFile: ${first.knownHostsFile} }`,
  'hosts:',
];
hosts.slice(0, roles.length).forEach((host, i) => {
  const [role, kind, disk, comment] = roles[i];
  lines.push(`  - name: ${host.name}   # ${comment}`, `    address: ${host.address}`, `    role: ${role}`, `    kind: ${kind}`, `    disk: ${disk}`, `    labels: { shelf: ${kind === 'pi' ? 'pis' : 'x86'} }`);
});
process.stdout.write(`${lines.join('\n')}\n`);
