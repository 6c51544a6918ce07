import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateTexts } from '../bench.ts';
import type { IndicatorModelData, TrainingCase } from './classifier.ts';
import { clusterIndex, createFeaturizer, createIndicatorClassifier, scoreFeatures, sentenceSpans, trainIndicatorModel } from './classifier.ts';
import { defaultTrainingFiles, readTrainingCases, trainFromFiles } from './classifier.train.ts';
import { runExtract } from './extract.cli.ts';
import { createExtractor, extract } from './extract.ts';
import { loadExtractContent } from './lexicon.ts';
import type { IndicatorCode } from './types.ts';

const shipped = loadExtractContent().classifier!;
const clusters = clusterIndex(shipped.clusters);

test('classifier: the fast scorer reads exactly the features of the plain one', () => {
  const classifier = createIndicatorClassifier(shipped.model, clusters);
  const featurize = createFeaturizer(clusters);
  const texts = [
    ...readTrainingCases(defaultTrainingFiles()).map((c) => c.text),
    ...generateTexts(300, 5),
    "He won't say; she’s not scared, NOT AT ALL. 14 yo with a 27 y/o male, 2024, 0 7 7 0 0",
    "don't2x it's' '' ’ a'b ñandú İstanbul ǅ 𝒜 \u0000 \n\n!!",
    'no no no no scared scared. , ; never ever frightened',
    '',
  ];
  for (const t of texts) {
    const fast = classifier.scores(t);
    const plain = scoreFeatures(shipped.model, featurize(t));
    plain.forEach((p, k) => assert.ok(Math.abs(p - fast[k]!) < 1e-9, `${shipped.model.codes[k]} on ${JSON.stringify(t.slice(0, 80))}: ${p} vs ${fast[k]}`));
  }
});

test('classifier: the shipped model is what `lookout extract train` makes from the fixtures', () => {
  const retrained = trainFromFiles();
  assert.deepEqual(retrained, shipped.model, 'content/extract/indicator-model.json is stale: run `npx lookout extract train`');
});

// A tiny world: the labelled cases only ever say "scared"; "petrified" shares its cluster. (Its
// texts are a few words long, and featureScale damps short texts, hence its low threshold.)
const TINY_CLUSTERS = ['scared petrified terrified', 'table chair sofa', 'walked ran'];
const FEAR: IndicatorCode = 'fear_intimidation';
const tinyCases: TrainingCase[] = [
  ...['he is scared', 'she seemed scared of them', 'scared to go home', 'they are scared stiff', 'my son is scared'].map((text) => ({ text, expect: [FEAR] })),
  ...['he sat on the chair', 'she walked to the shop', 'a table by the door', 'they ran home', 'my son bought a sofa', 'she is happy', 'he is at school', 'he is not here', 'they are not in', 'she looked happy', 'she looked at the sofa', 'she looked tired'].map((text) => ({ text, expect: [] })),
];
const tinyModel = (): IndicatorModelData => trainIndicatorModel(tinyCases, [FEAR], createFeaturizer(clusterIndex(TINY_CLUSTERS)), { minCount: 1, epochs: 60, threshold: 0.1 });

test('classifier: a word no labelled case used counts through its cluster', () => {
  // "fearful" is in no fixture; its cluster holds "scared", "frightened" and "terrified".
  const fixtures = readTrainingCases(defaultTrainingFiles()).map((c) => c.text.toLowerCase());
  assert.ok(!fixtures.some((t) => /\bfearful\b/.test(t)));
  const k = shipped.model.codes.indexOf(FEAR);
  const text = 'My neighbour looks fearful when they knock.';
  assert.ok(createIndicatorClassifier(shipped.model, clusters).scores(text)[k]! >= shipped.model.threshold, 'read as fear');
  // The same weights without the cluster features: the word alone teaches nothing.
  assert.ok(createIndicatorClassifier(shipped.model, new Map()).scores(text)[k]! < shipped.model.threshold);
});

test('classifier: a negated sign is not the sign', () => {
  const model = tinyModel();
  const c = createIndicatorClassifier(model, clusterIndex(TINY_CLUSTERS));
  assert.ok(c.scores('he is scared')[0]! >= model.threshold);
  assert.ok(c.scores('he is not scared')[0]! < c.scores('he is scared')[0]!, 'not scared reads lower than scared');
  assert.ok(c.scores('he is not scared')[0]! < model.threshold);
});

test('classifier: a found code spans the sentence that shows it, and skipped codes stay out', () => {
  const c = createIndicatorClassifier(shipped.model, clusters);
  const text = 'It was a quiet Sunday.\n A boy of 13 was handed a rucksack by a man of about 30 and told to get on the train!  Thanks.';
  const hits = c.find(text, new Set());
  assert.ok(hits.some((h) => h.code === 'concerning_associates'));
  for (const h of hits) assert.equal(text.slice(h.start, h.end), 'A boy of 13 was handed a rucksack by a man of about 30 and told to get on the train!', h.code);
  assert.ok(!c.find(text, new Set(['concerning_associates'])).some((h) => h.code === 'concerning_associates'));
  assert.deepEqual(sentenceSpans(' a. b\n\nc ').map((s) => [s.start, s.end]), [[1, 3], [4, 5], [7, 8]]);
});

test('extract: the model adds a sign the cues miss, with its sentence as the span', () => {
  // No cue reads a man of 30 handing a 13-year-old a rucksack and telling him where to go.
  const text = 'It was a quiet Sunday. A boy of 13 was handed a rucksack on the platform by a man of about 30 and told to get on the train.';
  const cuesOnly = createExtractor(loadExtractContent(undefined, { classifier: false }));
  assert.deepEqual(cuesOnly(text).indicators, []);
  const hit = extract(text).indicators.find((i) => i.code === 'concerning_associates');
  assert.ok(hit, 'concerning_associates found');
  assert.equal(text.slice(hit.start, hit.end), 'A boy of 13 was handed a rucksack on the platform by a man of about 30 and told to get on the train.');
});

test('extract: the model never adds a sign the cues ruled out (negated, or an everyday sense)', () => {
  const codes = (t: string): string[] => extract(t).indicators.map((i) => i.code);
  assert.deepEqual(codes('Bathroom scales and a knife and fork were on the table.'), []);
  assert.ok(!codes('He is not scared of the older lads at all.').includes('fear_intimidation'));
});

test('cli: `lookout extract train --out FILE` writes a model that loads; bad input is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-train-'));
  const set = join(dir, 'set.jsonl');
  writeFileSync(set, tinyCases.map((c) => JSON.stringify({ text: c.text, expect: { indicator: c.expect } })).join('\n') + '\n');
  const out = join(dir, 'model.json');
  const io = () => {
    const o = { out: '', err: '' };
    return { o, io: { stdin: Readable.from(['']), stdout: { write: (s: string) => (o.out += s) }, stderr: { write: (s: string) => (o.err += s) } } };
  };
  const ok = io();
  assert.equal(await runExtract(['train', '--out', out, set], ok.io), 0, ok.o.err);
  const model = JSON.parse(readFileSync(out, 'utf8')) as IndicatorModelData;
  assert.equal(model.codes.length, 23);
  assert.equal(model.threshold, 0.25);

  writeFileSync(set, '{"text":"x","expect":{"indicator":["not_a_code"]}}\n');
  const bad = io();
  assert.equal(await runExtract(['train', '--out', out, set], bad.io), 1);
  assert.match(bad.o.err, /set\.jsonl:1: expect\.indicator must be a list of indicator codes/);
  const opt = io();
  assert.equal(await runExtract(['train', '--bogus'], opt.io), 2);
  assert.match(opt.o.err, /unknown option "--bogus"/);
  const noOut = io();
  assert.equal(await runExtract(['train', '--out'], noOut.io), 2);
  assert.match(noOut.o.err, /--out needs a file name/);
  const missing = io();
  assert.equal(await runExtract(['train', '--out', out, join(dir, 'nope.jsonl')], missing.io), 1);
  assert.match(missing.o.err, /cannot read or write .*nope\.jsonl \(ENOENT\)/);
});
