/** The one `lookout` CLI: each command lives beside the capability it serves and is loaded lazily. */
export interface Command {
  /** One-line description shown by `lookout help`. */
  readonly summary: string;
  /** Runs the command and resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

type Loader = () => Promise<{ command: Command }>;

const commands: Record<string, Loader> = {
  serve: () => import('./serve.cli.ts'),
  migrate: () => import('./migrate.cli.ts'),
  extract: () => import('../modules/intel/extract/extract.cli.ts'),
  screen: () => import('../modules/screening/screen.cli.ts'),
  simulate: () => import('../modules/simulate/simulate.cli.ts'),
  user: () => import('../auth/user.cli.ts'),
  agency: () => import('../auth/agency.cli.ts'),
  audit: () => import('../audit/audit.cli.ts'),
  // [commands:auth]
  keys: () => import('../crypto/keys.cli.ts'),
  // [commands:reporting]
  bench: () => import('../bench/bench.cli.ts'),
  // [commands:bench]
};

export function commandNames(): string[] {
  return Object.keys(commands).sort();
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const lines = await Promise.all(
      commandNames().map(async (n) => {
        try {
          const { command } = await commands[n]!();
          return `  ${n.padEnd(10)} ${command.summary}`;
        } catch {
          return `  ${n.padEnd(10)} (unavailable)`;
        }
      }),
    );
    process.stdout.write(`Usage: lookout <command> [options]\n\nCommands:\n${lines.join('\n')}\n`);
    return name ? 0 : 1;
  }
  const loader = commands[name];
  if (!loader) {
    process.stderr.write(`lookout: unknown command "${name}". Run "lookout help" for the list.\n`);
    return 2;
  }
  const { command } = await loader();
  return command.run(rest);
}
