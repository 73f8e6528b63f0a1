// Turns zod issues into fleet's InventoryIssues: YAML path, line, message naming the bad value, hint.
import type { z } from 'zod';
import type { InventoryIssue } from '../errors.js';
import { closest } from './did-you-mean.js';
import { otherToolsKey } from './other-tools-keys.js';
import { showValue, splitHint } from './problem.js';
import { KNOWN_KEYS } from './inventory-schema.js';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

export function issuesFromZod(error: z.ZodError, source: YamlSource): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push(unknownKey([...path, key], source));
      continue;
    }
    const { message, hint } = splitHint(issue.message);
    const fallback = describeUntranslated(issue, valueAt(source.data, path), path);
    issues.push({
      path: formatPath(path),
      line: source.lineOf(path),
      message: message === issue.message && !hint ? fallback : message,
      hint,
    });
  }
  return issues;
}

function unknownKey(path: PathSegment[], source: YamlSource): InventoryIssue {
  const key = String(path[path.length - 1]);
  const pattern = formatPath(path.slice(0, -1).map((segment) => (typeof segment === 'number' ? -1 : segment))).replace(/\[-1\]/g, '[]');
  const known = KNOWN_KEYS[pattern] ?? [];
  const elsewhere = otherToolsKey(pattern, key);
  const suggestion = elsewhere === undefined ? closest(key, known) : undefined;
  return {
    path: formatPath(path),
    line: source.lineOf(path, { key: true }),
    message: `unknown key ${JSON.stringify(key)}`,
    hint: elsewhere !== undefined ? `fleet calls this ${elsewhere}` : suggestion ? `did you mean "${suggestion}"?` : known.length > 0 ? `allowed: ${known.join(', ')}` : undefined,
  };
}

/** Keys whose values are credentials (the token, registry auth): never shown. */
const SECRET_KEYS = new Set(['token', 'password', 'auth', 'identitytoken', 'accessKey', 'secretKey']);

/** zod's own wording, for any issue the schema did not word itself; never shows the token. */
function describeUntranslated(issue: z.core.$ZodIssue, value: unknown, path: PathSegment[]): string {
  const shown = SECRET_KEYS.has(String(path[path.length - 1])) ? 'the value' : showValue(value);
  if (issue.code === 'invalid_type') return value === undefined ? 'is required' : `${shown} is not a ${issue.expected}`;
  return `${shown}: ${issue.message}`;
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
