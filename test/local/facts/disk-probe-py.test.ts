// The python3 probe must run on old Pi OS images: Python 3.5 syntax, stdlib only.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/repo-paths.js';

const probe = join(repoRoot, 'playbooks/disk-probe.py');

describe('disk probe: python3 source', () => {
  it('parses with the Python 3.5 grammar', () => {
    const check = `import ast,sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 5)); print('ok')`;
    expect(execFileSync('/usr/bin/python3', ['-c', check, probe], { encoding: 'utf8' }).trim()).to.equal('ok');
  });

  it('uses no f-strings and imports only the standard library it needs', () => {
    const source = execFileSync('cat', [probe], { encoding: 'utf8' });
    expect(source).not.to.match(/\bf['"]/);
    const imports = [...source.matchAll(/^import (\w+)/gm)].map((m) => m[1]);
    expect(imports).to.deep.equal(['json', 'math', 'os', 'sys', 'time']);
  });

  it('computes nearest-rank percentiles', () => {
    const check = [
      'import importlib.util, sys',
      "spec = importlib.util.spec_from_file_location('probe', sys.argv[1])",
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'v = list(range(1, 101))',
      'print(m.nearest_rank(v, 99), m.nearest_rank(v, 50), m.nearest_rank([7], 99), m.nearest_rank(list(range(1, 301)), 99))',
    ].join('\n');
    expect(execFileSync('/usr/bin/python3', ['-c', check, probe], { encoding: 'utf8' }).trim()).to.equal('99 50 7 297');
  });
});
