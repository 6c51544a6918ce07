/**
 * `lookout screen`: reads ONE JSON object (the checker's answers) on stdin and writes ONE JSON
 * object (level, reasons, routes) on stdout. Invalid input exits 2 with a message on stderr that
 * names the field, and writes nothing on stdout. Broken content exits 1. Schema: ./README.md.
 */
import { fileURLToPath } from 'node:url';
import type { Command } from '../../cli/main.ts';
import { ValidationError } from '../../errors.ts';
import { ContentError, loadContent } from '../awareness/content.ts';
import { parseScreenInput } from './screen.schema.ts';
import { score } from './scoring.ts';

/** The content/ folder of this checkout, so the command works from any working directory. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../../content', import.meta.url));

export interface ScreenIo {
  stdin: AsyncIterable<Buffer | string>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const USAGE = `Usage: lookout screen [--content DIR] [--pretty] < input.json

Reads one JSON object on stdin:
  {"subject":{"kind":"child"|"adult","age":N,"vulnerabilities":[...]},
   "signs":[{"code":"<indicator code>","severity":"low"|"medium"|"high"}],
   "missing_episodes_30d":N,"danger_now":true|false}
Writes one JSON object on stdout:
  {"level":"low"|"medium"|"high"|"emergency","reasons":[...],"routes":[{"id","label","contact"}],"score":N,"band":"..."}
Exit codes: 0 result written; 2 invalid input or options (message on stderr); 1 content or other error.
`;

const MAX_INPUT_BYTES = 1_048_576;

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) return null;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the command with the given streams; returns the exit code. */
export async function runScreen(argv: string[], io: ScreenIo): Promise<number> {
  let contentDir = DEFAULT_CONTENT_DIR;
  let pretty = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      io.stdout.write(USAGE);
      return 0;
    } else if (a === '--pretty') pretty = true;
    else if (a === '--content' && argv[i + 1]) contentDir = argv[++i] ?? contentDir;
    else {
      io.stderr.write(`lookout screen: unknown option "${a}"\n${USAGE}`);
      return 2;
    }
  }

  let rules;
  try {
    rules = loadContent(contentDir).screening;
  } catch (err) {
    if (err instanceof ContentError) {
      io.stderr.write(`lookout screen: the content files have problems:\n${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const raw = await readAll(io.stdin);
  if (raw === null) {
    io.stderr.write(`lookout screen: input: larger than ${MAX_INPUT_BYTES} bytes\n`);
    return 2;
  }
  if (!raw.trim()) {
    io.stderr.write('lookout screen: input: no JSON on stdin (send one JSON object)\n');
    return 2;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    io.stderr.write(`lookout screen: input: not valid JSON (${err instanceof Error ? err.message : String(err)})\n`);
    return 2;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    io.stderr.write('lookout screen: input: expected one JSON object\n');
    return 2;
  }

  try {
    const input = parseScreenInput(data, rules);
    const result = score(input, rules);
    io.stdout.write(`${JSON.stringify(result, null, pretty ? 2 : undefined)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      io.stderr.write(`lookout screen: invalid input:\n${err.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}\n`);
      return 2;
    }
    throw err;
  }
}

export const command: Command = {
  summary: 'Score an "I\'m worried about someone" check: one JSON object on stdin, the result on stdout',
  run: (argv) => runScreen(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
};
