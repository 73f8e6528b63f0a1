import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, ROOT, runCli } from './run-cli.js';

const TOKEN = 'K10cli-test-token::server:do-not-print-me';

describe('cli: fleet plan --dry-run (built binary)', function () {
  // Each case starts node several times; a loaded CI machine needs more than mocha's 2 s.
  this.timeout(30_000);

  it('plans the example inventory cleanly', () => {
    const result = runCli(['plan', '--dry-run', 'inventory.example.yaml']);
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
    expect(result.stdout).to.contain('3 servers: quorum 2, tolerates 1 failure');
    expect(result.stdout).to.match(/1\. +nuc-1 .*first server \(cluster-init\)/);
  });

  it('plans a valid mixed fleet: roles in order, quorum, config.yaml, steps, warnings', () => {
    const result = runCli(['plan', '--dry-run', fixture('valid-mixed.yaml')], { FLEET_TEST_TOKEN: TOKEN });
    expect(result.status).to.equal(0);
    const out = result.stdout;
    expect(out).to.contain('Plan for cluster lab');
    expect(out.indexOf('1.  pi-1')).to.be.lessThan(out.indexOf('2.  pi-2'));
    expect(out.indexOf('2.  pi-2')).to.be.lessThan(out.indexOf('3.  x86-1'));
    expect(out).to.contain('joins https://10.0.0.11:6443');
    expect(out).to.contain('joins https://10.0.0.100:6443');
    expect(out).to.contain('pi-2 is a server on an SD card (by hint)');
    expect(out).to.contain('token: <redacted>');
    expect(out).to.match(/#\d+ install-agent:pi-3 \(after #\d+\)/);
    expect(out).not.to.contain('\u001b[');
  });

  it('prints one JSON object with the documented fields', () => {
    const result = runCli(['plan', '--dry-run', '--json', '--concurrency', '4', fixture('valid-mixed.yaml')], { FLEET_TEST_TOKEN: TOKEN });
    expect(result.status).to.equal(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(plan).to.include({ cluster: 'lab', firstServer: 'pi-1', servers: 3, quorum: 2, faultTolerance: 1, concurrency: 4 });
    expect(plan['joiningServers']).to.deep.equal(['pi-2', 'x86-1']);
    expect(plan['agents']).to.deep.equal(['pi-3', 'x86-2']);
    const steps = plan['steps'] as Array<{ id: string; host: string; action: string; changes: boolean; dependsOn: string[] }>;
    expect(steps.every((step) => typeof step.host === 'string' && Array.isArray(step.dependsOn))).to.equal(true);
    expect(steps.filter((step) => step.action === 'install-server' && step.dependsOn.length === 0).map((step) => step.host)).to.deep.equal(['pi-1']);
    expect(plan['warnings']).to.be.an('array').that.is.not.empty;
  });

  it('never prints the token, in text or JSON, even with --verbose', () => {
    for (const args of [['--verbose'], ['--verbose', '--json'], ['--log-level', 'trace']]) {
      const result = runCli(['plan', '--dry-run', ...args, fixture('valid-mixed.yaml')], { FLEET_TEST_TOKEN: TOKEN });
      expect(result.status, args.join(' ')).to.equal(0);
      expect(result.stdout + result.stderr).not.to.contain('do-not-print-me');
    }
    const verbose = runCli(['plan', '--dry-run', '--verbose', fixture('valid-mixed.yaml')], { FLEET_TEST_TOKEN: TOKEN });
    expect(verbose.stderr).to.contain('inventory loaded');
  });

  it('lists every inventory problem with file and line, exit 2', () => {
    const result = runCli(['plan', '--dry-run', fixture('many-errors.yaml')]);
    expect(result.status).to.equal(2);
    expect(result.stdout).to.equal('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).to.equal('error: test/fixtures/inventories/many-errors.yaml: 10 problems in the inventory');
    const listed = lines.slice(1);
    expect(listed).to.have.length(10);
    for (const line of listed) expect(line).to.match(/^ {2}test\/fixtures\/inventories\/many-errors\.yaml:\d+ \S.*: /);
    expect(listed).to.include('  test/fixtures/inventories/many-errors.yaml:12 hosts[0].role: "srv" is not a role (allowed: server, agent, auto)');
    expect(listed).to.include('  test/fixtures/inventories/many-errors.yaml:5 cluster.concurency: unknown key "concurency" (did you mean "concurrency"?)');
    expect(result.stderr).not.to.match(/\n\s+at /);
  });

  it('refuses an even server count with the arithmetic, exit 2', () => {
    const result = runCli(['plan', '--dry-run', fixture('even-servers.yaml')]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('4 servers is an even count: 4 servers need a quorum of 3 and tolerate 1 failure');
    expect(result.stderr).to.contain('hint: plan 3 or 5 servers, or set cluster.allowEvenServers: true');
  });

  it('refuses a must-match conflict naming host, flag and both values, exit 2', () => {
    const result = runCli(['plan', '--dry-run', fixture('must-match-conflict.yaml')]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('must-match-conflict.yaml:10 hosts[0].config.cluster-cidr: s-1 sets cluster-cidr to "10.99.0.0/16" but cluster.config has "10.42.0.0/16"');
  });

  it('says where invalid YAML is, without a stack trace, exit 2', () => {
    const result = runCli(['plan', '--dry-run', fixture('invalid-yaml.yaml')]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/invalid-yaml\.yaml:\d+ invalid YAML \(column \d+\)/);
    expect(result.stderr).not.to.match(/\n\s+at /);
  });

  it('names a missing inventory file and an unset variable, exit 2', () => {
    const missing = runCli(['plan', '--dry-run', 'no-such-inventory.yaml']);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.contain(`cannot read inventory ${join(ROOT, 'no-such-inventory.yaml')}: no such file`);
    const unset = runCli(['plan', '--dry-run', fixture('valid-mixed.yaml')]);
    expect(unset.status).to.equal(2);
    expect(unset.stderr).to.contain('valid-mixed.yaml:3 cluster.token: environment variable FLEET_TEST_TOKEN is not set');
  });

  it('refuses bad arguments with exit 2', () => {
    expect(runCli(['plan']).status).to.equal(2);
    expect(runCli(['frobnicate']).status).to.equal(2);
    expect(runCli(['plan', '--dry-run', '--no-such-flag', 'inventory.example.yaml']).status).to.equal(2);
    const concurrency = runCli(['plan', '--dry-run', '--concurrency', '0', 'inventory.example.yaml']);
    expect(concurrency.status).to.equal(2);
    expect(concurrency.stderr).to.contain('--concurrency "0" is not a whole number from 1 to 50');
    expect(runCli(['plan', '--dry-run', '--quiet', '--verbose', 'inventory.example.yaml']).status).to.equal(2);
  });

  it('without --dry-run, connects (over SSH) and exits 1 naming a host it cannot reach', () => {
    const result = runCli(['plan', fixture('unreachable.yaml'), '--connect-timeout', '2']);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain('cannot plan without facts from every host (ghost-1: connection refused');
    expect(result.stdout).to.equal('');
  });

  it('--quiet prints the summary without per-host details', () => {
    const result = runCli(['plan', '--dry-run', '--quiet', 'inventory.example.yaml']);
    expect(result.status).to.equal(0);
    expect(result.stdout).to.contain('3 servers: quorum 2');
    expect(result.stdout).not.to.contain('config.yaml');
  });

  it('has --version and --help', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const shown = runCli(['--version']);
    expect(shown.status).to.equal(0);
    expect(shown.stdout.trim()).to.equal(version);
    const help = runCli(['--help']);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.contain('fleet plan <inventory>').and.contain('--concurrency').and.contain('Exit codes');
    const planHelp = runCli(['plan', '--help']);
    expect(planHelp.stdout).to.contain('--dry-run').and.contain('--log-level');
  });
});
