// What fleet knows about its own package: its version and where its docs live. The project has
// no public home yet, so package.json names no repository or homepage (a placeholder URL would
// link nowhere); the docs ship inside the package (package.json "files"), so help points at them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  version: string;
}

let cached: PackageJson | undefined;

function packageJson(): PackageJson {
  cached ??= JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as PackageJson;
  return cached;
}

export function packageVersion(): string {
  return packageJson().version;
}

/** The installed package's own copy of a docs page, for --help. */
export function docsUrl(page = 'cli.md'): string {
  return fileURLToPath(new URL(`../../../docs/${page}`, import.meta.url));
}
