import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeckError, loadDecks, optionsOf, parseDeck } from './deck.ts';

const GOOD = `
id: tiny
title: Tiny deck
audience: Testers
summary: A small deck.
sources: [Home Office county lines guidance 2023]
slides:
  - { id: c1, kind: confidence, pair: p, phase: before, question: How sure?, low_label: Not, high_label: Very }
  - id: q1
    kind: multiple_choice
    question: Which?
    options: [{ id: a, text: A, correct: true }, { id: b, text: B }]
    explanation: Because.
  - { id: w1, kind: warning_sign, statement: Two phones, answer: "yes", explanation: Sign. }
  - { id: c2, kind: confidence, pair: p, phase: after, question: How sure now?, low_label: Not, high_label: Very }
  - { id: s, kind: signposting, title: Where to go, body: Tell someone., routes: [{ name: Police, contact: "999", when: Danger now }] }
`;

describe('live event decks', () => {
  it('loads the decks shipped in content/live, each with a signposting slide and paired confidence questions', () => {
    const decks = loadDecks();
    assert.ok(decks.size >= 2);
    for (const d of decks.values()) {
      assert.equal(d.slides.filter((s) => s.kind === 'signposting').length, 1, d.id);
      const kinds = new Set(d.slides.map((s) => s.kind));
      for (const k of ['intro', 'multiple_choice', 'warning_sign', 'confidence', 'reveal', 'signposting']) assert.ok(kinds.has(k as never), `${d.id} has ${k}`);
    }
  });

  it('gives every question kind its options: warning signs yes/no/not sure, confidence 1 to 5', () => {
    const { deck } = parseDeck(GOOD, 'tiny.yaml');
    assert.ok(deck);
    const [c1, q1, w1] = deck.slides;
    assert.ok(c1?.kind === 'confidence' && q1?.kind === 'multiple_choice' && w1?.kind === 'warning_sign');
    assert.deepEqual(optionsOf(c1).map((o) => o.id), ['1', '2', '3', '4', '5']);
    assert.deepEqual(optionsOf(w1).map((o) => [o.id, o.correct]), [['yes', true], ['no', false], ['not-sure', false]]);
    assert.deepEqual(optionsOf(q1).filter((o) => o.correct).map((o) => o.id), ['a']);
  });

  it('names the file and field of each mistake', () => {
    const bad = GOOD.replace('correct: true', 'correct: false').replace('phase: after', 'phase: before').replace('kind: signposting', 'kind: signpost');
    const { deck, issues } = parseDeck(bad, 'content/live/bad.yaml');
    assert.equal(deck, undefined);
    assert.ok(issues.every((i) => i.file === 'content/live/bad.yaml'));
    assert.ok(issues.some((i) => i.field === 'slides[4].kind'), JSON.stringify(issues));
    const second = parseDeck(GOOD.replace('correct: true', 'correct: false').replace('phase: after', 'phase: before'), 'x.yaml').issues;
    assert.ok(second.some((i) => i.field === 'slides[1].options' && /correct/.test(i.message)), JSON.stringify(second));
    assert.ok(second.some((i) => i.field === 'slides[3].phase' && /already has a "before"/.test(i.message)), JSON.stringify(second));
    const unknown = parseDeck(GOOD.replace('summary:', 'sumary:'), 'y.yaml').issues;
    assert.ok(unknown.some((i) => i.field === 'sumary' && /Unknown field/.test(i.message)));
    assert.ok(unknown.some((i) => i.field === 'summary' && i.message === 'Required'));
  });

  it('stops loading with a DeckError listing every file problem, and refuses duplicate deck ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-decks-'));
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    writeFileSync(join(dir, 'b.yaml'), GOOD);
    writeFileSync(join(dir, 'c.yaml'), 'id: [unclosed');
    assert.throws(
      () => loadDecks(dir),
      (err: unknown) => err instanceof DeckError && /b\.yaml: id: Deck id "tiny"/.test(err.message) && /c\.yaml: \(file\): Not valid YAML/.test(err.message),
    );
  });
});
