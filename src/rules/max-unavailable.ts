// How many agents an upgrade takes out of scheduling at once: --max-unavailable N or N% of the
// agents (default 10%), at least 1, never above --concurrency.
import { InputError } from '../errors.js';

export interface MaxUnavailable {
  value: number;
  /** How it was decided, for the plan output: "10% of 6 agents → 1 (at least 1)". */
  arithmetic: string;
}

export const DEFAULT_MAX_UNAVAILABLE = '10%';

export function maxUnavailable(spec: string | undefined, agents: number, concurrency: number): MaxUnavailable {
  const text = (spec ?? DEFAULT_MAX_UNAVAILABLE).trim();
  const match = /^(\d+)(%?)$/.exec(text);
  if (!match || Number(match[1]) === 0 || (match[2] === '%' && Number(match[1]) > 100)) {
    throw new InputError(`--max-unavailable ${text}: expected a whole number of agents (e.g. 2) or a percentage of them (1% to 100%)`, 'for example --max-unavailable 2 or --max-unavailable 20%');
  }
  const raw = match[2] === '%' ? Math.floor((agents * Number(match[1])) / 100) : Number(match[1]);
  let value = Math.max(1, raw);
  const notes = [match[2] === '%' ? `${text} of ${agents} agent${agents === 1 ? '' : 's'} → ${raw}` : `${raw}`];
  if (raw < 1) notes.push('at least 1');
  if (value > concurrency) {
    value = concurrency;
    notes.push(`capped at --concurrency ${concurrency}`);
  }
  return { value, arithmetic: `${notes[0]}${notes.length > 1 ? ` (${notes.slice(1).join(', ')})` : ''} → ${value} at a time` };
}
