import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPhones } from './phones.ts';

const values = (t: string): string[] => findPhones(t).map((p) => p.value);

test('phones: every common UK way of writing a drama-range number gives E.164', () => {
  for (const t of ['07700 900123', '07700 900 123', '+44 7700 900123', '07700-900-123', '07700900123', '+447700900123', '0770 090 0123', '(07700) 900123', '+44 (0)7700 900123', '0044 7700 900123', '07700.900.123', '0 7 7 0 0 9 0 0 1 2 3']) {
    assert.deepEqual(values(`call ${t} now`), ['+447700900123'], t);
  }
});

test('phones: landlines, several in one line, spans point at the number', () => {
  const text = 'Call or text 0161 496 0555 / 07700 900 202 or 020 7946 0123 and 01632 960123.';
  assert.deepEqual(values(text), ['+441614960555', '+447700900202', '+442079460123', '+441632960123']);
  const [first] = findPhones(text);
  assert.equal(text.slice(first!.start, first!.end), '0161 496 0555');
});

test('phones: dates, times, money, rooms and references are not numbers', () => {
  for (const t of ['Meeting on 12/03/2025 at 18:00 in room 101, bring £5', 'crime number 2024/567890', 'ref 07700900123', 'Invoice ref: 07700 900123', '01.02.2025 18.30', '£1,000,000', 'order #12345678901']) {
    assert.deepEqual(values(t), [], t);
  }
});

test('phones: long digit runs finish quickly and find nothing silly', () => {
  const t0 = Date.now();
  assert.deepEqual(values('0'.repeat(100_000)), []);
  findPhones('0 7 '.repeat(25_000));
  assert.ok(Date.now() - t0 < 10_000);
});

test('phones: two numbers in one run, or a number followed by a count, are split at the spaces', () => {
  const values = (t: string): string[] => findPhones(t).map((p) => p.value);
  assert.deepEqual(values('numbers 07700 900101 07700 900102 both'), ['+447700900101', '+447700900102']);
  assert.deepEqual(values("'Bluey back on 07700 900199 2 for 15 all nite'"), ['+447700900199']);
  assert.deepEqual(values('rang 0161 496 0123 4 times'), ['+441614960123']);
  // Typed digit by digit, the whole run is the number.
  assert.deepEqual(values('Sender 0 7 7 0 0 9 0 0 2 7 5.'), ['+447700900275']);
});

test('phones: +44 with the plus left off ("44 7700 900290"), not other numbers starting 44', () => {
  assert.deepEqual(values('The Ace line, 44 7700 900290, is pushing into Telford'), ['+447700900290']);
  assert.deepEqual(values('In 2019, 44 people paid 44 7700 pounds'), []);
});

test('phones: a call log is not a reference number', () => {
  assert.deepEqual(values('Call log: 07700900111 (x34), 07700 900112 (x19)'), ['+447700900111', '+447700900112']);
  assert.deepEqual(values('Incident log 07700900111'), []);
});
