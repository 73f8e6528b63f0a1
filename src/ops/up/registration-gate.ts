// When agents are about to register through cluster.registrationAddress, check first (from one
// of them) that the address answers as this cluster; otherwise stop before any agent changes.
import type { Inventory } from '../../inventory/types.js';
import { serverUrl } from '../../rules/host-config.js';
import type { Plan, PlannedHost } from './types.js';
import { checkRegistrationAddress } from './check-registration-address.js';
import type { Transport } from '../../ssh/transport.js';

export async function registrationGate(
  inventory: Inventory,
  plan: Plan,
  agentsToChange: PlannedHost[],
  transportFor: (name: string) => Promise<Transport>,
  warn: (text: string) => void,
): Promise<void> {
  const address = inventory.cluster.registrationAddress;
  if (address === undefined) return;
  const url = serverUrl(address);
  const probe = agentsToChange.find((agent) => agent.config['server'] === url);
  if (!probe) return;
  const outcome = await checkRegistrationAddress({ address, server: await transportFor(plan.firstServer), from: await transportFor(probe.name) });
  if (!outcome.checked) warn(`the registration address ${address} was not checked: ${outcome.why}`);
}
