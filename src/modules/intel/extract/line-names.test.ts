import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './extract.ts';

const lines = (t: string): string[] => extract(t).entities.filter((e) => e.type === 'line_name').map((e) => e.value);

test('line names: brands in their usual forms', () => {
  assert.deepEqual(lines("it's known as the Kash line and it texts out offers"), ['kash']);
  assert.deepEqual(lines('the number for the TIGER line is 07700 900111'), ['tiger']);
  assert.deepEqual(lines('ring the bling line for food'), ['bling']);
  assert.deepEqual(lines('the line is called "Rico" now'), ['rico']);
  assert.deepEqual(lines('Blaze deal line'), ['blaze']);
});

test('line names: transport, queues, phone lines and idioms are not brands', () => {
  for (const t of [
    'The number 4 bus line to Accrington has been cancelled, and the online timetable is wrong.',
    'Took the Northern line then the Victoria line to Euston.',
    'I waited in line for ages; my line manager said the phone line was down.',
    'He crossed the finish line, toed the line and drew the line at the front line.',
    'Call the helpline or the Samaritans line.',
    'the Ormskirk line is closed for engineering works',
  ]) assert.deepEqual(lines(t), [], t);
});

test('line names: flare texts, cards, brands and lines named a few words on', () => {
  assert.deepEqual(lines("bulk texts from a number signing itself 'Deezy' - 'Deezy back on, W n B all day'"), ['deezy', 'deezy']);
  assert.deepEqual(lines("a text on his phone - 'Bluey back on 07700 900199 2 for 15 all nite'"), ['bluey']);
  assert.deepEqual(lines("slips printed 'FIZZ 24/7 (07700) 900126' in his pocket"), ['fizz']);
  assert.deepEqual(lines("cards saying 'BENZ LINE 24/7' with 07700 900 562 underneath"), ['benz']);
  assert.deepEqual(lines("the 'Milly' brand has rotated numbers three times"), ['milly']);
  assert.deepEqual(lines("'Rambo' number 07700 900 145 ceased"), ['rambo']);
  assert.deepEqual(lines("running a line into Bangor known as 'Nando'"), ['nando']);
  assert.deepEqual(lines('Associates refer to the deal number as \'Mango\''), ['mango']);
  assert.deepEqual(lines('running for two different lines now, one called Sparks and the other T-Bone'), ['sparks', 't-bone']);
});

test('line names: people, buses and household lines near the same words are not brands', () => {
  for (const t of [
    'he got a new phone from a man called Jason last week',
    'Mum back on nights so he is home alone; Dad back on the phone to the council',
    'Bus driver here. The X1 line is mostly pensioners going to the seafront.',
    'her wifi line was down all evening so we played cards',
    'went off with his rods and line; three phones, one for each line and his own',
    "Kyle's number is 07700 900 111, ring him for a lift",
  ]) assert.deepEqual(lines(t), [], t);
});

test('line names: 10,000 repeated "line" words finish without error', () => {
  const t0 = Date.now();
  extract('line '.repeat(10_000));
  extract('the Kash line '.repeat(5_000));
  assert.ok(Date.now() - t0 < 20_000);
});

test('line names: "a line they call X"; contact names and phone types are not brands', () => {
  assert.deepEqual(lines("the group running a line they call 'Rolex' now uses a BMW"), ['rolex']);
  assert.deepEqual(lines('texts from numbers saved only as \'T\' and \'Big M\''), []);
  assert.deepEqual(lines("we found a cheap 'brick' phone with no contacts"), []);
});

test('line names: a travel line is not a brand', () => {
  assert.deepEqual(lines('Ring the travel line on 0113 496 0045 if you need the new times.'), []);
});

test('line names: "X DELIVERS 24/7" on a card is a service, not a brand', () => {
  assert.deepEqual(lines("Card through the door: 'BIG DAVE DELIVERS 24/7 — 07700-900-562'"), []);
});

test('line names: "the X line up to <place>" is a route, a lunch line is a queue', () => {
  assert.deepEqual(lines("recruiting 'drivers' for the Big H line up to Dundee"), ['big h']);
  assert.deepEqual(lines('the lunch line will move to the sports hall'), []);
  assert.deepEqual(lines('the Kash line up on the wall'), []);
});

test('line names: council and contact names are not brands, nor "there line"', () => {
  assert.deepEqual(lines("I rang the council's housing line on 0161 496 0712"), []);
  assert.deepEqual(lines("an 'uncle' from Leeds - saved in his phone as 'Unc', (0113) 496 0642"), []);
  assert.deepEqual(lines('they keep my phone and use it as there line'), []);
});

test('line names: "line \'Milky\' ... trading as \'Moonie\'", "the \'Ace\' and \'Tonka\' lines"', () => {
  assert.deepEqual(lines("Branded line 'Milky' is now trading as 'Moonie' after the handset was seized"), ['milky', 'moonie']);
  assert.deepEqual(lines("The 'Ace' and 'Tonka' lines both run out of Birmingham"), ['ace', 'tonka']);
  assert.deepEqual(lines("Hold the line 'please' said the operator"), []);
});

test('line names: cross-border and internal lines are kinds of line (NCLCC), not brands', () => {
  assert.deepEqual(lines('a cross-border line run from Liverpool and an internal line too'), []);
});

test('line names: a quote that does not close on the name opens a longer title', () => {
  assert.deepEqual(lines("a Telegram group on my son's phone called 'easy money north west' where"), []);
  assert.deepEqual(lines("the line is called 'Rico' now"), ['rico']);
});
