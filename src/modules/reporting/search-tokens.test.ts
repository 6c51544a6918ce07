import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenHasher, queryTokens, tokensOf, wordsIn } from './search-tokens.ts';

const has = (tokens: Array<{ kind: string; value: string }>, kind: string, value: string) => tokens.some((t) => t.kind === kind && t.value === value);

test('tokens: words lower-cased without stop words, phones in E.164 (drama range kept), regs, postcodes, handles, lines', () => {
  const t = tokensOf({
    texts: ['Two lads on BIKES were selling from the Ryan line, ring 07700 900123, near PR1 2AB in car AB12 CDE, insta @snap_king'],
    phones: ['0113 496 0000'],
    lineNames: ['The Bling line'],
    vehicles: ['ab12 cde', 'Y123 ABC'],
    handles: ['@Dealer.One'],
    postcodes: ['la11aa'],
  });
  assert.ok(has(t, 'word', 'bikes'));
  assert.ok(!has(t, 'word', 'the'));
  assert.ok(has(t, 'phone', '+447700900123'));
  assert.ok(has(t, 'phone', '+441134960000'));
  assert.ok(has(t, 'postcode', 'PR1 2AB'));
  assert.ok(has(t, 'postcode', 'LA1 1AA'));
  assert.ok(has(t, 'vehicle', 'AB12CDE'));
  assert.ok(has(t, 'vehicle', 'Y123ABC'));
  assert.ok(has(t, 'handle', 'snap_king'));
  assert.ok(has(t, 'handle', 'dealer.one'));
  assert.ok(has(t, 'line', 'ryan'));
  assert.ok(has(t, 'line', 'bling'));
});

test('a query matches entities as entities and the rest as words', () => {
  const q = queryTokens('+44 7700 900123 blue Corsa');
  assert.ok(has(q, 'phone', '+447700900123'));
  assert.ok(has(q, 'word', 'blue') && has(q, 'word', 'corsa'));
  assert.ok(!has(q, 'word', '7700'));
});

test('hashes are keyed: same token same hash, different key different hash, no plaintext', () => {
  const h = createTokenHasher('k'.repeat(40));
  const tok = { kind: 'phone' as const, value: '+447700900123' };
  assert.equal(h(tok), h({ ...tok }));
  assert.notEqual(h(tok), createTokenHasher('j'.repeat(40))(tok));
  assert.ok(!h(tok).includes('7700'));
});

test('words survive odd input without throwing', () => {
  const w = wordsIn('\u0000\u202Eabc\u202C Z̷̢a̵l̶g̸o 👀 '.repeat(3) + 'x'.repeat(100_000));
  assert.ok(w.includes('abc'));
});
