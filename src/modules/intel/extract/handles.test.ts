import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHandles } from './handles.ts';

const values = (t: string): string[] => findHandles(t).map((h) => h.value);

test('handles: @names, lower case without @, emails skipped', () => {
  assert.deepEqual(values('Someone on snapchat called @Easy.P.Money offered him money.'), ['easy.p.money']);
  assert.deepEqual(values('email help@example.org or @moneymoves.uk'), ['moneymoves.uk']);
});

test('handles: labelled names without @ only when they look like handles', () => {
  assert.deepEqual(values('snap: kash_deliveries22'), ['kash_deliveries22']);
  assert.deepEqual(values("on insta it's fast.cash99"), ['fast.cash99']);
  assert.deepEqual(values('on snapchat offering money'), []);
});
