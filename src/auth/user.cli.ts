/**
 * `lookout user add --email E --name N --agency A --role R [--role R2]`: adds a staff user and
 * prints a one-time set-up link (72 hours). `lookout user disable --email E` and
 * `lookout user enable --email E`. The agency is named by id or by name.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../cli/main.ts';
import type { Container } from '../container.ts';
import { ValidationError } from '../errors.ts';
import { cliActor, processOutput, withContainer, type CliOutput } from './cli-context.ts';

const USAGE = `Usage:
  lookout user add --email EMAIL --name NAME --agency AGENCY --role ROLE [--role ROLE ...]
  lookout user disable --email EMAIL
  lookout user enable --email EMAIL
Roles: admin, triage, caseworker, analyst, campaigns, viewer. AGENCY is an agency id or name.`;

/** Runs a `user` sub-command against a container; resolves to the exit code. */
export async function runUserCommand(container: Container, argv: string[], io: CliOutput = processOutput): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { email?: string | undefined; name?: string | undefined; agency?: string | undefined; role?: string[] | undefined };
  try {
    values = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, name: { type: 'string' }, agency: { type: 'string' }, role: { type: 'string', multiple: true } },
      strict: true,
    }).values;
  } catch (err) {
    io.err(`lookout user: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { users, agencies } = container.services.auth;
  try {
    if (sub === 'add') {
      if (!values.email || !values.name || !values.agency || !values.role?.length) {
        io.err(`lookout user add: --email, --name, --agency and at least one --role are required\n${USAGE}`);
        return 2;
      }
      const agency = await agencies.find(values.agency);
      if (!agency) {
        io.err(`lookout user add: no agency "${values.agency}" (add it with "lookout agency add")`);
        return 1;
      }
      const added = await users.add(cliActor('user add'), { email: values.email, name: values.name, roles: values.role, agencyId: agency.id });
      io.out(`Added ${added.user.name} <${added.user.email}> to ${agency.name} as ${added.user.roles.join(', ')}.`);
      io.out(`One-time set-up link (valid until ${added.expiresAt.toISOString()}):`);
      io.out(added.setupUrl);
      return 0;
    }
    if (sub === 'disable' || sub === 'enable') {
      if (!values.email) {
        io.err(`lookout user ${sub}: --email is required\n${USAGE}`);
        return 2;
      }
      const actor = cliActor(`user ${sub}`);
      const id = await users.idByEmail(actor, values.email);
      const user = sub === 'disable' ? await users.disable(actor, id) : await users.enable(actor, id);
      io.out(`${user.email} is now ${sub === 'disable' ? 'disabled; their sessions have ended' : 'enabled'}.`);
      return 0;
    }
  } catch (err) {
    if (err instanceof ValidationError) {
      io.err(`lookout user ${sub}: ${err.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
      return 1;
    }
    if (err instanceof Error && err.name === 'NotFoundError') {
      io.err(`lookout user ${sub}: no user with that email address`);
      return 1;
    }
    throw err;
  }
  io.err(USAGE);
  return 2;
}

export const command: Command = {
  summary: 'Add a staff user (prints a set-up link), disable or enable one',
  run: (argv) => withContainer((c) => runUserCommand(c, argv)),
};
