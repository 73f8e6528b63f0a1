// `fleet schema`: the inventory's JSON Schema (for editors, yaml-language-server), generated from
// the same zod schema the loader checks with.
import type { Argv, CommandModule } from 'yargs';
import { inventoryJsonSchemaText } from '../../inventory/json-schema.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';

export function schemaCommand(deps: CommandDeps): CommandModule<object, GlobalOptions> {
  return {
    command: 'schema',
    describe: 'Print the JSON Schema of the inventory (for editors: yaml-language-server)',
    builder: (yargs: Argv<object>) =>
      yargs.example('$0 schema > inventory.schema.json', 'Save it; then put  # yaml-language-server: $schema=./inventory.schema.json  at the top of the inventory') as unknown as Argv<GlobalOptions>,
    handler: async () => deps.output.out(inventoryJsonSchemaText()),
  };
}
