import { readFileSync } from 'node:fs';
import { factsFixture } from './repo-paths.js';

/** A fixture of real command output from test/fixtures/facts/. */
export function fixture(name: string): string {
  return readFileSync(factsFixture(name), 'utf8');
}
