// `npm run lab -- ...`: the command line over the Lab class, run as the built script, and the
// lab's shell scripts kept shellcheck-clean (the install script is POSIX sh, like K3s's).
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from './lab.js';
import { labAssets, repoRoot } from './paths.js';
import { runCommand } from './run-command.js';
import { claimNetwork, newLabDir, releaseNetwork } from './support.js';

const lab = (...args: string[]) => runCommand(process.execPath, [join(repoRoot(), 'dist', 'test', 'lab', 'cli.js'), ...args], { timeoutMs: 60000 });

describe('lab command line', function () {
  this.timeout(90000);
  let dir: string;
  let network: string;

  before(() => {
    dir = newLabDir();
    network = claimNetwork(dir);
  });
  after(async () => {
    await Lab.down(dir);
    releaseNetwork(network);
  });

  it('brings hosts up, crashes and starts one, reports status, and takes everything down', async () => {
    const up = await lab('up', '--hosts', '2', '--pi', 'h2', '--slow-disk', 'h1=5', '--net', network, '--dir', dir);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout).to.match(/lab: 2 hosts up in [\d.]+ s/);
    const hosts = JSON.parse(readFileSync(join(dir, 'hosts.json'), 'utf8')) as { name: string; pi: boolean; slowDiskMs: number }[];
    expect(hosts.map((h) => [h.name, h.pi, h.slowDiskMs])).to.deep.equal([
      ['h1', false, 5],
      ['h2', true, 0],
    ]);

    expect((await lab('crash', 'h2', '--dir', dir)).code).to.equal(0);
    const crashed = await lab('status', '--dir', dir);
    expect(crashed.stdout).to.match(new RegExp(`^h1\\t${network}\\.1\\tup\\tstopped$`, 'm'));
    expect(crashed.stdout).to.match(new RegExp(`^h2\\t${network}\\.2\\tdown\\tstopped$`, 'm'));
    expect((await lab('start', 'h2', '--dir', dir)).code).to.equal(0);
    expect((await lab('status', '--dir', dir)).stdout).to.match(/^h2\t\S+\tup\t/m);

    expect((await lab('down', '--dir', dir)).code).to.equal(0);
    expect(existsSync(dir)).to.equal(false);
  });

  it('explains bad usage with exit code 1', async () => {
    const result = await lab('up', '--slow-disk', 'h1');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('--slow-disk wants NAME=MS').and.include('usage: npm run lab');
  });

  it('keeps its shell scripts shellcheck-clean', async () => {
    const scripts = ['standin/install.sh', 'host/init.sh', 'host/systemctl', 'host/journalctl', 'host/timedatectl'].map((file) => join(labAssets(), file));
    const result = await runCommand('shellcheck', scripts);
    expect(result.stdout + result.stderr).to.equal('');
    expect(result.code).to.equal(0);
  });
});
