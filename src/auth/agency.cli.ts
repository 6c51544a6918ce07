/** `lookout agency add --name N --kind K --area A` (prints the new id); `lookout agency list`. */
import { parseArgs } from 'node:util';
import type { Command } from '../cli/main.ts';
import type { Container } from '../container.ts';
import { ValidationError } from '../errors.ts';
import { AGENCY_KINDS } from './auth.repository.ts';
import { cliActor, processOutput, withContainer, type CliOutput } from './cli-context.ts';

const USAGE = `Usage:
  lookout agency add --name NAME --kind KIND --area AREA
  lookout agency list
Kinds: ${AGENCY_KINDS.join(', ')}`;

export async function runAgencyCommand(container: Container, argv: string[], io: CliOutput = processOutput): Promise<number> {
  const [sub, ...rest] = argv;
  const { agencies } = container.services.auth;
  if (sub === 'list') {
    for (const a of await agencies.list()) io.out(`${a.id}\t${a.kind}\t${a.area}\t${a.name}`);
    return 0;
  }
  if (sub !== 'add') {
    io.err(USAGE);
    return 2;
  }
  let values: { name?: string | undefined; kind?: string | undefined; area?: string | undefined };
  try {
    values = parseArgs({ args: rest, options: { name: { type: 'string' }, kind: { type: 'string' }, area: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    io.err(`lookout agency: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (!values.name || !values.kind || !values.area) {
    io.err(`lookout agency add: --name, --kind and --area are required\n${USAGE}`);
    return 2;
  }
  try {
    const agency = await agencies.add(cliActor('agency add'), { name: values.name, kind: values.kind, area: values.area });
    io.out(agency.id);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      io.err(`lookout agency add: ${err.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
      return 1;
    }
    throw err;
  }
}

export const command: Command = {
  summary: 'Add an agency (prints its id) or list agencies',
  run: (argv) => withContainer((c) => runAgencyCommand(c, argv)),
};
