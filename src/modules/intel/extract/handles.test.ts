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

test('handles: straight after the platform, quoted later, or after a username label', () => {
  assert.deepEqual(values('goes by Rico, snapchat rico.bandz'), ['rico.bandz']);
  assert.deepEqual(values("a second Snapchat I didn't know about, 'mia.xx.priv', and"), ['mia.xx.priv']);
  assert.deepEqual(values('message his boss on Telegram, username northside_ops.'), ['northside_ops']);
  assert.deepEqual(values("chats with an account called 'LDNplug' offering"), ['ldnplug']);
  // Everyday words after the same labels are not names.
  assert.deepEqual(values('I can handle it. The account called it off. snapchat is down'), []);
  assert.deepEqual(values("on snap he said 'see you at 7.30'"), []);
});

test('handles: hyphens, a name before "on insta", an account named after a comma', () => {
  assert.deepEqual(values('Check his Snapchat, someone called T-Bagz_ messages him'), ['t-bagz_']);
  assert.deepEqual(values("he's dreww.x on Insta."), ['dreww.x']);
  assert.deepEqual(values('follows a TikTok account, rochy.r0ads, that posts cash'), ['rochy.r0ads']);
  assert.deepEqual(values('he is on insta a lot, 2.5 hours a day'), []);
});
