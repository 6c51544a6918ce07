import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExtractor, extract } from './extract.ts';
import { compileCue } from './indicators.ts';
import { loadExtractContent } from './lexicon.ts';

const codes = (t: string): string[] => [...new Set(extract(t).indicators.map((i) => i.code))].sort();
// The cue lexicon on its own, without the classifier that backs it up (classifier.test.ts).
const cuesOnly = createExtractor(loadExtractContent(undefined, { classifier: false }));
const cueCodes = (t: string): string[] => [...new Set(cuesOnly(t).indicators.map((i) => i.code))].sort();

// Invented, held-out style sentences (not from the dev set): one sign each, or none.
const CASES: [string, string[]][] = [
  ['She stays out all night and never says where she goes.', ['missing_from_home']],
  ["He hasn't been in school for weeks.", ['education_disruption']],
  ['He keeps turning up on the late train on his own.', ['out_of_area']],
  ['She has a wad of cash she cannot explain.', ['unexplained_money_goods']],
  ['He carries a second phone that he hides under the bed.', ['multiple_phones']],
  ['She gets into cars with older men nobody knows.', ['concerning_associates']],
  ['He had bruises he said he got when he fell over.', ['unexplained_injuries']],
  ['There is a machete kept at the flat.', ['weapons']],
  ['There were scales and cling film on the table.', ['drugs_involvement']],
  ['The older one told her to plug it.', ['county_lines_slang', 'internal_concealment']],
  ['They gave him stuff on tick and now he is in debt.', ['county_lines_slang', 'debt_bondage']],
  ['She seems terrified of someone.', ['fear_intimidation']],
  ['He has lost loads of weight and has mood swings.', ['behaviour_change']],
  ['She has been self-harming again.', ['mental_health_self_harm']],
  ['He is a heroin user.', ['substance_misuse']],
  ['She had a hotel key card in her pocket.', ['hotel_or_unknown_address']],
  ['He got arrested miles from home last week.', ['arrested_out_of_area', 'out_of_area']],
  ['Someone on TikTok keeps offering him quick cash for deliveries.', ['online_grooming']],
  ['They take her benefits off her every fortnight.', ['financial_exploitation']],
  ['Lads have taken over his flat and he cannot get them out.', ['cuckooing']],
  ['They send texts out saying food available.', ['county_lines_slang', 'deal_line_activity', 'drugs_involvement']],
  ["They're dragging him into a car right now, send police.", ['immediate_danger']],
];

test('indicators: one invented sentence per code (cues)', () => {
  for (const [text, want] of CASES) assert.deepEqual(cueCodes(text), want, text);
});

test('indicators: negation switches a sign off', () => {
  for (const t of ['He is not scared of anyone.', 'There was no sign of drugs or weapons.', 'She never goes missing.', "He doesn't have two phones.", 'Nobody has been threatening him.']) {
    assert.deepEqual(codes(t), [], t);
  }
  // "not sure" does not negate what follows it.
  assert.ok(codes("I'm not sure but he looks frightened.").includes('fear_intimidation'));
});

test('indicators: ordinary senses of slang words are not signs', () => {
  for (const t of [
    'I bought some food at the shop and joined the queue line.',
    'Parking spot outside the chip shop is always taken.',
    'The online timetable is wrong again.',
    'Bathroom scales and a kitchen knife and fork were on the table.'.replace('kitchen knife and fork', 'knife and fork'),
    'Our meeting is on 12/03/2025 at 18:00 in room 101.',
  ]) assert.deepEqual(codes(t), [], t);
});

test('indicators: spans point at the words that show the sign', () => {
  const text = 'Honestly he owes £300 to some older lads.';
  const hit = extract(text).indicators.find((i) => i.code === 'debt_bondage');
  assert.ok(hit);
  assert.match(text.slice(hit.start, hit.end), /^owes £300/);
});

test('indicators: cue syntax compiles gaps, macros and optional apostrophes', () => {
  const re = new RegExp(compileCue("won't {0-2} money"), 'u');
  assert.ok(re.test('wont give money'));
  assert.ok(re.test("won't ever give money"));
  assert.ok(!re.test("won't ever give me any money"));
  assert.ok(!re.test('will give money'));
});
