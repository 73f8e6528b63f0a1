// main() in-process with injected dependencies: the non-dry-run path and the error mapping.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { InterruptedError, SafetyError } from '../../src/errors.js';
import type { FleetFacts } from '../../src/facts/types.js';
import type { CommandDeps } from '../../src/cli/command-deps.js';
import { reportError } from '../../src/cli/exit.js';
import { main } from '../../src/cli/main.js';
import { PLAIN } from '../../src/ops/up/render.js';
import { fleetFacts, hostFacts } from '../unit/support/plan-inputs.js';

const example = fileURLToPath(new URL('../../../inventory.example.yaml', import.meta.url));

function fakeDeps(facts: () => Promise<FleetFacts>): CommandDeps & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    output: { out: (text) => void stdout.push(text), err: (text) => void stderr.push(text), style: PLAIN },
    env: {},
    secrets: [],
    gatherFacts: facts,
  };
}

describe('cli: main() with injected facts', () => {
  it('without --dry-run, plans from gathered facts', async () => {
    const names = ['nuc-1', 'nuc-2', 'pi-1', 'pi-2', 'pi-3'];
    const deps = fakeDeps(async () => fleetFacts(...names.map((name) => hostFacts(name, { p99Ms: name === 'pi-1' ? 30 : 3 }))));
    const code = await main(['plan', '--json', example], deps);
    expect(deps.stderr.join('')).to.equal('');
    expect(code).to.equal(0);
    const plan = JSON.parse(deps.stdout.join('')) as { basis: string; joiningServers: string[] };
    expect(plan.basis).to.equal('facts');
    // pi-1's disk is slow, so the fastest remaining auto host (pi-2) takes its place.
    expect(plan.joiningServers).to.deep.equal(['nuc-2', 'pi-2']);
  });

  it('exits 1 naming every host it could not reach', async () => {
    const deps = fakeDeps(async () => {
      const facts = fleetFacts(hostFacts('nuc-1'), hostFacts('nuc-2'), hostFacts('pi-1'), hostFacts('pi-2'), hostFacts('pi-3'));
      for (const name of ['pi-2', 'pi-3']) Object.assign(facts.get(name)!, { reachable: false, error: 'connection refused' });
      return facts;
    });
    expect(await main(['plan', example], deps)).to.equal(1);
    expect(deps.stderr.join('')).to.contain('pi-2: connection refused; pi-3: connection refused').and.contain('--dry-run');
  });

  it('exits 130 when interrupted while gathering facts', async () => {
    const controller = new AbortController();
    const deps = fakeDeps(async () => {
      controller.abort();
      throw new Error('the gatherer stopped on abort');
    });
    deps.signal = controller.signal;
    expect(await main(['plan', example], deps)).to.equal(130);
    expect(deps.stderr.join('')).to.equal('interrupted\n');
  });

  it('does not gather facts with --dry-run', async () => {
    const deps = fakeDeps(async () => {
      throw new Error('must not connect');
    });
    expect(await main(['plan', '--dry-run', example], deps)).to.equal(0);
  });
});

describe('cli: error → exit code mapping', () => {
  it('maps the error family to documented codes and redacts secrets', () => {
    expect(reportError(new SafetyError('disk too slow', 'use an SSD'))).to.deep.equal({ exitCode: 3, text: 'error: disk too slow\n  hint: use an SSD\n' });
    expect(reportError(new InterruptedError('interrupted')).exitCode).to.equal(130);
    const unexpected = reportError(new TypeError('boom with s3cret'), { secrets: ['s3cret'] });
    expect(unexpected.exitCode).to.equal(1);
    expect(unexpected.text).to.contain('unexpected error: boom with <redacted>').and.contain('please report');
    expect(unexpected.text).not.to.contain('    at ');
    expect(reportError(new TypeError('x'), { verbose: true }).text).to.contain('    at ');
  });
});
