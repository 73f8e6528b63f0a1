// Fuzzing the inventory loader with fast-check: random text, mutations of a valid inventory,
// wrong types and huge values at every field, unicode, deep nesting and alias bombs. Whatever
// the input, loading ends in an Inventory or an InventoryError/InputError whose every issue has
// a path and a message; never another exception, never longer than a bound, never a socket, and
// nothing printed to the console (the yaml library's own warnings included).
import { expect } from 'chai';
import fc from 'fast-check';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError, InventoryError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';
import { captureConsole, HOME, tempDir } from './support.js';

/** One case must finish well inside this (the slowest seen is a few ms; alias bombs included). */
const CASE_BOUND_MS = 2000;

const VALID = {
  cluster: {
    name: 'lab',
    k3s: { version: 'v1.31.4+k3s1' },
    registrationAddress: '10.0.0.50',
    tlsSan: ['k3s.example.com'],
    config: { 'cluster-cidr': '10.42.0.0/16', disable: ['traefik'] },
    agentConfig: { 'node-ip': '10.0.0.9' },
    disk: { maxFsyncP99Ms: 10, onSlow: 'refuse' },
    concurrency: 5,
  },
  defaults: { ssh: { user: 'pi', port: 22, identityFile: '~/.ssh/id_ed25519' } },
  hosts: [
    { name: 'pi-1', address: '10.0.0.1', role: 'server', kind: 'pi', disk: 'ssd', labels: { zone: 'a' } },
    { name: 'pi-2', address: '10.0.0.2', role: 'agent', ssh: { user: 'ubuntu', proxyJump: 'bastion.example.com' }, config: { 'node-label': ['x=y'] } },
  ],
};
const VALID_TEXT = stringify(VALID);

let dir: string;
const file = () => join(dir, 'inventory.yaml');

interface Outcome {
  kind: 'loaded' | 'rejected';
}

/** Load `text`; anything but success or a well-formed input error fails the property. */
function load(text: string): Outcome {
  const started = performance.now();
  try {
    parseInventory(text, file(), { env: { K3S_TOKEN: 'secret-token' }, home: HOME, localUser: 'tester' });
    return { kind: 'loaded' };
  } catch (error) {
    if (error instanceof InventoryError) {
      expect(error.issues, 'an InventoryError lists its issues').to.not.be.empty;
      for (const issue of error.issues) {
        expect(issue.path, JSON.stringify(issue)).to.be.a('string');
        expect(issue.message, JSON.stringify(issue)).to.be.a('string').and.not.equal('');
        // Path '' is the document itself: YAML syntax, alias expansion, or a document that is not a map.
        if (issue.path === '') expect(issue.message, JSON.stringify(issue)).to.match(/YAML|document|not a map|environment variable/);
      }
      return { kind: 'rejected' };
    }
    if (error instanceof InputError) return { kind: 'rejected' };
    throw error;
  } finally {
    expect(performance.now() - started, `one case took too long: ${JSON.stringify(text.slice(0, 200))}`).to.be.below(CASE_BOUND_MS);
  }
}

/** Any value a YAML document could hold, including strings that look like numbers and unicode. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '~', 'null', 'yes', '0x1F', '1e400', '-0', '.nan', '$(reboot)', '`id`', '${HOME}', '${UNSET_VAR}', '/dev/zero', '/dev/stdin', '/proc/self/mem', '\u202e', '\ud83d\ude80'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1.5, 1e308),
);

/** The paths of every value in the valid inventory, to overwrite one with junk. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}
const VALID_PATHS = paths(VALID);

function replaceAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

/** Text edits at random places: insert, delete or replace a slice with random characters. */
const mutation = fc.record({
  at: fc.nat(VALID_TEXT.length),
  remove: fc.nat(20),
  insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(':', '-', '  ', '\n', '\t', '*a', '&a', '!!binary', '{', '[', '"', "'", '#', '? ', '%YAML 1.1\n---\n', '<<: *a')),
});

function billionLaughs(levels: number, width: number): string {
  const lines = ['a0: &a0 [lol]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push(`cluster: { name: lab }`, `hosts: *a${levels}`);
  return `${lines.join('\n')}\n`;
}

describe('inventory: fuzzed input never crashes, hangs or connects', function () {
  this.timeout(120_000);
  const originalConnect = net.Socket.prototype.connect;
  let connects = 0;
  let captured: ReturnType<typeof captureConsole>;

  beforeEach(() => {
    captured = captureConsole();
  });
  afterEach(() => {
    captured.stop();
    expect(captured.printed, 'printed to the console while loading inventories').to.deep.equal([]);
  });

  before(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'token'), 'file-token\n');
    // Loading must never open a socket: count every attempt and refuse it.
    net.Socket.prototype.connect = function (this: net.Socket) {
      connects++;
      throw new Error('the inventory loader tried to open a socket');
    } as typeof net.Socket.prototype.connect;
  });
  after(() => {
    net.Socket.prototype.connect = originalConnect;
    expect(connects, 'socket connects while loading inventories').to.equal(0);
  });

  it('loads the unmutated inventory (the fuzzers start from something valid)', () => {
    expect(load(VALID_TEXT).kind).to.equal('loaded');
  });

  it('random text, including unicode and control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => void load(text)),
      { numRuns: 400 },
    );
  });

  it('random mutations of a valid inventory', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = VALID_TEXT;
        for (const edit of edits) text = text.slice(0, edit.at) + edit.insert + text.slice(edit.at + edit.remove);
        load(text);
      }),
      { numRuns: 600 },
    );
  });

  it('a wrong type, a huge value or unicode at any field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_PATHS), anyValue, (path, value) => void load(stringify(replaceAt(VALID, path, value)))),
      { numRuns: 800 },
    );
  });

  it('random documents of any shape', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => void load(stringify(value))),
      { numRuns: 300 },
    );
  });

  it('deep nesting and alias bombs are refused quickly, with a path', () => {
    const nested = `cluster: { name: lab }\nhosts: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(load(nested).kind).to.equal('rejected');
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), (levels, width) => {
        expect(load(billionLaughs(levels, width)).kind).to.equal('rejected');
      }),
      { numRuns: 60 },
    );
  });

  it('a token file that is a device never blocks the loader (/dev/zero, /dev/stdin)', () => {
    for (const device of ['/dev/zero', '/dev/stdin', '/dev/urandom', dir]) {
      expect(load(stringify(replaceAt(VALID, ['cluster', 'tokenFile'], device))).kind, device).to.equal('rejected');
    }
  });
});
