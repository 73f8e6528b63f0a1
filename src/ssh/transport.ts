// The seam between fleet and its hosts. Only src/ssh implements it against the network;
// unit tests of planning and steps use a fake.

export interface ExecOptions {
  /** Bytes written to the command's stdin, then closed (how playbooks are streamed to `sh -s`). */
  stdin?: string | Buffer;
  /**
   * Variables for the remote command, sent as `export K='v'` lines on stdin, never on the remote
   * command line, so secrets stay out of argv. Without `stdin` the command runs as a one-line
   * script under `sh -s`; with `stdin` the command must read a script (e.g. `sh -s`) and the
   * exports are prepended to it.
   */
  env?: Record<string, string>;
  /** Run as root: through `sudo -n` when the login user is not root. */
  sudo?: boolean;
  /** Kill the command (and report a timeout) after this long. */
  timeoutMs?: number;
  /** Aborts the command (e.g. Ctrl-C): the remote process is killed and exec rejects with InterruptedError. */
  signal?: AbortSignal;
  /**
   * Receives stdout as it arrives instead of collecting it (ExecResult.stdout is then empty): how
   * a large file (an etcd snapshot) is copied to the controller without holding it in memory.
   */
  onStdout?: (chunk: Buffer) => void;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the command was killed by a signal or timed out. */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

export interface Transport {
  /** The inventory name of the host this transport reaches. */
  readonly host: string;
  /** SHA256 fingerprint of the host key the host's SSH server presented (real connections only). */
  readonly hostKeyFingerprint?: string;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Write a file on the host (atomically: temp file + rename), as root when sudo is set. Mode defaults to 0600. */
  writeFile(remotePath: string, content: string | Buffer, options?: { mode?: number; sudo?: boolean }): Promise<void>;
  /** Stream a local file (e.g. the k3s binary) to the host, atomically, like writeFile. */
  upload(localPath: string, remotePath: string, options?: { mode?: number; sudo?: boolean }): Promise<void>;
  close(): Promise<void>;
}
