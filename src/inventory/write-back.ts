// Add a host to an inventory file's text, keeping everything else byte for byte: the new entry is
// rendered by `yaml` and spliced in after the last host, in that list's indentation and style.
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import type { HostKind, Role } from './types.js';

export interface NewHost {
  name: string;
  address: string;
  role: Role;
  user?: string;
  kind?: HostKind;
}

function entryOf(host: NewHost): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: host.name, address: host.address, role: host.role };
  if (host.kind) entry.kind = host.kind;
  if (host.user) entry.ssh = { user: host.user };
  return entry;
}

export function appendHost(text: string, host: NewHost): string {
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length > 0) throw new InputError(`the inventory does not parse: ${doc.errors[0]!.message}`);
  const hosts = doc.get('hosts', true);
  if (!isSeq(hosts)) throw new InputError('the inventory has no hosts: list to add a host to');
  const last = hosts.items[hosts.items.length - 1];
  if (!isMap(last) || !last.range || hosts.flow) {
    // No entry to align with (empty or flow list): let yaml lay the list out.
    hosts.items.push(doc.createNode(entryOf(host)));
    return doc.toString({ lineWidth: 0 });
  }

  const entry = new Document(entryOf(host));
  // A list written as `- { name: …, … }` gets its new line in the same style.
  if (last.flow && isMap(entry.contents)) entry.contents.flow = true;
  const body = entry.toString({ lineWidth: 0 }).trimEnd().split('\n');
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const dash = text.slice(lineStart, last.range[0]).indexOf('-');
  const indent = ' '.repeat(Math.max(0, dash));
  const rendered = body.map((line, i) => (i === 0 ? `${indent}- ${line}` : `${indent}  ${line}`)).join('\n');

  const newline = text.indexOf('\n', Math.max(0, last.range[1] - 1));
  if (newline === -1) return `${text}\n${rendered}\n`;
  return `${text.slice(0, newline + 1)}${rendered}\n${text.slice(newline + 1)}`;
}

/**
 * Remove a host from an inventory file's text, keeping everything else byte for byte: the entry's
 * lines go, with the comment lines right above it at its indentation (the entry's own comment,
 * as `yaml` attaches it); a flow-style list is re-rendered by `yaml` instead.
 */
export function removeHost(text: string, name: string): string {
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length > 0) throw new InputError(`the inventory does not parse: ${doc.errors[0]!.message}`);
  const hosts = doc.get('hosts', true);
  if (!isSeq(hosts)) throw new InputError('the inventory has no hosts: list');
  const index = hosts.items.findIndex((item) => isMap(item) && item.get('name') === name);
  if (index === -1) throw new InputError(`${name} is not in the inventory's hosts: list`);
  const entry = hosts.items[index]!;
  if (hosts.flow || !isMap(entry) || !entry.range) {
    hosts.items.splice(index, 1);
    return doc.toString({ lineWidth: 0 });
  }
  const lineStart = text.lastIndexOf('\n', entry.range[0] - 1) + 1;
  const dashColumn = text.slice(lineStart, entry.range[0]).indexOf('-');
  const newline = text.indexOf('\n', Math.max(0, entry.range[1] - 1));
  const end = newline === -1 ? text.length : newline + 1;
  let start = lineStart;
  // Comment lines directly above, at the entry's own indentation, belong to it.
  while (start > 0) {
    const previousStart = text.lastIndexOf('\n', start - 2) + 1;
    const line = text.slice(previousStart, start - 1);
    if (!/^\s*#/.test(line) || line.indexOf('#') !== dashColumn) break;
    start = previousStart;
  }
  return text.slice(0, start) + text.slice(end);
}
