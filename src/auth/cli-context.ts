/** What the auth and audit CLI commands share: a container on the configured database, and the system actor. */
import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '../config.ts';
import { createContainer, type Container } from '../container.ts';
import { createLogger } from '../logger.ts';
import type { SystemActor } from './access.ts';

/** Where a command writes: stdout for results, stderr for messages. Tests pass arrays. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The CLI acts as the system, still audited by name ("system:cli:user add"). */
export function cliActor(command: string): SystemActor {
  return { kind: 'system', name: `cli:${command}`, correlationId: randomUUID() };
}

/** Opens the container (applying migrations), runs `fn`, closes; config errors become exit code 1. */
export async function withContainer(fn: (container: Container) => Promise<number>): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      processOutput.err(`lookout: ${err.message}`);
      return 1;
    }
    throw err;
  }
  // Logs go to stderr at warn and above, so stdout carries only the command's result.
  const container = await createContainer(config, { logger: createLogger({ ...config, logLevel: 'warn', logFile: undefined }, process.stderr) });
  try {
    return await fn(container);
  } finally {
    await container.close();
  }
}
