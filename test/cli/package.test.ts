// The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a
// temporary prefix, then the installed `fleet` runs --help, schema and plan --dry-run on the
// example inventory shipped inside the package. Dependencies come from npm's cache when it has
// them (--prefer-offline), else from the registry.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run-cli.js';

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 240_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

describe('package: npm pack, global install, the installed fleet runs', function () {
  this.timeout(300_000);
  let work: string;
  let tarball: string;
  let fleet: string;
  let installed: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'fleet-pack-'));
    // dist/ is already built (the tests run from it); --ignore-scripts skips prepack's rebuild.
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expect(pack.status, pack.stderr).to.equal(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, info!.filename);
    const prefix = join(work, 'prefix');
    const install = run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], work);
    expect(install.status, `npm install -g failed:\n${install.stderr}`).to.equal(0);
    fleet = join(prefix, 'bin', 'fleet');
    installed = join(prefix, 'lib', 'node_modules', 'fleet-k3s');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships the LICENSE package.json names, the example, the docs and the schema; no map without its sources', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['license']).to.equal('Apache-2.0');
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).to.match(/Apache License\s+Version 2\.0/);
    expect(pkg, 'keywords').to.have.property('keywords');
    // No public home yet: no placeholder URL that links nowhere (the docs ship in the package).
    for (const field of ['repository', 'homepage', 'bugs']) expect(pkg, field).not.to.have.property(field);
    for (const file of ['inventory.example.yaml', 'docs/cli.md', 'docs/inventory.md', 'schema/inventory.schema.json', 'README.md']) expect(existsSync(join(installed, file)), file).to.equal(true);
    const maps = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.map'));
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(installed, 'dist', map), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      expect(parsed.sourcesContent?.length, map).to.equal(parsed.sources.length);
      expect(
        parsed.sourcesContent!.every((text) => typeof text === 'string' && text.length > 0),
        map,
      ).to.equal(true);
    }
    expect(existsSync(join(installed, 'test')), 'no tests in the package').to.equal(false);
  });

  it('fleet --help runs and points at the docs shipped in the installed package, not at the repository', () => {
    const help = run(fleet, ['--help'], work);
    expect(help.status, help.stderr).to.equal(0);
    const docs = /Docs:\s+(\S+\/docs\/cli\.md)/.exec(help.stdout)?.[1];
    expect(docs, help.stdout).to.be.a('string');
    expect(existsSync(docs!), `${docs} is shipped`).to.equal(true);
    expect(realpathSync(docs!)).to.equal(realpathSync(join(installed, 'docs', 'cli.md')));
    expect(help.stdout).to.include('fleet help <command>');
  });

  it('fleet schema prints the JSON Schema shipped in the package', () => {
    const schema = run(fleet, ['schema'], work);
    expect(schema.status, schema.stderr).to.equal(0);
    expect(schema.stdout).to.equal(readFileSync(join(installed, 'schema', 'inventory.schema.json'), 'utf8'));
  });

  it('fleet plan --dry-run plans the shipped example without connecting', () => {
    const plan = run(fleet, ['plan', '--dry-run', join(installed, 'inventory.example.yaml'), '--json'], work);
    expect(plan.status, plan.stderr).to.equal(0);
    const parsed = JSON.parse(plan.stdout) as { schemaVersion: number; cluster: string; basis: string; hosts: unknown[] };
    expect(parsed).to.include({ schemaVersion: 1, cluster: 'homelab', basis: 'dry-run' });
    expect(parsed.hosts).to.have.length(5);
  });
});
