import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { generateTexts } from '../bench.ts';
import { createIndicatorMatcher, cueAnchorGroups, cueAnchorWords, cueFirstKeys, cueFollowers, followersOf, cueStartsWithWordChar, PLACE_MASK, toMatchText } from './indicators.ts';
import { loadExtractContent } from './lexicon.ts';

// The "\b" in front of word-starting cues is only a speed-up: it must never change what is found.
test('indicators: the word-start hint finds exactly the codes the plain expressions find', () => {
  const content = loadExtractContent();
  const fast = createIndicatorMatcher(content.indicators, { index: false });
  const plain = createIndicatorMatcher(content.indicators, { wordStartHint: false, index: false });
  // The cue index (first characters, required words) must find exactly the same hits, spans included.
  const indexed = createIndicatorMatcher(content.indicators);
  const fixtures = readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.jsonl'));
  const texts = fixtures.flatMap((f) =>
    readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text),
  );
  texts.push(...generateTexts(2000, 3));
  // Accented letters, quotes, money and masked places next to cues: where "\b" and the look-behind differ.
  texts.push(
    "café'food' £20 a week, ésold drugs, \"food\" available, olders",
    `went to ${PLACE_MASK.repeat(6)} on the train alone`,
    'naïvely scared; über-scared',
    // Dropped g, underscores and apostrophes next to cue words, a roadman written as one word.
    'keeps sayin hes holdin stuff_for them, stayin at the bando, goin OT; a_man; roadman; he\'d been gone for days',
  );
  let withCodes = 0;
  for (const t of texts) {
    const m = toMatchText(t);
    const codes = (hits: { code: string }[]) => [...new Set(hits.map((h) => h.code))].sort();
    const got = codes(fast.find(m));
    assert.deepEqual(got, codes(plain.find(m)), t);
    assert.deepEqual(indexed.find(m), fast.find(m), t);
    if (got.length > 0) withCodes++;
  }
  assert.ok(withCodes > 300, `only ${withCodes} texts had any indicator: the comparison would prove little`);
});

test('indicators: cues that may start with a non-word character get no word-start hint', () => {
  for (const c of ['knife|knives', '(go|goes) missing', '{pro} said', '\\w+ inn', '(a )?b', '(much )?older (lads|men)']) assert.equal(cueStartsWithWordChar(c), true, c);
  for (const c of ["[\"']food[\"']", '{money} a week', '{place} train', '(a )?{place}', '(?<!x)y', "'quoted'", 'a|£5', '({0-2} )?x', '(a|"b)']) assert.equal(cueStartsWithWordChar(c), false, c);
});

test('indicators: cue keys and required words are read off the cue syntax', () => {
  assert.deepEqual(cueFirstKeys('(go|goes) missing'), ['=go', '=goes']);
  assert.deepEqual(cueFirstKeys('injur(y|ies|ed)'), ['inj']);
  assert.deepEqual(cueFirstKeys('road ?man'), ['roa']); // the space is optional: "roadman" too
  assert.deepEqual(cueFirstKeys('holding stuff'), ['=holding', '=holdin']);
  assert.equal(cueFirstKeys('{place} train'), undefined);
  assert.equal(cueFirstKeys('(?<!x)y'), undefined);
  assert.deepEqual(cueAnchorWords('(a|the) ting (in|on)'), ['ting']);
  assert.deepEqual(cueAnchorWords('(go|goes) missing'), ['missing', 'missin']);
  assert.equal(cueAnchorWords('knife|knives'), undefined); // a top-level alternation needs no single word
  assert.deepEqual(cueAnchorWords('(stays?|stayed) out'), ['out']); // "stays?" is not a plain word
  assert.equal(cueAnchorWords('(he|she) is (a|the)'), undefined); // only words too common to check
  assert.deepEqual(cueAnchorWords('(been|seems) (really )?(low|down)(?! (on|in))'), ['low', 'down']);
  assert.deepEqual(cueAnchorWords('(a |the |his )ting (in|under)'), ['ting']);
  // Every required set, not only the best: each must have a word in the text.
  assert.deepEqual(cueAnchorGroups('(travels?|travelling) alone (by|on) (train|coach)'), [['alone'], ['train', 'coach']]);
  assert.deepEqual(cueAnchorGroups('(goes|going) missing'), [['goes', 'going', 'goin'], ['missing', 'missin']]);
  assert.deepEqual(cueAnchorGroups('stays? out (late|overnight)'), [['stay', 'stays'], ['out'], ['late', 'overnight']]);
  assert.equal(cueAnchorGroups('(he|she) is (a|the)'), undefined);
  assert.equal(cueAnchorGroups('knife|knives'), undefined);
  // The word after the first, when both are plain words: what the next text word must be.
  const next = (cue: string, word: string) => {
    const f = cueFollowers(cue);
    return f && followersOf(f, word);
  };
  assert.deepEqual(next('(at|in|into) (a|the) trap house', 'in'), ['a', 'the']);
  assert.deepEqual(next("(with|by) (she's|older lads)", 'by'), ['she', 'shes', 'older']);
  assert.deepEqual(next('(goes|went) missing', 'went'), ['missing', 'missin']);
  assert.equal(next('(he|she) (really )?(low|down)', 'he'), undefined); // optional: the next word may be "really"
  // "he's" is two text words: only "starts with he" is read, and any next word may follow.
  assert.equal(next("(he's|she's) (gone|off)", 'he'), undefined);
  assert.equal(next("(he's|she's) (gone|off)", 'hes'), undefined);
  assert.equal(next("(he's|she's) (gone|off)", 'it'), null);
  // Per first word: a multi-word alternative says its own next word.
  const f = cueFollowers('(showing off|has|travels?) (cash|money)')!;
  assert.deepEqual(followersOf(f, 'showing'), ['off']);
  assert.deepEqual(followersOf(f, 'has'), ['cash', 'money']);
  assert.deepEqual(followersOf(f, 'travel'), ['cash', 'money']);
  assert.equal(followersOf(f, 'trap'), null); // keyed by "tra", but no alternative is "trap"
  assert.deepEqual(followersOf(cueFollowers('(goin|went) (up|down) {0-2} (to )?{place}')!, 'goin'), ['up', 'down']);
  assert.equal(followersOf(cueFollowers('(a|the) (really )?(low|down)')!, 'the'), undefined); // optional: any next word
  assert.equal(cueFollowers('{pro} said'), undefined);
  // Top-level alternations, digits, and " ?" joins, which may glue the next word on.
  assert.deepEqual(next('knifepoint|gunpoint|at knife point', 'at'), ['knife']);
  assert.equal(next('knifepoint|gunpoint|at knife point', 'after'), null);
  assert.deepEqual(next('(\\d|two) for £?\\d+', '2'), ['for']);
  assert.equal(next('(\\d|two) for £?\\d+', '15'), null);
  assert.equal(next('hotels?|guest ?house|b ?& ?b', 'guesthouse'), undefined);
  assert.equal(next('hotels?|guest ?house|b ?& ?b', 'bought'), null);
  assert.equal(next('part[- ]time timetable', 'parttime'), undefined);
  assert.equal(next('going[.] ot', 'goin'), undefined); // the dropped g
  assert.equal(next('going[.] ot', 'gone'), null);
  assert.equal(cueFollowers('(really )?scared|x'), undefined); // may start with its second word
  assert.deepEqual(cueFirstKeys("(he's|they're) a"), ['=he', '=hes', '=they', '=theyre']);
});
