// `--json` means one JSON object on stdout in every outcome. Results get a `schemaVersion`;
// errors become an envelope with the exit code, the error's kind and its message.
import { FleetError, InventoryError } from '../errors.js';
import { redact } from '../util/redact.js';
import type { Output } from './output.js';

/** Bumped when a field of fleet's JSON output changes meaning or disappears. */
export const JSON_SCHEMA_VERSION = 1;

/** Whether `--json` is on the command line (before a `--` that starts a remote command). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  return words.some((word) => word === '--json' || word === '--json=true');
}

/** `UsageError` → `usage`, `InventoryError` → `inventory`; anything not fleet's → `internal`. */
export function errorKind(error: unknown): string {
  if (!(error instanceof FleetError)) return 'internal';
  const name = error.constructor.name.replace(/Error$/, '') || 'fleet';
  return name.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
}

export interface ErrorEnvelope {
  schemaVersion: number;
  exitCode: number;
  error: { kind: string; message: string; hint?: string; file?: string; issues?: unknown[] };
  [more: string]: unknown;
}

/** The error as one object; a run report the error carries (preflight) is kept beside it. */
export function errorEnvelope(error: unknown, exitCode: number, secrets: ReadonlyArray<string | undefined>): ErrorEnvelope {
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  const hint = error instanceof FleetError && 'hint' in error && typeof error.hint === 'string' ? redact(error.hint, secrets) : undefined;
  const report = error instanceof FleetError && 'report' in error && typeof error.report === 'object' && error.report !== null ? (error.report as Record<string, unknown>) : {};
  const details = error instanceof InventoryError ? { file: error.file, issues: error.issues } : {};
  return { schemaVersion: JSON_SCHEMA_VERSION, ...report, exitCode, error: { kind: errorKind(error), message, ...(hint !== undefined ? { hint } : {}), ...details } };
}

/** An Output whose JSON objects carry `schemaVersion` first (a JSON Schema, `fleet schema`, is left alone). */
export function withSchemaVersion(output: Output): Output {
  return {
    ...output,
    out(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return output.out(text);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || '$schema' in parsed || 'schemaVersion' in parsed) return output.out(text);
      output.out(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...parsed }, null, 2)}\n`);
    },
  };
}
