/**
 * `lookout extract train`: (re)builds content/extract/indicator-model.json from the labelled
 * fixtures, so the shipped model is reproducible from data in this repository (the classifier
 * test checks that it is). Reading and writing files is the only I/O; training is classifier.ts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndicatorModelData, TrainingCase, TrainOptions } from './classifier.ts';
import { clusterIndex, createFeaturizer, trainIndicatorModel } from './classifier.ts';
import { DEFAULT_CONTENT_DIR, ExtractContentError, readWordClusters } from './lexicon.ts';
import { INDICATOR_CODES } from './types.ts';

/** The labelled sets the shipped model is trained on. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures', import.meta.url));

export function defaultTrainingFiles(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(FIXTURES_DIR, f));
}

/** Reads labelled JSONL ({"text","expect":{"indicator":[...]},"accept":{...}}), naming a bad line. */
export function readTrainingCases(files: readonly string[]): TrainingCase[] {
  const known = new Set<string>(INDICATOR_CODES);
  const cases: TrainingCase[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        let c: { text?: unknown; expect?: { indicator?: unknown }; accept?: { indicator?: unknown } };
        try {
          c = JSON.parse(line) as typeof c;
        } catch {
          throw new ExtractContentError(`${file}:${i + 1}: not valid JSON`);
        }
        const codes = (v: unknown, field: string): string[] => {
          if (v === undefined) return [];
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !known.has(x))) {
            throw new ExtractContentError(`${file}:${i + 1}: ${field}.indicator must be a list of indicator codes`);
          }
          return v as string[];
        };
        if (typeof c.text !== 'string') throw new ExtractContentError(`${file}:${i + 1}: "text" must be a string`);
        cases.push({ text: c.text, expect: codes(c.expect?.indicator, 'expect'), accept: codes(c.accept?.indicator, 'accept') });
      });
  }
  return cases;
}

/** Trains the model from `files` with the shipped word clusters. */
export function trainFromFiles(files: readonly string[] = defaultTrainingFiles(), contentDir = DEFAULT_CONTENT_DIR, opts: TrainOptions = {}): IndicatorModelData {
  const featurize = createFeaturizer(clusterIndex(readWordClusters(contentDir)));
  return trainIndicatorModel(readTrainingCases(files), INDICATOR_CODES, featurize, opts);
}

/** The model file's text: one feature per line, so a retrained model diffs readably. */
export function serializeModel(model: IndicatorModelData): string {
  const lines = Object.entries(model.weights).map(([f, w]) => `    ${JSON.stringify(f)}: ${JSON.stringify(w)}`);
  return [
    '{',
    `  "codes": ${JSON.stringify(model.codes)},`,
    `  "threshold": ${JSON.stringify(model.threshold)},`,
    `  "bias": ${JSON.stringify(model.bias)},`,
    '  "weights": {',
    lines.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes the model to `file` (by default the shipped content/extract/indicator-model.json). */
export function writeModel(model: IndicatorModelData, file = join(DEFAULT_CONTENT_DIR, 'extract', 'indicator-model.json')): string {
  writeFileSync(file, serializeModel(model));
  return file;
}
