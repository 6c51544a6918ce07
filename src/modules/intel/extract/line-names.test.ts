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

test('line names: 10,000 repeated "line" words finish without error', () => {
  const t0 = Date.now();
  extract('line '.repeat(10_000));
  extract('the Kash line '.repeat(5_000));
  assert.ok(Date.now() - t0 < 20_000);
});
