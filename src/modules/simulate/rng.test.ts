import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.ts';

test('the same seed gives the same sequence; another seed a different one', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const seqA = Array.from({ length: 20 }, () => a.uint32());
  const seqB = Array.from({ length: 20 }, () => b.uint32());
  const seqC = Array.from({ length: 20 }, () => c.uint32());
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA, seqC);
});

test('forks are independent of how much the parent has drawn', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  for (let i = 0; i < 100; i++) b.next();
  assert.equal(a.fork('day:3').uint32(), b.fork('day:3').uint32());
  assert.notEqual(a.fork('day:3').uint32(), a.fork('day:4').uint32());
});

test('int stays in range and covers both ends; next is in [0, 1)', () => {
  const r = new Rng(1);
  const seen = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const n = r.int(10, 17);
    assert.ok(n >= 10 && n <= 17);
    seen.add(n);
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
  }
  assert.equal(seen.size, 8);
});

test('weighted picks follow the weights and never pick a zero weight', () => {
  const r = new Rng(5);
  const counts = { a: 0, b: 0, z: 0 };
  for (let i = 0; i < 10000; i++) counts[r.weighted(['a', 'b', 'z'] as const, [3, 1, 0])]++;
  assert.equal(counts.z, 0);
  assert.ok(counts.a > 2 * counts.b);
});
