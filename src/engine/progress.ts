// What a person sees while a run goes on: on a TTY one line per host, redrawn in place with its
// phase, step and elapsed time; otherwise plain timestamped lines that read well in CI logs.

/** `warn`: finished, with a finding worth reading (a disk too slow for etcd), not a failure. */
export type ProgressState = 'running' | 'ok' | 'warn' | 'failed' | 'skipped';

const PLAIN_MARK: Record<ProgressState, string> = { running: '…', ok: 'ok', warn: 'WARN', failed: 'FAILED', skipped: 'skipped' };
const TTY_MARK: Record<ProgressState, string> = { running: '…', ok: '✓', warn: '!', failed: '✗', skipped: '-' };

export interface Progress {
  /** `host` is now doing `what` (or finished with it, when done is set). */
  update(host: string, what: string, state?: ProgressState): void;
  /** A line about the run as a whole. */
  note(text: string): void;
  /** Stop redrawing; the final table follows. */
  stop(): void;
}

export const silentProgress: Progress = { update() {}, note() {}, stop() {} };

export function plainProgress(write: (text: string) => void, now: () => Date = () => new Date()): Progress {
  const stamp = () => now().toISOString().slice(11, 19);
  return {
    update(host, what, state = 'running') {
      write(`${stamp()} ${host}: ${what} ${PLAIN_MARK[state]}\n`);
    },
    note(text) {
      write(`${stamp()} ${text}\n`);
    },
    stop() {},
  };
}

/** In-place lines on a TTY; redraws at most every 100 ms so 100 hosts do not flood the terminal. */
export function ttyProgress(stream: NodeJS.WriteStream, hosts: string[]): Progress {
  const started = Date.now();
  const rows = new Map(hosts.map((h) => [h, { what: 'waiting', state: 'running' as ProgressState, since: started }]));
  const width = Math.max(...hosts.map((h) => h.length), 4);
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const notes: string[] = [];
  const draw = () => {
    timer = undefined;
    let out = drawn > 0 ? `\u001b[${drawn}A` : '';
    for (const note of notes.splice(0)) out += `\u001b[2K${note}\n`;
    const now = Date.now();
    const maxRows = Math.max(5, (stream.rows ?? 40) - 4);
    const shown = [...rows.entries()].slice(0, maxRows);
    for (const [host, row] of shown) {
      const mark = TTY_MARK[row.state];
      const secs = ((now - row.since) / 1000).toFixed(0).padStart(4);
      out += `\u001b[2K ${mark} ${host.padEnd(width)}  ${row.what}${row.state === 'running' ? `  ${secs}s` : ''}\n`;
    }
    drawn = shown.length;
    stream.write(out);
  };
  const schedule = () => {
    timer ??= setTimeout(draw, 100);
  };
  const ticker = setInterval(schedule, 1000);
  ticker.unref();
  return {
    update(host, what, state = 'running') {
      const row = rows.get(host);
      if (!row) return;
      if (row.what !== what) row.since = Date.now();
      Object.assign(row, { what, state });
      schedule();
    },
    note(text) {
      notes.push(text);
      schedule();
    },
    stop() {
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      draw();
    },
  };
}
