/**
 * Loads and validates the extraction content: content/extract/*.yaml (cue lexicons and word
 * lists) and content/gazetteer/places.json. Reading files is the only I/O in this module; the
 * matchers built from the result are pure. A bad file throws an ExtractContentError that names
 * the file and the field, so a content edit cannot silently switch a rule off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { INDICATOR_CODES } from './types.ts';
import type { GazetteerPlace, PlaceRules } from './places.ts';
import type { LineRules } from './line-names.ts';
import type { IndicatorModelData } from './classifier.ts';

/** The content/ folder of this checkout, so the extractor works from any working directory. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../../../content', import.meta.url));

export class ExtractContentError extends Error {
  override readonly name = 'ExtractContentError';
}

const Words = z.array(z.string().min(1));

const RuleSchema = z.object({
  codes: z.array(z.enum(INDICATOR_CODES)).min(1),
  cues: Words.min(1),
  context: Words.optional(),
  unless: Words.optional(),
  window: z.number().int().positive().max(2000).optional(),
  negatable: z.boolean().optional(),
});
export type IndicatorRule = z.infer<typeof RuleSchema>;

const IndicatorLexiconSchema = z.object({
  negators: Words.min(1),
  hedges: Words,
  clause_breaks: Words,
  rules: z.array(RuleSchema).min(1),
});
export type IndicatorLexicon = z.infer<typeof IndicatorLexiconSchema>;

const PlaceRulesSchema = z.object({
  strict: Words,
  surnames: Words,
  titles: Words,
  locatives: Words,
  place_nouns: Words,
  street_words: Words,
  team_words: Words,
  person_before: Words.optional(),
  speech_after: Words.optional(),
  name_qualifiers: Words.optional(),
  group_after: Words.optional(),
});

const LineRulesSchema = z.object({
  not_brands: z.array(z.union([z.string(), z.number()]).transform(String)),
  not_after: Words,
  dealing_context: Words.min(1),
});

const GazetteerSchema = z.object({
  places: z
    .array(
      z.object({
        name: z.string().min(1),
        kind: z.enum(['city', 'town', 'station']),
        county: z.string(),
        region: z.string(),
        lat: z.number().min(49).max(61),
        lon: z.number().min(-9).max(2.5),
        aliases: z.array(z.string().min(1)).optional(),
        serves: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

const WordClustersSchema = z.object({
  source: z.string().min(1),
  words: z.number().int().positive(),
  clusters: z.array(z.string().regex(/^[a-z]+( [a-z]+)*$/, 'Must be lower-case words separated by single spaces')).min(1),
});

const IndicatorModelSchema = z
  .object({
    codes: z.array(z.enum(INDICATOR_CODES)).min(1),
    threshold: z.number().gt(0).lt(1),
    bias: z.array(z.number()),
    weights: z.record(z.string(), z.array(z.number())),
  })
  .superRefine((m, ctx) => {
    const n = m.codes.length;
    if (m.bias.length !== n) ctx.addIssue({ code: 'custom', path: ['bias'], message: `Must have one number per code (${n})` });
    for (const [f, w] of Object.entries(m.weights)) {
      if (w.length !== n) {
        ctx.addIssue({ code: 'custom', path: ['weights', f], message: `Must have one number per code (${n})` });
        return;
      }
    }
  });

/** The indicator classifier's model and the word clusters its features use (classifier.ts). */
export interface ClassifierContent {
  readonly model: IndicatorModelData;
  readonly clusters: readonly string[];
}

export interface ExtractContent {
  readonly indicators: IndicatorLexicon;
  readonly places: PlaceRules;
  readonly lines: LineRules;
  readonly gazetteer: readonly GazetteerPlace[];
  /** Absent: cues only (tests of the lexicon alone, and training the model itself). */
  readonly classifier?: ClassifierContent;
}

function parseWith<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const msgs = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ExtractContentError(`${file}: ${msgs.join('; ')}`);
  }
  return r.data;
}

function readData(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExtractContentError(`${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw);
  } catch (err) {
    throw new ExtractContentError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${(err as Error).message})`);
  }
}

/** Validates already-decoded content (for tests and other callers that hold the data). */
export function parseExtractContent(data: { indicators: unknown; places: unknown; lines: unknown; gazetteer: unknown; model?: unknown; clusters?: unknown }): ExtractContent {
  const gaz = parseWith(GazetteerSchema, data.gazetteer, 'gazetteer/places.json');
  const names = new Set(gaz.places.filter((p) => p.kind !== 'station').map((p) => p.name));
  for (const p of gaz.places) {
    if (p.kind === 'station' && (!p.serves || !names.has(p.serves))) {
      throw new ExtractContentError(`gazetteer/places.json: station "${p.name}" must name the town it serves in "serves"`);
    }
  }
  return {
    indicators: parseWith(IndicatorLexiconSchema, data.indicators, 'extract/indicators.yaml'),
    places: parseWith(PlaceRulesSchema, data.places, 'extract/places.yaml'),
    lines: parseWith(LineRulesSchema, data.lines, 'extract/lines.yaml'),
    gazetteer: gaz.places,
    ...(data.model === undefined && data.clusters === undefined
      ? {}
      : {
          classifier: {
            model: parseWith(IndicatorModelSchema, data.model, 'extract/indicator-model.json'),
            clusters: parseWith(WordClustersSchema, data.clusters, 'extract/word-clusters.json').clusters,
          },
        }),
  };
}

/**
 * Reads and validates the extraction content under `contentDir`; `classifier: false` leaves the
 * indicator model out (training reads the word clusters only, and the lexicon's own tests).
 */
export function loadExtractContent(contentDir: string = DEFAULT_CONTENT_DIR, opts: { classifier?: boolean } = {}): ExtractContent {
  const withModel = opts.classifier ?? true;
  return parseExtractContent({
    indicators: readData(join(contentDir, 'extract', 'indicators.yaml')),
    places: readData(join(contentDir, 'extract', 'places.yaml')),
    lines: readData(join(contentDir, 'extract', 'lines.yaml')),
    gazetteer: readData(join(contentDir, 'gazetteer', 'places.json')),
    ...(withModel
      ? { model: readData(join(contentDir, 'extract', 'indicator-model.json')), clusters: readData(join(contentDir, 'extract', 'word-clusters.json')) }
      : {}),
  });
}

/** The word clusters file, validated: its lists of words, one list per cluster. */
export function readWordClusters(contentDir: string = DEFAULT_CONTENT_DIR): readonly string[] {
  return parseWith(WordClustersSchema, readData(join(contentDir, 'extract', 'word-clusters.json')), 'extract/word-clusters.json').clusters;
}
