// Scores the extractor on the held-out labelled set (fixtures/extract-wider.jsonl) with the same
// rules as ../shared/eval/score-extract.mjs (expect counts, accept is neutral, the rest is a false
// positive; sets per case and type), so an accuracy regression fails CI. Runs in-process (<1 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extract } from './extract.ts';

type Labels = Partial<Record<string, string[]>>;
interface Case { id: string; text: string; expect?: Labels; accept?: Labels }

const norm: Record<string, (v: string) => string> = {
  phone: (v) => v.replace(/[^+\d]/g, ''),
  vehicle: (v) => v.toUpperCase().replace(/\s+/g, ''),
  postcode: (v) => v.toUpperCase().replace(/\s+/g, ' ').trim(),
  handle: (v) => v.toLowerCase().replace(/^@/, '').replace(/^[a-z]+:/, ''),
  line_name: (v) => v.toLowerCase().replace(/\bline\b/g, '').trim(),
  place: (v) => v.toLowerCase().trim(),
  indicator: (v) => v.toLowerCase().trim(),
};

export function scoreSet(file: string): { overall: number; byType: Record<string, number>; misses: string[] } {
  const cases = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Case);
  const tally: Record<string, { tp: number; fp: number; fn: number }> = {};
  const misses: string[] = [];
  for (const t of Object.keys(norm)) tally[t] = { tp: 0, fp: 0, fn: 0 };
  for (const c of cases) {
    const r = extract(c.text);
    for (const [t, f] of Object.entries(norm)) {
      const want = new Set((c.expect?.[t] ?? []).map(f));
      const ok = new Set((c.accept?.[t] ?? []).map(f));
      const pred = new Set(t === 'indicator' ? r.indicators.map((i) => f(i.code)) : r.entities.filter((e) => e.type === t).map((e) => f(e.value)));
      const k = tally[t]!;
      for (const p of pred) {
        if (want.has(p)) k.tp++;
        else if (!ok.has(p)) { k.fp++; misses.push(`${c.id} ${t} extra: ${p}`); }
      }
      for (const w of want) if (!pred.has(w)) { k.fn++; misses.push(`${c.id} ${t} missed: ${w}`); }
    }
  }
  const f1 = (tp: number, fp: number, fn: number): number => (tp === 0 ? (fp + fn === 0 ? 1 : 0) : (2 * tp) / (2 * tp + fp + fn));
  const byType: Record<string, number> = {};
  let TP = 0, FP = 0, FN = 0;
  for (const [t, { tp, fp, fn }] of Object.entries(tally)) {
    byType[t] = f1(tp, fp, fn);
    TP += tp; FP += fp; FN += fn;
  }
  return { overall: f1(TP, FP, FN), byType, misses };
}

const WIDER = fileURLToPath(new URL('./fixtures/extract-wider.jsonl', import.meta.url));
const DEV = fileURLToPath(new URL('../../../../../shared/eval/extract-dev.jsonl', import.meta.url));

test('wider held-out set: overall F1 >= 0.9; phones, vehicles, postcodes >= 0.98', () => {
  extract(''); // content and model load once, outside the bound below
  const t0 = performance.now();
  const s = scoreSet(WIDER);
  const why = s.misses.join('\n');
  assert.ok(s.overall >= 0.9, `overall ${s.overall.toFixed(3)}\n${why}`);
  for (const t of ['phone', 'vehicle', 'postcode']) assert.ok(s.byType[t]! >= 0.98, `${t} ${s.byType[t]!.toFixed(3)}\n${why}`);
  assert.ok(performance.now() - t0 < 2_000, 'scoring the wider set must stay fast');
});

// The cues alone score 1.000 here; the classifier adds two debatable extras (out_of_area on D08,
// a girl missing overnight, and D10, a boy offered money to drop off packages). Leaving
// out_of_area out of the classifier made blind sets K-N worse (indicator F1 0.830 -> 0.828), so
// the dev test holds: nothing expected is ever missed, and overall F1 >= 0.98.
test('dev set (when ../shared is beside the checkout): nothing missed, overall F1 >= 0.98', { skip: !existsSync(DEV) && 'shared/eval/extract-dev.jsonl not beside the checkout' }, () => {
  const s = scoreSet(DEV);
  assert.deepEqual(s.misses.filter((m) => m.includes(' missed: ')), []);
  assert.ok(s.overall >= 0.98, `overall ${s.overall.toFixed(3)}\n${s.misses.join('\n')}`);
});

// Sets A-L, R-T and Z were written blind (their authors never saw the lexicon), scored, and then
// tuned on and trained on (README: their blind scores); M-Q, U-Y and AA were written as training data for
// the classifier, scored blind too. Now they all guard against regressions.
const SETS = [
  ...[...'abcdefghijklrstz'].map((n) => [n.toUpperCase(), `extract-heldout-${n}.jsonl`] as const),
  ...['m', 'n', 'o', 'p', 'q', 'u', 'v', 'w', 'x', 'y', 'aa'].map((n) => [n.toUpperCase(), `extract-train-${n}.jsonl`] as const),
];
for (const [name, file] of SETS) {
  const floor = 0.9;
  test(`labelled set ${name}: overall F1 >= ${floor}; phones, vehicles, postcodes >= 0.98`, () => {
    const s = scoreSet(fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)));
    const why = s.misses.join('\n');
    assert.ok(s.overall >= floor, `overall ${s.overall.toFixed(3)}\n${why}`);
    for (const t of ['phone', 'vehicle', 'postcode']) assert.ok(s.byType[t]! >= 0.98, `${t} ${s.byType[t]!.toFixed(3)}\n${why}`);
  });
}
