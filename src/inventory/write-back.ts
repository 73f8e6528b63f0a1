// Add a host to an inventory file's text, keeping its comments, order and layout (yaml's
// Document API edits the parsed tree; everything not touched prints as it was written).
import { isMap, isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import type { HostKind, Role } from './types.js';

export interface NewHost {
  name: string;
  address: string;
  role: Role;
  user?: string;
  kind?: HostKind;
}

export function appendHost(text: string, host: NewHost): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new InputError(`the inventory does not parse: ${doc.errors[0]!.message}`);
  const hosts = doc.get('hosts', true);
  if (!isSeq(hosts)) throw new InputError('the inventory has no hosts: list to add a host to');
  const entry: Record<string, unknown> = { name: host.name, address: host.address, role: host.role };
  if (host.kind) entry.kind = host.kind;
  if (host.user) entry.ssh = { user: host.user };
  const node = doc.createNode(entry);
  // A list written as `- { name: …, … }` gets its new line in the same style.
  const previous = hosts.items[hosts.items.length - 1];
  if (isMap(previous) && previous.flow) node.flow = true;
  hosts.items.push(node);
  return doc.toString({ lineWidth: 0 });
}
