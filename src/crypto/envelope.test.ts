import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createKeyring, CryptoError, keyId, newDataKey, open, rewrapDataKey, seal, unwrapDataKey } from './envelope.ts';

const A = randomBytes(32).toString('base64');
const B = randomBytes(32).toString('base64');

test('seal and open round-trip; a different AAD or a flipped bit fails authentication', () => {
  const key = randomBytes(32);
  const sealed = seal(key, 'a narrative', 'report:1:content');
  assert.equal(open(key, sealed, 'report:1:content').toString('utf8'), 'a narrative');
  assert.ok(!sealed.includes(Buffer.from('narrative')));
  assert.throws(() => open(key, sealed, 'report:2:content'), CryptoError);
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => open(key, tampered, 'report:1:content'), CryptoError);
  // A fresh IV each time: the same plaintext never seals to the same bytes.
  assert.notDeepEqual(seal(key, 'x', 'a'), seal(key, 'x', 'a'));
});

test('the keyring names keys by a short hash; the first key is current', () => {
  const ring = createKeyring([A, B]);
  assert.equal(ring.currentId, keyId(Buffer.from(A, 'base64')));
  assert.equal(ring.currentId.length, 16);
  assert.equal(ring.keys.size, 2);
  assert.throws(() => createKeyring([Buffer.alloc(16).toString('base64')]), CryptoError);
});

test('a DEK wrapped under an old KEK is re-wrapped under the new one and still opens content', () => {
  const oldRing = createKeyring([A]);
  const { dek, kekId, wrappedDek } = newDataKey(oldRing);
  const sealed = seal(dek, 'content', 'aad');
  const rotating = createKeyring([B, A]);
  const next = rewrapDataKey(rotating, { kekId, wrappedDek });
  assert.ok(next);
  assert.equal(next.kekId, rotating.currentId);
  assert.equal(rewrapDataKey(rotating, next), null, 'already current');
  const newOnly = createKeyring([B]);
  assert.equal(open(unwrapDataKey(newOnly, next), sealed, 'aad').toString(), 'content');
  assert.throws(() => unwrapDataKey(newOnly, { kekId, wrappedDek }), /not configured/);
});
