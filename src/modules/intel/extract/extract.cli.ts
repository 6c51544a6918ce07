/**
 * `lookout extract`: entity and indicator extraction from the command line.
 *   --jsonl   reads lines {"id","text"} on stdin and writes one line per input:
 *             {"id","entities":[{"type","value","start","end"}],"indicators":[{"code","start","end"}]}
 *             A line that is not valid input gets {"id"?,"line","error"} and the run goes on.
 *   (default) reads plain text on stdin and writes one JSON result.
 * Contract: DESIGN.md "Contracts other code and checks rely on".
 */
import { createInterface } from 'node:readline';
import type { Command } from '../../../cli/main.ts';
import type { ExtractResult } from './extract.ts';
import { extract } from './extract.ts';
import { ExtractContentError } from './lexicon.ts';
import { defaultTrainingFiles, trainFromFiles, writeModel } from './classifier.train.ts';

export interface ExtractIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const USAGE = `Usage: lookout extract [--jsonl] [--pretty] < input

  --jsonl   input lines {"id","text"}; output one line per input:
            {"id","entities":[{"type","value","start","end"}],"indicators":[{"code","start","end"}]}
  (default) input is plain text; output is one JSON object {"entities","indicators"}
  --pretty  indent the single JSON result (plain-text mode)

Usage: lookout extract train [--out FILE] [FILE.jsonl ...]
  retrain the indicator classifier from labelled sets (by default every set in
  src/modules/intel/extract/fixtures/) and write it to content/extract/indicator-model.json
  (or FILE)
Entity types: phone (E.164), vehicle, postcode, handle, line_name, place. Offsets are UTF-16, end exclusive.
`;

/** The output record for one result, in contract field order. */
export function toRecord(r: ExtractResult): { entities: unknown[]; indicators: unknown[] } {
  return {
    entities: r.entities.map((e) => ({ type: e.type, value: e.value, start: e.start, end: e.end })),
    indicators: r.indicators.map((i) => ({ code: i.code, start: i.start, end: i.end })),
  };
}

/** Handles one JSONL input line; returns the output line (without newline). */
export function processLine(line: string, lineNo: number): string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (err) {
    return JSON.stringify({ line: lineNo, error: `invalid JSON: ${(err as Error).message}` });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return JSON.stringify({ line: lineNo, error: 'expected a JSON object {"id","text"}' });
  }
  const obj = data as { id?: unknown; text?: unknown };
  const idOk = typeof obj.id === 'string' || typeof obj.id === 'number';
  const id = idOk ? obj.id : undefined;
  if (!idOk) return JSON.stringify({ line: lineNo, error: '"id" must be a string or number' });
  if (typeof obj.text !== 'string') return JSON.stringify({ id, line: lineNo, error: '"text" must be a string' });
  try {
    return JSON.stringify({ id, ...toRecord(extract(obj.text)) });
  } catch (err) {
    if (err instanceof ExtractContentError) throw err;
    return JSON.stringify({ id, line: lineNo, error: `extraction failed: ${(err as Error).message}` });
  }
}

/** Runs the command with the given streams; returns the exit code. */
export async function runExtract(argv: string[], io: ExtractIo): Promise<number> {
  if (argv[0] === 'train') return runTrain(argv.slice(1), io);
  let jsonl = false;
  let pretty = false;
  for (const a of argv) {
    if (a === '--jsonl') jsonl = true;
    else if (a === '--pretty') pretty = true;
    else if (a === '--help' || a === '-h') {
      io.stdout.write(USAGE);
      return 0;
    } else {
      io.stderr.write(`lookout extract: unknown option "${a}"\n${USAGE}`);
      return 2;
    }
  }
  try {
    extract(''); // load and validate content before reading input
  } catch (err) {
    if (err instanceof ExtractContentError) {
      io.stderr.write(`lookout extract: the content files have problems:\n${err.message}\n`);
      return 1;
    }
    throw err;
  }

  if (jsonl) {
    const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
    let lineNo = 0;
    let buf: string[] = [];
    for await (const raw of rl) {
      lineNo++;
      const line = raw.replace(/^\uFEFF/, '');
      if (!line.trim()) continue;
      buf.push(processLine(line, lineNo));
      if (buf.length >= 256) {
        io.stdout.write(buf.join('\n') + '\n');
        buf = [];
      }
    }
    if (buf.length) io.stdout.write(buf.join('\n') + '\n');
    return 0;
  }

  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  io.stdout.write(JSON.stringify(toRecord(extract(text)), null, pretty ? 2 : undefined) + '\n');
  return 0;
}

/** `lookout extract train [FILE ...]`: retrains and writes the indicator model. */
function runTrain(argv: string[], io: ExtractIo): number {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      out = argv[++i];
      if (out === undefined || out.startsWith('-')) {
        io.stderr.write('lookout extract train: --out needs a file name\n');
        return 2;
      }
    } else if (a.startsWith('-')) {
      io.stderr.write(`lookout extract train: unknown option "${a}"\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) files.push(...defaultTrainingFiles());
  try {
    const model = trainFromFiles(files);
    const file = writeModel(model, out);
    io.stdout.write(`trained on ${files.length} file(s): ${Object.keys(model.weights).length} features, ${model.codes.length} codes -> ${file}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ExtractContentError) {
      io.stderr.write(`lookout extract train: ${err.message}\n`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.stderr.write(`lookout extract train: cannot read or write ${(err as NodeJS.ErrnoException).path ?? 'a file'} (${code})\n`);
      return 1;
    }
    throw err;
  }
}

export const command: Command = {
  summary: 'Extract phones, vehicles, postcodes, handles, line names, places and indicators from text (--jsonl for batches; "train" retrains the indicator classifier)',
  run: (argv) => runExtract(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
};
