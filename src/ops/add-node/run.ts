// What `fleet add-node` does when it runs, loaded only then (src/cli/commands/add-node.ts defines its options).
import { runAddNode } from './operation.js';
import { InputError } from '../../errors.js';
import { loadInventory, parseInventory } from '../../inventory/load.js';
import type { Inventory } from '../../inventory/types.js';
import { appendHost } from '../../inventory/write-back.js';
import { writeBackNewHost } from '../../inventory/save-new-host.js';
import { readSnapshot, type FileSnapshot } from '../../state/atomic-write.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { terminalConfirm } from '../../cli/confirm.js';
import { printRunResult, sshFor, withRunSession } from '../../cli/run-session.js';
import type { AddNodeArgs } from '../../cli/commands/add-node.js';

/** The inventory with the new host, validated by the loader; the text to write once it joined. */
function withNewHost(args: AddNodeArgs, deps: CommandDeps): { inventory: Inventory; text?: string; read?: FileSnapshot } {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (args.name === undefined) return { inventory };
  if (inventory.hosts.some((h) => h.name === args.name)) throw new InputError(`${args.name} is in the inventory already`, `use --host ${args.name}`);
  const read = readSnapshot(inventory.file);
  const text = appendHost(read.text ?? '', { name: args.name, address: args.address!, role: args.role!, ...(args.user ? { user: args.user } : {}), ...(args.kind ? { kind: args.kind } : {}) });
  return { inventory: parseInventory(text, inventory.file, { env: deps.env }), text, read };
}

export async function runAddNodeCommand(args: AddNodeArgs, deps: CommandDeps): Promise<void> {
  const { inventory, text, read } = withNewHost(args, deps);
  const adding = [...new Set([...(args.host ?? []), ...(args.name ? [args.name] : [])])];
  const ssh = await sshFor(inventory, args, deps, { connectTimeout: 10, connectRetries: 0 });
  await withRunSession(inventory, args, deps, `add-node ${args.inventory}`, ssh, async (session) => {
    const { report, verify } = await runAddNode(
      inventory,
      adding,
      { transportFor: session.transportFor, progress: session.progress, logger: session.logger, signal: deps.signal, confirm: terminalConfirm() },
      { concurrency: args.concurrency, allowEven: args.allowEven, yes: args.yes, command: `add-node ${args.inventory}` },
    );
    const joined = adding.every((name) => report.hosts.some((h) => h.name === name && h.outcome !== 'failed')) && !adding.some((name) => report.notStarted.includes(name));
    if (text !== undefined && read !== undefined && joined) report.warnings.push(writeBackNewHost(inventory.file, text, read, args.name!));
    printRunResult(args, deps, session, report, verify);
  });
}
