// `--merge` refuses a ~/.kube/config that is not a kubeconfig before anything connects (exit 2,
// the file byte for byte unchanged), and the merge options are checked at parse time.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, runCli } from './run-cli.js';

describe('cli: --merge into ~/.kube/config', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-cli-kube-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const command of ['kubeconfig', 'up']) {
    it(`fleet ${command} --merge refuses an unparsable kubeconfig with exit 2 before connecting, leaving it untouched`, () => {
      const file = join(dir, 'config');
      const text = 'apiVersion: v1\nclusters: [oops\n';
      writeFileSync(file, text);
      // The inventory's only host is unreachable: reaching it would be exit 1, not 2.
      const result = runCli([command, fixture('unreachable.yaml'), '--merge'], { KUBECONFIG: file });
      expect(result.status, result.stderr).to.equal(2);
      expect(result.stderr)
        .to.match(/is not a kubeconfig \(it does not parse as YAML: line \d+/)
        .and.match(/fleet left it untouched/);
      expect(result.stderr).to.not.match(/ghost-1/);
      expect(readFileSync(file, 'utf8')).to.equal(text);
      expect(readdirSync(dir)).to.deep.equal(['config']);
    });
  }

  it('refuses --force or --set-current without --merge, and a --context name with odd characters (exit 2)', () => {
    for (const args of [['--force'], ['--set-current'], ['--context', 'a b'], ['--context', '$(x)']]) {
      const result = runCli(['kubeconfig', fixture('unreachable.yaml'), ...args]);
      expect(result.status, args.join(' ')).to.equal(2);
    }
  });
});
