// How long one K3s install may run before fleet kills it and reports the host failed.
// Generous by default (a download on a Pi over Wi-Fi takes minutes); FLEET_INSTALL_TIMEOUT_MS
// shortens it, e.g. for CI or to give up on a hung host sooner.
import { InputError } from '../errors.js';

export const DEFAULT_INSTALL_TIMEOUT_MS = 600_000;
export const INSTALL_TIMEOUT_ENV = 'FLEET_INSTALL_TIMEOUT_MS';

export function installTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = env[INSTALL_TIMEOUT_ENV];
  if (given === undefined || given === '') return DEFAULT_INSTALL_TIMEOUT_MS;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1000) {
    throw new InputError(`${INSTALL_TIMEOUT_ENV}=${given} is not a timeout`, 'a whole number of milliseconds, at least 1000');
  }
  return value;
}
