// Plain writes to stdout/stderr; colour only on a TTY and never with NO_COLOR.
import type { Style } from '../ops/up/render.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
  style: Style;
}

export function useColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
}

const paint = (on: boolean, open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);

export function styleFor(colour: boolean): Style {
  return { bold: paint(colour, 1, 22), dim: paint(colour, 2, 22), warn: paint(colour, 33, 39) };
}

export function processOutput(): Output {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    style: styleFor(useColour(process.stdout)),
  };
}
