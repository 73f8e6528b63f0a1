// sshd refuses more than MaxSessions (default 10) channels on one connection at once. Commands
// beyond the limit wait here instead of failing, leaving room for the kill channel of a timeout.

export class ChannelSlots {
  private inUse = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`channel limit must be a positive integer, got ${limit}`);
  }

  /** Resolves when a channel may be opened; call the returned function when it has closed. */
  async acquire(): Promise<() => void> {
    if (this.inUse >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so inUse stays the same.
      if (next) next();
      else this.inUse--;
    };
  }
}
