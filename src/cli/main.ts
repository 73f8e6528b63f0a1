#!/usr/bin/env node
// fleet's entry point: parse arguments, run one command, map any error to an exit code.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExitCode, FleetError, InterruptedError } from '../errors.js';
import type { CommandDeps } from './command-deps.js';
import { addNodeCommand } from './commands/add-node.js';
import { completionCommand } from './commands/completion.js';
import { doctorCommand } from './commands/doctor.js';
import { execCommand } from './commands/exec.js';
import { helpCommand } from './commands/help.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { planCommand } from './commands/plan.js';
import { removeNodeCommand } from './commands/remove-node.js';
import { resetCommand } from './commands/reset.js';
import { snapshotCommand } from './commands/snapshot.js';
import { prepareCommand } from './commands/prepare.js';
import { schemaCommand } from './commands/schema.js';
import { statusCommand } from './commands/status.js';
import { tokenCommand } from './commands/token.js';
import { unlockCommand } from './commands/unlock.js';
import { upCommand } from './commands/up.js';
import { upgradeCommand } from './commands/upgrade.js';
import { reportError } from './exit.js';
import { withGlobalOptions } from './global-options.js';
import { rewriteHelp } from './help-argv.js';
import { errorEnvelope, wantsJson, withSchemaVersion } from './json-envelope.js';
import { commandName, globalOptions, optionsOfCommands, type AnyCommand, type CommandOptions } from './options/command-options.js';
import { describeParseProblem } from './options/unknown-option.js';
import { thrownUsageError } from './options/usage-error.js';
import { processOutput } from './output.js';
import { runForcedExitCleanups } from '../state/forced-exit.js';
import { docsUrl, packageVersion } from './package-info.js';

/**
 * Every command of fleet. A command added here gets, without more work: `fleet help <command>`,
 * completion, did-you-mean for its options, the --json error envelope (docs/cli.md).
 */
const COMMANDS: ReadonlyArray<(deps: CommandDeps) => AnyCommand> = [
  planCommand,
  prepareCommand,
  upCommand,
  addNodeCommand,
  removeNodeCommand,
  resetCommand,
  upgradeCommand,
  snapshotCommand,
  tokenCommand,
  statusCommand,
  doctorCommand,
  kubeconfigCommand,
  execCommand,
  unlockCommand,
  schemaCommand,
];

function registeredCommands(deps: CommandDeps, showHelp: () => void): AnyCommand[] {
  const commands: AnyCommand[] = COMMANDS.map((make) => make(deps));
  const all: AnyCommand[] = [...commands, helpCommand(showHelp)];
  all.push(completionCommand(deps, () => optionsOfCommands(all)));
  return all;
}

/** The options of every registered command (for docs tests and tools). */
export function listCommandOptions(): CommandOptions[] {
  const deps: CommandDeps = { output: { out: () => undefined, err: () => undefined, style: { bold: String, dim: String, warn: String } }, env: {}, secrets: [], gatherFacts: async () => new Map() };
  return optionsOfCommands(registeredCommands(deps, () => undefined));
}

/** Runs fleet with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], deps: CommandDeps): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const json = wantsJson(argv);
  const output = json ? withSchemaVersion(deps.output) : deps.output;
  const commandDeps: CommandDeps = { ...deps, output, setExitCode: (code) => void (exitCode = code) };
  const showHelp = () => parser.showHelp((text) => output.out(`${text}\n`));
  const commands = registeredCommands(commandDeps, showHelp);
  const context = { argv, commands: optionsOfCommands(commands), global: globalOptions() };
  const parser = withGlobalOptions(yargs())
    .locale('en')
    .scriptName('fleet')
    .usage('$0 <command> [options]\n\nTurn a YAML inventory of Raspberry Pis and x86 machines into a highly available K3s cluster.');
  for (const command of commands) parser.command(command);
  parser
    .demandCommand(1, 'name a command (see fleet --help)')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue(`Exit codes: 0 ok, 1 a host failed, 2 invalid input, 3 refused by a safety gate, 130 interrupted.\nfleet help <command> shows a command's options. Docs: ${docsUrl()}`)
    .fail((message, error) => {
      // Option checks throw fleet's own errors; yargs' complaints come as English messages.
      if (error instanceof FleetError) throw error;
      const thrown = thrownUsageError(message ?? error?.message);
      if (thrown) throw thrown;
      if (message) throw describeParseProblem(message, context);
      throw error;
    });
  try {
    await parser.parseAsync(rewriteHelp(argv, commands.map(commandName)));
    return deps.signal?.aborted ? ExitCode.interrupted : exitCode;
  } catch (error) {
    if (deps.signal?.aborted) {
      if (json) deps.output.out(`${JSON.stringify(errorEnvelope(new InterruptedError('interrupted'), ExitCode.interrupted, deps.secrets), null, 2)}\n`);
      deps.output.err('interrupted\n');
      return ExitCode.interrupted;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const report = reportError(error, { secrets: deps.secrets, verbose });
    if (json) deps.output.out(`${JSON.stringify(errorEnvelope(error, report.exitCode, deps.secrets), null, 2)}\n`);
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
  const deps: CommandDeps = {
    output: processOutput(),
    env: process.env,
    secrets: [],
    gatherFacts: async (...args) => (await import('../ops/plan/gather-for-plan.js')).gatherFactsOverSsh(...args),
    signal: controller.signal,
  };
  const code = await main(hideBin(process.argv), deps);
  process.exitCode = code;
}
