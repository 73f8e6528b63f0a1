// Raspberry Pi model from the device tree; the file is NUL-terminated and absent on x86.
import type { FactProbe } from './probe.js';

/** "Raspberry Pi 4 Model B Rev 1.4", or undefined when the host is not a Raspberry Pi. */
export function parsePiModel(output: string): string | undefined {
  const model = output.replace(/\0/g, '').trim();
  return model.startsWith('Raspberry Pi') ? model : undefined;
}

export const piModelProbe: FactProbe<string | undefined> = {
  name: 'pi-model',
  script: ['for f in /proc/device-tree/model /sys/firmware/devicetree/base/model; do', '  if [ -r "$f" ]; then cat "$f"; break; fi', 'done'].join('\n'),
  parse: parsePiModel,
};
