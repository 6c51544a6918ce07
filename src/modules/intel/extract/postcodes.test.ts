import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPostcodes } from './postcodes.ts';

const values = (t: string): string[] => findPostcodes(t).map((p) => p.value);

test('postcodes: spacing and case variants normalise to one form', () => {
  for (const t of ['PR25 4XX', 'pr25 4xx', 'PR254XX', 'pr254xx', 'PR25  4XX']) assert.deepEqual(values(`at ${t}.`), ['PR25 4XX'], t);
  assert.deepEqual(values('Chorley PR7 1DA, London SW1A 1AA, Manchester M1 1AE'), ['PR7 1DA', 'SW1A 1AA', 'M1 1AE']);
});

test('postcodes: unknown areas and times are not postcodes', () => {
  assert.deepEqual(values('see u b4 6pm'), []);
  assert.deepEqual(values('QQ1 1AA and XY12 3AB'), []);
});
