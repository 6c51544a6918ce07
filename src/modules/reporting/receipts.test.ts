import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReceiptKeys, newReceipt, normaliseReceipt, RECEIPT_CHARS } from './receipts.ts';

test('receipts are 20 Crockford characters (100 bits) in typeable groups of four', () => {
  const r = newReceipt();
  assert.match(r, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  assert.ok(RECEIPT_CHARS * 5 >= 80);
  const many = new Set(Array.from({ length: 2000 }, newReceipt));
  assert.equal(many.size, 2000);
});

test('reading a receipt forgives case, spaces, missing hyphens and O/I/L slips', () => {
  assert.equal(normaliseReceipt('k7pq 2xmd 9rta ohwe 5nbc'), 'K7PQ2XMD9RTA0HWE5NBC');
  assert.equal(normaliseReceipt('K7PQ-2XMD-9RTA-0HWE-5NBl'), 'K7PQ2XMD9RTA0HWE5NB1');
  assert.equal(normaliseReceipt('too short'), null);
  assert.equal(normaliseReceipt('K7PQ-2XMD-9RTA-0HWE-5NB!'), null);
});

test('only an HMAC lookup and an argon2id hash are derived from a receipt', async () => {
  const keys = createReceiptKeys('x'.repeat(40));
  const n = normaliseReceipt(newReceipt())!;
  const hash = await keys.hash(n);
  assert.match(hash, /^\$argon2id\$/);
  assert.ok(!hash.includes(n));
  assert.equal(await keys.verify(hash, n), true);
  assert.equal(await keys.verify(hash, normaliseReceipt(newReceipt())!), false);
  assert.deepEqual(keys.lookup(n), keys.lookup(n));
  assert.notDeepEqual(createReceiptKeys('y'.repeat(40)).lookup(n), keys.lookup(n));
});
