import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createSimulation, validateOptions } from './simulate.ts';
import type { SimulateOptions } from './simulate.ts';
import { readPlaceSeeds } from './simulate.cli.ts';
import { findUkNumbers, isDramaNumber } from './phones.ts';
import { INDICATOR_CODES, VULNERABILITIES } from './types.ts';
import type { SimRecord, StreamTruthRecord, TruthRecord } from './types.ts';

const places = readPlaceSeeds();

function opts(over: Partial<SimulateOptions> = {}): SimulateOptions {
  return { seed: 11, lines: 6, days: 90, reports: 3000, start: '2026-01-01', places, ...over };
}

function run(o: SimulateOptions): { records: SimRecord[]; truth: TruthRecord[]; hash: string } {
  const sim = createSimulation(o);
  const records: SimRecord[] = [];
  const truth: TruthRecord[] = [];
  const h = createHash('sha256');
  for (const b of sim.batches()) {
    for (const r of b.records) {
      records.push(r);
      h.update(`${JSON.stringify(r)}\n`);
    }
    for (const t of b.truth) {
      truth.push(t);
      h.update(`${JSON.stringify(t)}\n`);
    }
  }
  return { records, truth, hash: h.digest('hex') };
}

const small = run(opts());
const national = run(opts({ seed: 5, lines: 120, days: 60, reports: 20000 }));

test('the same seed and options give byte-identical output; another seed does not', () => {
  assert.equal(run(opts()).hash, small.hash);
  assert.notEqual(run(opts({ seed: 12 })).hash, small.hash);
});

test('every phone number in every record, including inside free text, is in an Ofcom drama range', () => {
  let checked = 0;
  for (const world of [small, national]) {
    for (const r of [...world.records, ...world.truth]) {
      const json = JSON.stringify(r);
      // E.164 values in structured fields.
      for (const m of json.matchAll(/\+44\d{9,10}/g)) {
        assert.ok(isDramaNumber(m[0]), `${m[0]} in ${json.slice(0, 200)}`);
        checked++;
      }
      // Any UK-shaped number written the way people write them.
      for (const n of findUkNumbers(json)) {
        assert.ok(isDramaNumber(n), `${n} in ${json.slice(0, 300)}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 5000, `only ${checked} numbers checked`);
});

test('a small world is a Lancashire and Cumbria picture; a large one spreads nationally', () => {
  const placeById = new Map(small.records.filter((r) => r.kind === 'place').map((p) => [p.id, p]));
  const counties = (recs: SimRecord[]) =>
    new Set(recs.flatMap((r) => (r.kind === 'line' ? r.importing_place_ids.map((id) => placeById.get(id)?.county) : [])));
  for (const c of counties(small.records)) assert.ok(c === 'Lancashire' || c === 'Cumbria', String(c));
  assert.ok(counties(national.records).size > 10);
});

test('deal numbers rotate every few weeks while the brand carries on, and the truth lists each change', () => {
  const numbers = national.records.filter((r) => r.kind === 'line_number');
  const changes = national.truth.filter((t) => t.kind === 'number_change');
  assert.ok(changes.length > 100);
  for (const c of changes) {
    const mine = numbers.filter((n) => n.line_id === c.line_id);
    const newer = mine.find((n) => n.number === c.new_number && n.from === c.date);
    assert.ok(newer, `change to ${c.new_number} on ${c.date} has a line_number record`);
    assert.notEqual(c.old_number, c.new_number);
  }
  // No two lines hold the same number at the same time in a world under 1,000 lines.
  const byNumber = new Map<string, { from: string; to: string }[]>();
  for (const n of numbers) byNumber.set(n.number, [...(byNumber.get(n.number) ?? []), { from: n.from, to: n.to ?? '9999' }]);
  for (const [num, list] of byNumber) {
    list.sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let i = 1; i < list.length; i++) assert.ok(list[i]!.from >= list[i - 1]!.to, `${num} double-booked`);
  }
});

test('runners are mostly 14-17, some as young as 10, some vulnerable adults', () => {
  const runners = national.records.filter((r) => r.kind === 'person' && r.role === 'runner');
  const ages = runners.map((r) => (r.kind === 'person' ? r.age : 0));
  const teen = ages.filter((a) => a >= 14 && a <= 17).length;
  assert.ok(teen / ages.length > 0.5, `${teen}/${ages.length}`);
  assert.ok(ages.some((a) => a >= 10 && a < 13));
  assert.ok(ages.some((a) => a >= 22));
  assert.ok(Math.min(...ages) >= 10);
});

test('every stream record has exactly one truth record, and ids are unique and in time order', () => {
  const streams = national.records.filter((r) => r.kind === 'report' || r.kind === 'referral' || r.kind === 'note');
  const truth = new Map(national.truth.filter((t): t is StreamTruthRecord => t.kind === 'stream_truth').map((t) => [t.record_id, t]));
  assert.equal(truth.size, streams.length);
  const ids = new Set(national.records.map((r) => `${r.kind}:${r.id}`));
  assert.equal(ids.size, national.records.length);
  let last = '';
  for (const s of streams) {
    assert.ok(truth.has(s.id));
    assert.ok(s.at >= last, `${s.id} at ${s.at} before ${last}`);
    last = s.at;
  }
  assert.equal(streams.filter((s) => s.kind === 'report').length, 20000);
});

test('about 15% of reports have nothing to do with county lines; some are duplicates; some details are wrong', () => {
  const reportTruth = national.truth.filter((t): t is StreamTruthRecord => t.kind === 'stream_truth' && t.record_kind === 'report');
  const share = (f: (t: StreamTruthRecord) => boolean) => reportTruth.filter(f).length / reportTruth.length;
  const irrelevant = share((t) => t.topic === 'irrelevant');
  assert.ok(irrelevant > 0.12 && irrelevant < 0.19, String(irrelevant));
  assert.ok(share((t) => t.duplicate_of !== null) > 0.02);
  assert.ok(share((t) => t.distorted.length > 0) > 0.03);
  assert.ok(share((t) => t.line_id !== null && t.person_id !== null) > 0.2);
});

test('report text really contains the entities its truth says it mentions', () => {
  const text = new Map(national.records.flatMap((r) => (r.kind === 'report' ? [[r.id, r.text.toLowerCase()] as const] : [])));
  for (const t of national.truth) {
    if (t.kind !== 'stream_truth' || t.record_kind !== 'report') continue;
    const body = text.get(t.record_id)!;
    assert.deepEqual(new Set(findUkNumbers(body).filter((n) => t.mentions.phone.includes(n))), new Set(t.mentions.phone), body);
    for (const h of t.mentions.handle) assert.ok(body.includes(h), `${h} in ${body}`);
    for (const l of t.mentions.line_name) assert.ok(body.includes(l), `${l} in ${body}`);
    for (const p of t.mentions.postcode) assert.ok(body.replace(/\s/g, '').includes(p.toLowerCase().replace(' ', '')), `${p} in ${body}`);
    for (const v of t.mentions.vehicle) assert.ok(body.replace(/[\s-]/g, '').includes(v.toLowerCase()), `${v} in ${body}`);
    for (const i of t.indicators) assert.ok((INDICATOR_CODES as readonly string[]).includes(i));
  }
});

test('report text uses varied number formats, slang and brands', () => {
  const all = national.records.flatMap((r) => (r.kind === 'report' ? [r.text] : [])).join('\n');
  for (const re of [/07700 900 \d{3}/, /\+44 7700 900\d{3}/, /07700-900-\d{3}/, /07700 900\d{3}/, /the \w+ line/i, /bagged|spun/, /going country|OT/, /trap|bando/]) {
    assert.match(all, re);
  }
});

test('referrals have the `lookout screen` input shape', () => {
  const Screen = z.object({
    subject: z.object({ kind: z.enum(['child', 'adult']), age: z.number().int().min(0).max(120), vulnerabilities: z.array(z.enum(VULNERABILITIES)) }),
    signs: z.array(z.object({ code: z.enum(INDICATOR_CODES), severity: z.enum(['low', 'medium', 'high']) })).min(1),
    missing_episodes_30d: z.number().int().min(0),
    danger_now: z.boolean(),
  });
  const referrals = national.records.filter((r) => r.kind === 'referral');
  assert.ok(referrals.length === 1000);
  for (const r of referrals) {
    Screen.parse(r);
    if (r.kind === 'referral') assert.equal(r.subject.kind === 'child', r.subject.age < 18);
  }
});

test('impossible options are rejected with the option named', () => {
  const base = { seed: 1, lines: 5, days: 30, reports: 10, start: '2026-01-01' };
  const cases: [Partial<typeof base>, string][] = [
    [{ lines: -1 }, 'lines'],
    [{ lines: 0 }, 'lines'],
    [{ lines: 5001 }, 'lines'],
    [{ days: 0 }, 'days'],
    [{ reports: -5 }, 'reports'],
    [{ seed: Number.NaN }, 'seed'],
    [{ lines: 2.5 }, 'lines'],
    [{ start: '2026-02-30' }, 'start'],
    [{ lines: 5000, days: 3000 }, 'lines'],
  ];
  for (const [over, option] of cases) {
    const errors = validateOptions({ ...base, ...over });
    assert.equal(errors[0]?.option, option, JSON.stringify(over));
    assert.match(errors[0]!.message, new RegExp(`--${option}`));
  }
  assert.deepEqual(validateOptions(base), []);
});
