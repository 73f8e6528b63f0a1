// ${VAR} in any string value is read from the environment (so tokens stay out of the file).
import type { InventoryIssue } from '../errors.js';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

/** A copy of `data` with every ${VAR} replaced; a variable that is not set is an issue. */
export function expandEnv(source: YamlSource, env: Environment, issues: InventoryIssue[]): unknown {
  const walk = (value: unknown, path: PathSegment[]): unknown => {
    if (typeof value === 'string') return expandString(value, path);
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return value;
  };
  const expandString = (text: string, path: PathSegment[]): string =>
    text.replace(REFERENCE, (whole, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') {
        issues.push({
          path: formatPath(path),
          line: source.lineOf(path),
          message: `environment variable ${name} is not set`,
          hint: `export ${name}=… before running fleet, or remove \${${name}}`,
        });
        return whole;
      }
      return found;
    });
  return walk(source.data, []);
}
