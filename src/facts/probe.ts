// A fact probe: the POSIX sh snippet that prints raw facts on the host, and the pure parser that
// turns that text into typed data. Snippets are composed into one script (facts-script.ts) so a
// host's facts cost one SSH round trip; parsers are tested on fixtures of real output.

export interface FactProbe<T> {
  /** Section name in the script's output: lower-case letters, digits and dashes. */
  readonly name: string;
  /** POSIX sh, run in its own subshell; prints the raw facts to stdout, never fails the script. */
  readonly script: string;
  /** Pure: raw section text → typed facts. Must accept empty text (the fact is absent). */
  parse(output: string): T;
}
