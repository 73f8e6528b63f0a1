// What fleet knows about its own package: version and where its docs live (by URL, since an
// installed fleet has no repository beside it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  version: string;
  homepage?: string;
}

let cached: PackageJson | undefined;

function packageJson(): PackageJson {
  cached ??= JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as PackageJson;
  return cached;
}

export function packageVersion(): string {
  return packageJson().version;
}

/** `https://…/docs/cli.md`: the command line reference, for --help. */
export function docsUrl(page = 'cli.md'): string {
  const home = (packageJson().homepage ?? '').replace(/#.*$/, '').replace(/\/$/, '');
  return `${home}/blob/main/docs/${page}`;
}
