// eslint.config.js keeps planners pure: a planner file that reaches for SSH, the filesystem, a
// process, the clock or randomness fails `npm run lint`. Linted in memory, as if at those paths.
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from '../../support/repo-paths.js';

async function problems(relativePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, relativePath) });
  return (result?.messages ?? []).filter((message) => message.ruleId?.startsWith('no-restricted')).map((message) => message.message);
}

describe('lint: planners stay pure', function () {
  this.timeout(30_000);

  const impure: Array<[string, string]> = [
    ["import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync('x');\n", 'node:fs'],
    ["import { execFileSync } from 'node:child_process';\nexport const run = () => execFileSync('true');\n", 'child_process'],
    ["import { SshPool } from '../../ssh/pool.js';\nexport type P = SshPool;\n", 'ssh/'],
    ["import { runSteps } from '../../engine/run-steps.js';\nexport const r = runSteps;\n", 'the engine'],
    ['export const now = () => new Date();\n', 'the clock'],
    ['export const now = () => Date.now();\n', 'Date.now'],
    ['export const pick = () => Math.random();\n', 'randomness'],
    ['export const env = () => process.env.HOME;\n', 'process'],
  ];

  for (const [code, what] of impure) {
    it(`refuses ${what} in an operation's planner and in a shared rule`, async () => {
      expect(await problems('src/ops/upgrade/plan.ts', code)).to.have.length.greaterThan(0);
      expect(await problems('src/rules/quorum.ts', code.replaceAll('../../', '../'))).to.have.length.greaterThan(0);
    });
  }

  it('allows the same code in a runner (operation.ts), where I/O belongs', async () => {
    for (const [code] of impure) expect(await problems('src/ops/upgrade/operation.ts', code)).to.deep.equal([]);
  });

  it('allows a pure planner: types, arguments, a given time', async () => {
    const code =
      "import type { Inventory } from '../../inventory/types.js';\nexport const plan = (inventory: Inventory, now: Date) => ({ hosts: inventory.hosts.length, at: new Date(now.getTime()) });\n";
    expect(await problems('src/ops/upgrade/plan.ts', code)).to.deep.equal([]);
  });
});
