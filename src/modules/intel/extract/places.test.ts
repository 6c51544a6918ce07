import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from './extract.ts';
import { TOKEN, tokenSpans } from './places.ts';
import { DEFAULT_CONTENT_DIR } from './lexicon.ts';

const places = (t: string): string[] => extract(t).entities.filter((e) => e.type === 'place').map((e) => e.value);

test('places: canonical names, multiword names, aliases and stations', () => {
  assert.deepEqual(places('He goes from Manchester to Barrow-in-Furness, then Stoke'.replace('Stoke', 'to Stoke')), ['Manchester', 'Barrow-in-Furness', 'Stoke-on-Trent']);
  assert.deepEqual(places('dropped at Manchester Piccadilly then Lime Street'), ['Manchester', 'Liverpool']);
  assert.deepEqual(places('seen at Preston station and in St Helens'), ['Preston', 'St Helens']);
  assert.deepEqual(places('we live in burnley'), ['Burnley']);
  assert.deepEqual(places("Preston's trains"), ['Preston']);
});

test('places: everyday words, streets, teams and titles are not places', () => {
  assert.deepEqual(places('Reading the leaflet at Bath Road, then a sale and a deal'), []);
  assert.deepEqual(places('Mr Preston lives on Manchester Road; he supports Preston North End'), []);
  assert.deepEqual(places('She moved to Reading and then to Bath'), ['Reading', 'Bath']);
});

test('gazetteer: shape is stable and covers every region the demo needs', () => {
  const data = JSON.parse(readFileSync(join(DEFAULT_CONTENT_DIR, 'gazetteer', 'places.json'), 'utf8')) as { places: { name: string; kind: string; county: string }[] };
  assert.ok(data.places.length >= 300);
  for (const county of ['Lancashire', 'Greater Manchester', 'Merseyside', 'Cumbria', 'West Midlands', 'Greater London', 'West Yorkshire']) {
    assert.ok(data.places.filter((p) => p.county === county && p.kind !== 'station').length >= 8, county);
  }
  assert.ok(data.places.every((p) => ['city', 'town', 'station'].includes(p.kind)));
});

test('places: an address makes an everyday-word name a place; people and banks named like towns are not', () => {
  const names = (t: string) => extract(t).entities.filter((e) => e.type === 'place').map((e) => e.value);
  assert.deepEqual(names('Mr Hale at 14 Bell St, Barrow LA14 2XX.'), ['Barrow-in-Furness']);
  assert.deepEqual(names('Preston, our eldest, has just passed his driving test!'), []);
  assert.deepEqual(names('Nelson from number 8 has offered to mow our lawn.'), []);
  assert.deepEqual(names('we went into the Halifax together and set up a savings account'), []);
  assert.deepEqual(names('He was seen in the Preston area and in Halifax.'), ['Preston', 'Halifax']);
});

test('places: the hand-written tokeniser splits text exactly as the token pattern does', () => {
  const regexSpans = (t: string): number[][] => [...t.matchAll(TOKEN)].map((m) => [m.index, m.index + m[0].length]);
  const handSpans = (t: string): number[][] => {
    const s: number[] = [];
    const e: number[] = [];
    tokenSpans(t, s, e);
    return s.map((x, k) => [x, e[k]!]);
  };
  const pieces = ['a', 'B', "'", '’', ' ', '-', 'Ü', 'é', 'ß', 'Ω', '٣', '²', '😀', '𝐀', '1', '.', '_', '\n', "king's", 'o’neill', "rock'n2"];
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 5000; i++) {
    let t = '';
    for (let k = 1 + Math.floor(rnd() * 30); k > 0; k--) t += pieces[Math.floor(rnd() * pieces.length)];
    assert.deepEqual(handSpans(t), regexSpans(t), JSON.stringify(t));
  }
});

test('places: "Deal line" is a deal line, not Deal in Kent', () => {
  assert.deepEqual(places('Deal line has swapped numbers again.'), []);
  assert.deepEqual(places('The Deal lads are in Dover.'), ['Deal', 'Dover']);
});

test('places: titles are not places ("Duke of Edinburgh")', () => {
  assert.deepEqual(places('a Duke of Edinburgh camping trip with his school from Kendal'), ['Kendal']);
});

test('places: a "Role, Town:" header names a place; "X Way" is a street', () => {
  assert.deepEqual(places("Taxi controller, Stoke: we've had repeat cash bookings to Crewe."), ['Stoke-on-Trent', 'Crewe']);
  assert.deepEqual(places('Tenant at 16 Winchester Way S65 3AB in Rotherham'), ['Rotherham']);
});

test('places: "the Carlisle to Glasgow train" names both towns', () => {
  assert.deepEqual(places('Guard on the Carlisle to Glasgow train found a boy of 12'), ['Carlisle', 'Glasgow']);
});
