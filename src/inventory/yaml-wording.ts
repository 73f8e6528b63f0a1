// The YAML library's errors in fleet's words: the user sees what is wrong and how to fix it,
// never the parser's own text ("please use YAML.parseAllDocuments()").
import type { YAMLError } from 'yaml';
import type { InventoryIssue } from '../errors.js';

const CHECK = 'check indentation, colons and quotes around this line';

type Wording = (error: YAMLError, text: string) => { message: string; hint: string };

const WORDING: Record<string, Wording> = {
  DUPLICATE_KEY: (error, text) => {
    const key = keyAt(text, error.pos[0]);
    return { message: key ? `the key ${JSON.stringify(key)} appears twice in the same map` : 'the same key appears twice in one map', hint: 'keep one of them: YAML would silently use the last one' };
  },
  MULTIPLE_DOCS: () => ({
    message: 'the file holds more than one YAML document (a --- line starts a second one)',
    hint: 'an inventory is one document: remove the --- separator, or keep one cluster per file',
  }),
  TAB_AS_INDENT: () => ({ message: 'a tab is used for indentation', hint: 'indent with spaces only' }),
  BAD_INDENT: () => ({ message: 'the indentation does not line up with the lines above', hint: 'keys of one map start in the same column' }),
  MISSING_CHAR: (error) => ({
    message: `something is not closed (${/closing\s*(\S+)/.exec(error.message)?.[1] ?? 'a quote or bracket'} missing)`,
    hint: 'close the quote, ] or } that opens on or before this line',
  }),
  BAD_SCALAR_START: () => ({ message: 'a value starts with a character YAML reserves (@, `, %, | or >)', hint: 'put the value in quotes' }),
  BLOCK_AS_IMPLICIT_KEY: () => ({ message: 'a key spans more than one line, or a colon is missing', hint: CHECK }),
  MULTILINE_IMPLICIT_KEY: () => ({ message: 'a key spans more than one line, or a colon is missing', hint: CHECK }),
  KEY_OVER_1024_CHARS: () => ({ message: 'a key is longer than 1024 characters', hint: 'keys are short names; is a colon missing after a long value?' }),
  UNEXPECTED_TOKEN: () => ({ message: 'unexpected text here', hint: CHECK }),
  BLOCK_IN_FLOW: () => ({ message: 'an indented block inside [ ] or { }', hint: 'inside brackets write items on one line, separated by commas' }),
  BAD_ALIAS: () => ({ message: 'an alias (*name) that YAML cannot read', hint: 'an alias is * followed by the name of an anchor (&name) defined above it' }),
  BAD_DQ_ESCAPE: () => ({ message: 'an invalid \\ escape inside double quotes', hint: 'write \\\\ for a backslash, or use single quotes' }),
  BAD_DIRECTIVE: () => ({ message: 'an unknown % directive', hint: 'remove the line starting with %' }),
  MULTIPLE_ANCHORS: () => ({ message: 'a value has two anchors (&)', hint: 'one &anchor per value' }),
  MULTIPLE_TAGS: () => ({ message: 'a value has two tags (!)', hint: 'one !tag per value' }),
  ALIAS_PROPS: () => ({ message: 'an alias (*name) cannot have a tag or anchor', hint: 'remove the & or ! before the alias' }),
  TAG_RESOLVE_FAILED: () => ({ message: 'a value with a !tag YAML cannot resolve', hint: 'remove the !tag; the inventory needs none' }),
  BAD_COLLECTION_TYPE: () => ({ message: 'a !tag that does not fit the list or map it is on', hint: 'remove the !tag; the inventory needs none' }),
  NON_STRING_KEY: () => ({ message: 'a key that is not plain text', hint: 'keys are plain names' }),
  BAD_PROP_ORDER: () => ({ message: 'an anchor or tag in the wrong place', hint: 'write &anchor before the value it names' }),
  RESOURCE_EXHAUSTION: () => ({ message: 'the YAML is nested too deeply to read', hint: 'an inventory nests a few levels (hosts → host → ssh); check for runaway [ or {' }),
  IMPOSSIBLE: () => ({ message: 'the YAML cannot be read here', hint: CHECK }),
};

/** The text of the key at `offset` (`name` of `name: x`), for a duplicate-key message. */
function keyAt(text: string, offset: number): string | undefined {
  const match = /^\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n#]+?))\s*:/.exec(text.slice(offset, offset + 1100));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** One issue per distinct problem (deep nesting raises the same error at every level). */
export function yamlErrorIssues(errors: readonly YAMLError[], text: string): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const wording = WORDING[error.code]?.(error, text) ?? { message: firstLine(error.message), hint: CHECK };
    if (error.code === 'RESOURCE_EXHAUSTION' && seen.has(error.code)) continue;
    seen.add(error.code);
    const position = error.linePos?.[0];
    issues.push({ path: '', line: position?.line, message: `invalid YAML${position ? ` (column ${position.col})` : ''}: ${wording.message}`, hint: wording.hint });
  }
  return issues;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
