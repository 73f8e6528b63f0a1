#!/usr/bin/env node
// fleet's entry point: parse arguments, run one command, map any error to an exit code.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExitCode, InputError } from '../errors.js';
import type { CommandDeps } from './command-deps.js';
import { addNodeCommand } from './commands/add-node.js';
import { execCommand } from './commands/exec.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { planCommand } from './commands/plan.js';
import { removeNodeCommand } from './commands/remove-node.js';
import { resetCommand } from './commands/reset.js';
import { snapshotCommand } from './commands/snapshot.js';
import { prepareCommand } from './commands/prepare.js';
import { statusCommand } from './commands/status.js';
import { unlockCommand } from './commands/unlock.js';
import { upCommand } from './commands/up.js';
import { upgradeCommand } from './commands/upgrade.js';
import { reportError } from './exit.js';
import { gatherFactsOverSsh } from './gather-for-plan.js';
import { withGlobalOptions } from './global-options.js';
import { processOutput } from './output.js';
import { runForcedExitCleanups } from '../state/forced-exit.js';

function packageVersion(): string {
  const file = fileURLToPath(new URL('../../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Runs fleet with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], deps: CommandDeps): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const commandDeps: CommandDeps = { ...deps, setExitCode: (code) => void (exitCode = code) };
  const parser = withGlobalOptions(yargs(argv))
    .scriptName('fleet')
    .usage('$0 <command> [options]\n\nTurn a YAML inventory of Raspberry Pis and x86 machines into a highly available K3s cluster.')
    .command(planCommand(commandDeps))
    .command(prepareCommand(commandDeps))
    .command(upCommand(commandDeps))
    .command(addNodeCommand(commandDeps))
    .command(removeNodeCommand(commandDeps))
    .command(resetCommand(commandDeps))
    .command(upgradeCommand(commandDeps))
    .command(statusCommand(commandDeps))
    .command(kubeconfigCommand(commandDeps))
    .command(execCommand(commandDeps))
    .command(unlockCommand(commandDeps))
    .command(snapshotCommand(commandDeps))
    .demandCommand(1, 'name a command (see fleet --help)')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue('Exit codes: 0 ok, 1 a host failed, 2 invalid input, 3 refused by a safety gate, 130 interrupted. Docs: docs/cli.md')
    .fail((message, error) => {
      // yargs passes a message for argument problems (exit 2); a handler's error comes alone.
      if (message) throw new InputError(message, 'see fleet --help');
      throw error;
    });
  try {
    await parser.parseAsync();
    return deps.signal?.aborted ? ExitCode.interrupted : exitCode;
  } catch (error) {
    if (deps.signal?.aborted) {
      deps.output.err('interrupted\n');
      return ExitCode.interrupted;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const report = reportError(error, { secrets: deps.secrets, verbose });
    deps.output.err(report.text);
    return report.exitCode;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  // First Ctrl-C: abort running work so hosts are left between steps; second: quit now.
  let quitting = false;
  const onSignal = () => {
    if (quitting) process.exit(ExitCode.interrupted);
    if (controller.signal.aborted) {
      // Quit now, but give the locks back first (bounded: a third signal quits without them).
      quitting = true;
      void runForcedExitCleanups(3000).finally(() => process.exit(ExitCode.interrupted));
      return;
    }
    controller.abort();
    process.stderr.write('interrupting… (press Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const deps: CommandDeps = { output: processOutput(), env: process.env, secrets: [], gatherFacts: gatherFactsOverSsh, signal: controller.signal };
  const code = await main(hideBin(process.argv), deps);
  process.exitCode = code;
}
