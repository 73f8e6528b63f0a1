// OpenSSH ignores signal requests in sessions of root logins (they run without privilege
// separation after authentication), so a killable command run as root first reports the pid of
// its session leader on stderr. fleet strips that line and kills the process group itself.
const announcementPrefix = 'fleet-session-pid:';

/** Prefix for the remote command: sshd setsid()s the login shell, so $$ is also the process group id. */
export function announceSessionPid(command: string): string {
  return `echo "${announcementPrefix}$$" >&2; ${command}`;
}

/** Collects stderr, taking the announced pid off its first line. */
export class StderrWithSessionPid {
  private readonly chunks: Buffer[] = [];
  private head: Buffer | undefined = Buffer.alloc(0);
  pid?: number;

  constructor(expectAnnouncement: boolean) {
    if (!expectAnnouncement) this.head = undefined;
  }

  push(chunk: Buffer): void {
    if (this.head === undefined) {
      this.chunks.push(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const newline = this.head.indexOf(10);
    if (newline === -1) return;
    const line = this.head.subarray(0, newline).toString('latin1');
    const rest = this.head.subarray(newline + 1);
    this.head = undefined;
    if (line.startsWith(announcementPrefix)) {
      this.pid = Number(line.slice(announcementPrefix.length)) || undefined;
      if (rest.length > 0) this.chunks.push(rest);
    } else {
      this.chunks.push(Buffer.from(`${line}\n`), rest);
    }
  }

  text(): string {
    const pending = this.head && this.head.length > 0 ? [this.head] : [];
    return Buffer.concat([...this.chunks, ...pending]).toString('utf8');
  }
}
