// The tree matches docs/architecture.md: every command has one folder named there, that folder
// exists, and no two files in src/ share a base name for different things.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listCommandOptions } from '../../src/cli/main.js';
import { repoRoot } from '../support/repo-paths.js';

// Names that mean the same thing in every operation's folder (docs/architecture.md, "Layout").
const ROLE_NAMES = new Set(['plan.ts', 'operation.ts', 'run.ts', 'render.ts', 'handlers.ts', 'steps.ts', 'types.ts', 'view.ts', 'index.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

function commandFolders(): Map<string, string> {
  const doc = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Which folder holds each command'));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `fleet ([a-z-]+)` \| (src\/\S+?\/?)(?: \(.*\))? \|$/gm)) rows.set(match[1]!, match[2]!);
  return rows;
}

describe('layout: the tree matches docs/architecture.md', () => {
  it('names one existing folder for every registered command', () => {
    const folders = commandFolders();
    const commands = listCommandOptions().map((command) => command.name);
    expect(commands.length).to.be.greaterThan(10);
    for (const command of commands) {
      expect(folders.has(command), `docs/architecture.md names no folder for fleet ${command}`).to.equal(true);
      expect(existsSync(join(repoRoot, folders.get(command)!)), `${folders.get(command)} (fleet ${command})`).to.equal(true);
    }
  });

  it('gives every operation folder the CLI entry its command imports', () => {
    for (const [command, folder] of commandFolders()) {
      if (!folder.startsWith('src/ops/')) continue;
      expect(existsSync(join(repoRoot, folder, 'run.ts')), `${folder}run.ts (fleet ${command})`).to.equal(true);
      const options = readFileSync(join(repoRoot, 'src/cli/commands', `${command}.ts`), 'utf8');
      expect(options, `src/cli/commands/${command}.ts imports its run.ts lazily`).to.include(`import('../../${folder.slice('src/'.length)}run.js')`);
    }
  });

  it('has no two files in src/ with one base name, but for the role names every operation shares', () => {
    const byName = new Map<string, string[]>();
    for (const file of sourceFiles(join(repoRoot, 'src'))) {
      const name = basename(file);
      if (ROLE_NAMES.has(name) || file.includes('/cli/commands/')) continue;
      byName.set(name, [...(byName.get(name) ?? []), file.slice(repoRoot.length + 1)]);
    }
    const shared = [...byName.values()].filter((files) => files.length > 1);
    expect(shared, 'files sharing a base name').to.deep.equal([]);
  });

  it('keeps no grab-bag folders of the old layout', () => {
    for (const old of ['exec', 'operations', 'steps', 'cluster', 'plan', 'prepare', 'snapshot']) expect(existsSync(join(repoRoot, 'src', old)), `src/${old}/`).to.equal(false);
  });
});
