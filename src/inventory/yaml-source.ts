// Parses inventory text with `yaml` keeping the document, so every issue can name its line.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { InventoryIssue } from '../errors.js';
import { yamlErrorIssues } from './yaml-wording.js';

export type PathSegment = string | number;

/** Deepest nesting accepted (hosts[].config.flag[] is 4): deeper is a mistake, refused in words. */
const MAX_DEPTH = 32;

/** Alias expansion limit: a "billion laughs" document is refused, not expanded. */
const MAX_ALIAS_COUNT = 100;

export interface YamlSource {
  data: unknown;
  /** 1-based line of the node at `path`, or of its closest ancestor that exists. */
  lineOf(path: readonly PathSegment[], options?: { key?: boolean }): number | undefined;
}

export type ParsedYaml = { ok: true; source: YamlSource } | { ok: false; issues: InventoryIssue[] };

export function parseYaml(text: string): ParsedYaml {
  const flow = flowDepth(text);
  if (flow.depth > MAX_DEPTH) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          line: flow.line,
          message: `the YAML is nested more than ${MAX_DEPTH} levels deep ([ and { inside each other)`,
          hint: 'an inventory nests a few levels (hosts → host → ssh); check for runaway [ or {',
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  // logLevel 'error': the library must never print its own warnings to the user's console (it
  // would, through process.emitWarning, e.g. for a map used as a key); what matters is an issue.
  // merge: `<<: *defaults` merges a map as YAML 1.1 users expect (uniqueKeys still holds).
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true, logLevel: 'error', merge: true });
  if (doc.errors.length > 0) return { ok: false, issues: yamlErrorIssues(doc.errors, text) };
  const collectionKeys = collectionKeyIssues(doc, lineCounter);
  if (collectionKeys.length > 0) return { ok: false, issues: collectionKeys };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          message: `the YAML cannot be expanded: ${/alias/i.test(String((error as Error).message)) ? `its aliases (*name) expand more than ${MAX_ALIAS_COUNT} times` : 'it refers to itself'}`,
          hint: `use at most ${MAX_ALIAS_COUNT} alias expansions`,
        },
      ],
    };
  }
  const depth = nestingDepth(data);
  if (depth > MAX_DEPTH) {
    return { ok: false, issues: [{ path: '', message: `the YAML is nested ${depth} levels deep; an inventory needs at most ${MAX_DEPTH}`, hint: 'check for runaway indentation or [ and {' }] };
  }
  return { ok: true, source: { data, lineOf: (path, options) => lineOf(doc, lineCounter, path, options?.key ?? false) } };
}

/**
 * A key that is a map or a list (`{ a: b }: x`, `? [a]`), usually a stray brace or bracket: no
 * inventory field has one, and as a JS object key it would only become its own text.
 */
function collectionKeyIssues(doc: Document, lineCounter: LineCounter): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (!isCollection(key)) return;
      const offset = (pair.key as Node).range?.[0];
      issues.push({
        path: formatPath(segmentsOf([...ancestors, pair])),
        ...(offset !== undefined ? { line: lineCounter.linePos(offset).line } : {}),
        message: `a ${isSeq(key) ? 'list' : 'map'} is used as a YAML key; keys must be plain names`,
        hint: 'check for a stray { or [ before a colon, or quote the key',
      });
    },
  });
  return issues;
}

/** The path segments of the map holding a pair, from the nodes visit() passed down to it. */
function segmentsOf(nodes: readonly unknown[]): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let i = 0; i < nodes.length - 1; i++) {
    const node = nodes[i];
    const child = nodes[i + 1];
    if (isPair(node) && isScalar(node.key) && child === node.value) segments.push(String(node.key.value));
    else if (isSeq(node)) segments.push(node.items.indexOf(child as never));
  }
  return segments;
}

/**
 * How deep [ and { nest, counted on the text before parsing (the parser itself would take a
 * second to fail on thousands of levels). Quotes and comments are skipped; a stray bracket in a
 * plain value only makes the count higher, and only a count past MAX_DEPTH matters.
 */
function flowDepth(text: string): { depth: number; line: number } {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  let comment = false;
  for (const char of text) {
    if (char === '\n') {
      line++;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '#') comment = true;
    else if (char === '[' || char === '{') {
      if (++depth > MAX_DEPTH) return { depth, line };
    } else if ((char === ']' || char === '}') && depth > 0) depth--;
  }
  return { depth, line };
}

/** How deep lists and maps nest (a scalar is 0), without recursion. */
function nestingDepth(data: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[], wantKey: boolean): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    const node = nodeAt(doc, prefix, wantKey && length === path.length);
    const offset = node?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return undefined;
}

/** The value node at `path` (or, with `keyNode`, the key node of its last segment). */
function nodeAt(doc: Document, path: readonly PathSegment[], keyNode: boolean): Node | undefined {
  if (path.length === 0) return (doc.contents as Node | null) ?? undefined;
  if (keyNode) {
    const parent = doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
      if (pair && isScalar(pair.key)) return pair.key;
    }
  }
  const node = doc.getIn(path, true);
  return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
}

/** `hosts[2].labels["topology.kubernetes.io/zone"]` */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
