// A new user's mistakes, driven through the built CLI: wrong values for every numeric option,
// choices, options of other commands, non-regular files as the inventory, malformed YAML of each
// kind. Each must end in exit 2 with a message naming the problem, within a bound (the process
// is killed after CASE_BOUND_MS, and a killed run fails the case), with the --json envelope on
// stdout, no lock and no run log left, and a refusal before anything could connect (the error
// kind is one of the input kinds; the hosts are 127.0.0.x ports nothing listens on).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** A generous bound per case: the machine may be shared; a hang (FIFO, /dev/zero) would never end. */
const CASE_BOUND_MS = 60_000;
/** Kinds of errors raised before any host is contacted. */
const INPUT_KINDS = ['usage', 'inventory', 'input'];

const HOSTS = `hosts:
  - { name: h1, address: 127.0.0.1, role: server, ssh: { port: 1, user: nobody } }
  - { name: h2, address: 127.0.0.2, role: agent, ssh: { port: 1, user: nobody } }
`;
const GOOD = `cluster:\n  name: lab\n${HOSTS}`;

interface Case {
  what: string;
  /** `INV` is replaced by the inventory's path. */
  args: string[];
  /** The inventory text (default GOOD). */
  inventory?: string;
  /** What stderr must say. */
  says: RegExp;
}

const numeric: Case[] = [
  { what: '--concurrency not a number', args: ['plan', 'INV', '--dry-run', '--concurrency', 'abc'], says: /--concurrency "abc" is not a whole number from 1 to 50/ },
  { what: '--concurrency 0', args: ['plan', 'INV', '--dry-run', '--concurrency', '0'], says: /--concurrency "0" is not a whole number/ },
  { what: 'token rotate --max-unavailable 0', args: ['token', 'rotate', 'INV', '--max-unavailable', '0'], says: /--max-unavailable 0: expected a whole number of agents/ },
  { what: 'token rotate --new-token-file missing', args: ['token', 'rotate', 'INV', '--new-token-file', 'no-such-file'], says: /cannot read --new-token-file no-such-file: ENOENT/ },
  { what: '--concurrency 51 on up', args: ['up', 'INV', '--concurrency', '51'], says: /--concurrency "51" is not a whole number from 1 to 50/ },
  { what: '--concurrency 2.5', args: ['up', 'INV', '--concurrency', '2.5'], says: /--concurrency "2.5"/ },
  { what: '--concurrency given twice', args: ['up', 'INV', '--concurrency', '3', '--concurrency', '4'], says: /--concurrency is given 2 times/ },
  { what: '--concurrency without a value', args: ['up', 'INV', '--concurrency'], says: /--concurrency needs a value/ },
  { what: '--concurrency given a file', args: ['plan', '--dry-run', '--concurrency', 'INV', 'INV'], says: /looks like a file/ },
  { what: '--connect-timeout not a number (used to crash and keep the lock)', args: ['up', 'INV', '--connect-timeout', 'abc'], says: /--connect-timeout "abc" is not a number of seconds/ },
  { what: '--connect-timeout negative', args: ['up', 'INV', '--connect-timeout', '-5'], says: /--connect-timeout "-5"/ },
  { what: '--connect-timeout 0 on status', args: ['status', 'INV', '--connect-timeout', '0'], says: /--connect-timeout "0"/ },
  { what: '--connect-timeout too long on kubeconfig', args: ['kubeconfig', 'INV', '--connect-timeout', '601'], says: /--connect-timeout "601" is not a number of seconds from 1 to 600/ },
  { what: '--connect-timeout 1e9 on add-node', args: ['add-node', 'INV', '--host', 'h2', '--connect-timeout', '1e9'], says: /--connect-timeout "1e9"/ },
  { what: '--connect-timeout with a unit it does not know', args: ['plan', 'INV', '--connect-timeout', '5d'], says: /--connect-timeout "5d"/ },
  { what: 'exec --timeout not a number', args: ['exec', 'INV', '--timeout', 'abc', '--', 'uptime'], says: /--timeout "abc" is not a number of seconds/ },
  { what: 'exec --timeout 0', args: ['exec', 'INV', '--timeout', '0', '--', 'uptime'], says: /--timeout "0"/ },
  { what: 'exec --timeout beyond a day', args: ['exec', 'INV', '--timeout', '90000', '--', 'uptime'], says: /--timeout "90000" is not a number of seconds from 1 to 86400/ },
];

const choices: Case[] = [
  { what: '--log-level unknown', args: ['plan', 'INV', '--dry-run', '--log-level', 'loud'], says: /--log-level "loud" is not one of trace, debug/ },
  { what: 'exec --role master', args: ['exec', 'INV', '--role', 'master', '--', 'uptime'], says: /--role "master" is not one of server, agent/ },
  { what: 'add-node --role misspelt', args: ['add-node', 'INV', '--name', 'h9', '--address', '127.0.0.9', '--role', 'agnet'], says: /did you mean --role agent\?/ },
  { what: 'add-node --kind arm', args: ['add-node', 'INV', '--name', 'h9', '--address', '127.0.0.9', '--role', 'agent', '--kind', 'arm'], says: /--kind "arm" is not one of pi, x86/ },
  { what: 'completion for a shell it does not know', args: ['completion', 'fish'], says: /shell "fish" is not one of bash, zsh/ },
];

const misplaced: Case[] = [
  { what: '--dry-run on up', args: ['up', 'INV', '--dry-run'], says: /fleet up has no --dry-run[\s\S]*fleet plan <inventory> --dry-run/ },
  { what: '--dry-run on up, before the inventory', args: ['up', '--dry-run', 'INV'], says: /fleet up has no --dry-run[\s\S]*fleet plan <inventory> --dry-run/ },
  { what: 'an option of exec on status', args: ['status', 'INV', '--host', 'h1'], says: /--host is an option of fleet add-node, fleet remove-node, fleet exec, not of fleet status/ },
  { what: '--sudo on plan', args: ['plan', 'INV', '--sudo'], says: /--sudo is an option of fleet exec, not of fleet plan/ },
  { what: "--force (unlock's) on status", args: ['status', 'INV', '--force'], says: /--force is an option of (fleet [a-z-]+, )*fleet unlock(, fleet [a-z-]+)*, not of fleet status/ },
  { what: 'a misspelt option', args: ['plan', 'INV', '--concurency', '3'], says: /fleet plan has no option --concurency[\s\S]*did you mean --concurrency\?/ },
  { what: 'a swapped-letter option', args: ['exec', 'INV', '--hsot', 'h1', '--', 'uptime'], says: /did you mean --host\?/ },
  { what: 'an unknown command', args: ['frobnicate'], says: /fleet has no command "frobnicate"/ },
  { what: 'a misspelt command', args: ['staus', 'INV'], says: /did you mean fleet status\?/ },
  { what: 'help for a command that does not exist', args: ['help', 'plna'], says: /fleet has no command "plna"[\s\S]*did you mean fleet help plan\?/ },
  { what: 'no inventory', args: ['plan'], says: /fleet plan needs <inventory>/ },
  { what: 'two inventories', args: ['plan', 'INV', 'INV', '--dry-run'], says: /fleet plan got an unexpected argument/ },
  { what: '--quiet with --verbose', args: ['plan', 'INV', '--dry-run', '--quiet', '--verbose'], says: /--quiet and --verbose cannot be used together/ },
  { what: 'add-node with neither --host nor --name', args: ['add-node', 'INV'], says: /name hosts to add with --host/ },
  { what: 'add-node --name without --address and --role', args: ['add-node', 'INV', '--name', 'h9'], says: /a new host needs --name, --address and --role/ },
  { what: 'exec --host without a value', args: ['exec', 'INV', '--host'], says: /--host needs a value/ },
  { what: 'exec without a command', args: ['exec', 'INV'], says: /no command given/ },
];

const files: Case[] = [
  { what: 'a directory as the inventory', args: ['plan', 'DIR', '--dry-run'], says: /it is a directory/ },
  { what: 'a FIFO as the inventory (would block forever)', args: ['up', 'FIFO'], says: /it is a pipe \(FIFO\), not a regular file/ },
  { what: '/dev/zero as the inventory (would never end)', args: ['plan', '/dev/zero', '--dry-run'], says: /it is a character device/ },
  { what: '/dev/null as the inventory', args: ['up', '/dev/null'], says: /it is a character device/ },
  { what: 'a file above the size bound', args: ['plan', 'HUGE', '--dry-run'], says: /bytes; an inventory may be at most 1048576 bytes/ },
  { what: 'a missing inventory', args: ['up', 'MISSING'], says: /cannot read inventory .*no-such\.yaml: no such file/ },
  { what: 'unlock on a FIFO', args: ['unlock', 'FIFO'], says: /it is a pipe \(FIFO\)/ },
  { what: 'schema with an argument it does not take', args: ['schema', 'INV'], says: /fleet schema got an unexpected argument/ },
  { what: '- for standard input', args: ['plan', '-', '--dry-run'], says: /reading the inventory from standard input \(-\) is not supported/ },
];

const deep = `cluster:\n  name: lab\n  config:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join('\n')} x\n${HOSTS}`;
const yaml: Case[] = [
  {
    what: 'a duplicate key',
    inventory: `cluster:\n  name: lab\n  name: lab2\n${HOSTS}`,
    args: ['plan', 'INV', '--dry-run'],
    says: /:3 invalid YAML \(column 3\): the key "name" appears twice in the same map/,
  },
  { what: 'two YAML documents', inventory: `${GOOD}---\n${GOOD}`, args: ['up', 'INV'], says: /more than one YAML document/ },
  { what: 'runaway [ nesting', inventory: `cluster: { name: lab }\nhosts: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, args: ['plan', 'INV', '--dry-run'], says: /nested more than 32 levels deep/ },
  { what: 'deep block nesting', inventory: deep, args: ['plan', 'INV', '--dry-run'], says: /the YAML is nested \d+ levels deep; an inventory needs at most 32/ },
  { what: 'a tab as indentation', inventory: `cluster:\n\tname: lab\n${HOSTS}`, args: ['plan', 'INV', '--dry-run'], says: /invalid YAML|tab/ },
  {
    what: 'an alias bomb',
    inventory: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n${GOOD}`,
    args: ['plan', 'INV', '--dry-run'],
    says: /cannot be expanded/,
  },
  {
    what: 'ip: and user: as other tools write them',
    inventory: `cluster:\n  name: lab\nhosts:\n  - name: h1\n    ip: 127.0.0.1\n    user: pi\n`,
    args: ['plan', 'INV', '--dry-run'],
    says: /unknown key "ip" \(fleet calls this address\)[\s\S]*unknown key "user" \(fleet calls this ssh: \{ user: … \}\)/,
  },
  {
    what: 'hostname: for the node name',
    inventory: `cluster:\n  name: lab\nhosts:\n  - hostname: h1\n    address: 127.0.0.1\n`,
    args: ['plan', 'INV', '--dry-run'],
    says: /unknown key "hostname" \(fleet calls this name/,
  },
  {
    what: 'swapped letters in a key',
    inventory: `cluster:\n  name: lab\nhsots:\n  - { name: h1, address: 127.0.0.1 }\n`,
    args: ['plan', 'INV', '--dry-run'],
    says: /unknown key "hsots" \(did you mean "hosts"\?\)/,
  },
  { what: 'a cluster name YAML reads as a number', inventory: `cluster:\n  name: 1234\n${HOSTS}`, args: ['up', 'INV'], says: /1234 is read by YAML as a number[\s\S]*put it in quotes/ },
  {
    what: 'a K3s version that cannot exist',
    inventory: `cluster:\n  name: lab\n  k3s: { version: v2.1.0+k3s1 }\n${HOSTS}`,
    args: ['plan', 'INV', '--dry-run'],
    says: /"v2\.1\.0\+k3s1" is not a K3s version \(K3s follows Kubernetes 1\.x/,
  },
  {
    what: 'a version written as channel',
    inventory: `cluster:\n  name: lab\n  k3s: { channel: v1.31.4+k3s1 }\n${HOSTS}`,
    args: ['plan', 'INV', '--dry-run'],
    says: /is a version: write it as k3s\.version/,
  },
  {
    what: 'a channel that does not exist',
    inventory: `cluster:\n  name: lab\n  k3s: { channel: stabel }\n${HOSTS}`,
    args: ['up', 'INV'],
    says: /"stabel" is not a K3s channel \(did you mean stable\?\)/,
  },
];

describe('cli: bad command lines and inventories end in exit 2, named, bounded, nothing left', function () {
  // Each case starts node once; the machine may be shared.
  this.timeout(CASE_BOUND_MS + 30_000);
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'fleet-bad-input-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const all = [...numeric, ...choices, ...misplaced, ...files, ...yaml];
  it('has at least forty cases', () => expect(all.length).to.be.at.least(40));

  all.forEach((c, index) => {
    it(`${c.what}`, () => {
      const dir = join(root, `case-${index}`);
      mkdirSync(dir);
      const inventory = join(dir, 'inventory.yaml');
      writeFileSync(inventory, c.inventory ?? GOOD);
      const paths: Record<string, string> = { INV: inventory, DIR: dir, FIFO: join(dir, 'fifo.yaml'), HUGE: join(dir, 'huge.yaml'), MISSING: join(dir, 'no-such.yaml') };
      if (c.args.includes('FIFO')) execFileSync('mkfifo', [paths['FIFO']!]);
      if (c.args.includes('HUGE')) writeFileSync(paths['HUGE']!, `# ${'x'.repeat(1024 * 1024)}\n${GOOD}`);
      const args = ['--json', ...c.args.map((arg) => paths[arg] ?? arg)];
      const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', timeout: CASE_BOUND_MS, env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1' } });
      expect(result.signal, `killed after ${CASE_BOUND_MS} ms: fleet ${args.join(' ')}`).to.equal(null);
      expect(result.status, result.stderr).to.equal(2);
      expect(result.stderr).to.match(c.says);
      expect(result.stderr).to.match(/^error: /);
      expect(result.stderr).not.to.match(/unexpected error|this is a bug|\n\s+at /i);
      const envelope = JSON.parse(result.stdout) as { schemaVersion: number; exitCode: number; error: { kind: string; message: string } };
      expect(envelope).to.include({ schemaVersion: 1, exitCode: 2 });
      expect(INPUT_KINDS, `error kind ${envelope.error.kind}`).to.include(envelope.error.kind);
      // No lock, no run log: the run never started, so nothing was connected.
      const state = join(dir, '.fleet');
      const left = existsSync(state) ? readdirSync(state, { recursive: true, encoding: 'utf8' }) : [];
      expect(
        left.filter((file) => file.endsWith('lock') || file.includes('logs')),
        `left in ${state}`,
      ).to.deep.equal([]);
    });
  });
});
