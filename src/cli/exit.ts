// The one place where errors become messages and exit codes (docs/cli.md):
// 0 ok, 1 a host failed, 2 invalid input, 3 refused by a safety gate, 130 interrupted.
// FleetErrors print without a stack trace; anything else is a bug: a short message, a request
// to report it, exit 1 (stack only with --verbose).
import { relative } from 'node:path';
import { ExitCode, FleetError, InventoryError, type ExitCodeValue } from '../errors.js';
import { redact } from '../util/redact.js';

export interface ErrorReport {
  exitCode: ExitCodeValue;
  text: string;
}

export interface ReportOptions {
  /** Secrets that must never appear in the text (the token). */
  secrets?: ReadonlyArray<string | undefined>;
  verbose?: boolean;
  cwd?: string;
}

export function reportError(error: unknown, options: ReportOptions = {}): ErrorReport {
  const { exitCode, text } = describe(error, options);
  return { exitCode, text: redact(text, options.secrets ?? []) };
}

function describe(error: unknown, options: ReportOptions): ErrorReport {
  if (error instanceof InventoryError) return { exitCode: error.exitCode, text: formatInventoryError(error, options.cwd ?? process.cwd()) };
  if (error instanceof FleetError) {
    const hint = 'hint' in error && typeof error.hint === 'string' ? `\n  hint: ${error.hint}` : '';
    return { exitCode: error.exitCode, text: `error: ${error.message}${hint}\n` };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = options.verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return {
    exitCode: ExitCode.hostFailed,
    text: `unexpected error: ${message}${stack}\nThis is a bug in fleet: please report it, with the output of the same command run with --verbose.\n`,
  };
}

/** `inventory.yaml:14 hosts[2].role: "srv" is not a role (allowed: server, agent, auto)` */
export function formatInventoryError(error: InventoryError, cwd: string): string {
  const shown = relative(cwd, error.file);
  const file = shown === '' || shown.startsWith('..') ? error.file : shown;
  const lines = [`error: ${file}: ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} in the inventory`];
  for (const issue of error.issues) {
    const where = `${file}${issue.line !== undefined ? `:${issue.line}` : ''}`;
    const path = issue.path ? ` ${issue.path}:` : '';
    const hint = issue.hint ? ` (${issue.hint})` : '';
    lines.push(`  ${where}${path} ${issue.message}${hint}`);
  }
  return `${lines.join('\n')}\n`;
}
