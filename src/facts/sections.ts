// The delimiter protocol of the facts script. Each probe's output is framed as
//
//   @@fleet:begin <name>@@\n<raw output>\n@@fleet:end <name> rc=<exit status>@@\n
//
// The newline before the end marker is always added by the frame, so output without a trailing
// newline (the NUL-terminated device-tree model) survives unchanged. A section whose end marker
// is missing (script killed) is simply absent from the result.

export interface Section {
  text: string;
  /** Exit status of the probe's subshell. */
  exitCode: number;
}

const SECTION_NAME = /^[a-z0-9-]+$/;

/** POSIX sh that runs `snippet` in a subshell and frames its stdout with the markers above. */
export function frameSection(name: string, snippet: string): string {
  if (!SECTION_NAME.test(name)) throw new TypeError(`section name must match ${SECTION_NAME}: ${name}`);
  return [`printf '%s\\n' '@@fleet:begin ${name}@@'`, '(', snippet.trimEnd(), ')', `printf '\\n@@fleet:end ${name} rc=%s@@\\n' "$?"`].join('\n');
}

/** Split a facts script's stdout into its sections, by name. */
export function splitSections(stdout: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  const framed = /^@@fleet:begin ([a-z0-9-]+)@@\n([\s\S]*?)\n@@fleet:end \1 rc=(\d+)@@$/gm;
  for (const match of stdout.matchAll(framed)) {
    sections.set(match[1]!, { text: match[2]!, exitCode: Number(match[3]) });
  }
  return sections;
}

/** A probe's `key=value` lines as a map (first `=` splits; blank keys and other lines ignored). */
export function keyValueLines(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return fields;
}
