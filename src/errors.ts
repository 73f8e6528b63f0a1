// One typed error family; src/cli/exit.ts maps each to a documented exit code.

/** Exit codes used by every command (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  hostFailed: 1,
  invalidInput: 2,
  refused: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class FleetError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found in an inventory, with where it is and how to fix it. */
export interface InventoryIssue {
  /** YAML path such as `hosts[2].role`; empty for the document itself. */
  path: string;
  /** 1-based line in the inventory file when the parser knows it. */
  line?: number;
  message: string;
  /** What is allowed / what to do instead. */
  hint?: string;
}

/** The inventory is wrong: every problem at once. Exit 2; nothing touched any host. */
export class InventoryError extends FleetError {
  readonly exitCode = ExitCode.invalidInput;
  constructor(
    readonly file: string,
    readonly issues: InventoryIssue[],
  ) {
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the inventory`);
  }
}

/** Bad flags, missing or unreadable local files. Exit 2. */
export class InputError extends FleetError {
  readonly exitCode = ExitCode.invalidInput;
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A safety gate that needed facts refused the operation before anything changed. Exit 3. */
export class SafetyError extends FleetError {
  readonly exitCode = ExitCode.refused;
  constructor(
    message: string,
    readonly hint?: string,
    readonly host?: string,
  ) {
    super(message);
  }
}

/** A command on a host failed (execa-style: everything needed to understand it). */
export class CommandError extends FleetError {
  readonly exitCode = ExitCode.hostFailed;
  constructor(
    readonly host: string,
    readonly step: string,
    readonly remoteExitCode: number | null,
    readonly stderrTail: string,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `${host}: ${step} failed with exit code ${remoteExitCode ?? 'none'}${stderrTail ? `: ${stderrTail}` : ''}`, options);
  }
}

/** Could not reach or authenticate to a host. Exit 1 (the host failed). */
export class ConnectionError extends FleetError {
  readonly exitCode = ExitCode.hostFailed;
  constructor(
    readonly host: string,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Host key unknown or changed: refused before any command runs. Exit 1 for that host. */
export class HostKeyError extends FleetError {
  readonly exitCode = ExitCode.hostFailed;
  constructor(
    readonly host: string,
    readonly kind: 'unknown' | 'changed',
    readonly fingerprint: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The run was interrupted (SIGINT/SIGTERM). Exit 130. */
export class InterruptedError extends FleetError {
  readonly exitCode = ExitCode.interrupted;
}
