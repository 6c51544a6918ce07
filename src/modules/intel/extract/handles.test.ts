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

test('handles: profile links, Discord and Signal names, lists of names, "account <name>"', () => {
  assert.deepEqual(values('this page instagram.com/fastpaid_sw1 is recruiting'), ['fastpaid_sw1']);
  assert.deepEqual(values('join https://t.me/cov_plugz, or tiktok.com/@quick.jobz'), ['cov_plugz', 'quick.jobz']);
  assert.deepEqual(values('a friend request from facebook.com/easyearn.kieran'), ['easyearn.kieran']);
  assert.deepEqual(values('(discord: zed.grind) and Signal username milly.77'), ['zed.grind', 'milly.77']);
  assert.deepEqual(values("Discord user 'ghosty.fn' invited him"), ['ghosty.fn']);
  assert.deepEqual(values('talking to him on Discord for months as vxlt.money'), ['vxlt.money']);
  assert.deepEqual(values('his snap names: ghost.yb, lil_dunks and one called Mr.Stackz. They drive.'), ['ghost.yb', 'lil_dunks', 'mr.stackz']);
  assert.deepEqual(values('moved her onto snap, the username was dripp.kidd, and'), ['dripp.kidd']);
  assert.deepEqual(values("It's from an account frostyy_ipswich and says"), ['frostyy_ipswich']);
  assert.deepEqual(values('this account on tiktok (t1ck3t2ride) keeps posting'), ['t1ck3t2ride']);
  // A link's site is never a name, and ordinary words after the labels stay out.
  assert.deepEqual(values('telegram t.me/bigtee_drops'), ['bigtee_drops']);
  assert.deepEqual(values('his account was hacked; he is on discord as well as snap names of friends'), []);
});

test('handles: "(its name)" in brackets after the platform', () => {
  assert.deepEqual(values('some guy added me on snap (its tmoney.bossin) and keeps messaging'), ['tmoney.bossin']);
  assert.deepEqual(values('he is on snap (its fine, I checked)'), []);
});

test('handles: gamertags, a bracketed "user" label; ages are not names', () => {
  assert.deepEqual(values('Some older lad off Xbox, gamertag LilReaper0707, keeps sending him gift cards'), ['lilreaper0707']);
  assert.deepEqual(values("a man she met on Snapchat (user k1ng.d33) who gives her vapes"), ['k1ng.d33']);
  assert.deepEqual(values('keeps DMing my 14-year-old on TikTok (@ella.mgmt.uk)'), ['ella.mgmt.uk']);
});

test('handles: the next of a list, and a handle in brackets after the platform', () => {
  assert.deepEqual(values('He talks to two accounts on Snapchat, deano.mcr and Lil_Trapz99, and deletes the chats'), ['deano.mcr', 'lil_trapz99']);
  assert.deepEqual(values('The Tiny line has a Snapchat too (tiny.ting.24) and the number'), ['tiny.ting.24']);
  assert.deepEqual(values('snap: kash_22 and 2 others'), ['kash_22']);
});

test('handles: a quoted everyday word after the platform is not a name', () => {
  // A plain quoted word is as often a quoted verb ("met on TikTok 'borrows' the card") as a
  // name ("snap 'bigmanskii'"), so only handle-shaped names count there.
  assert.deepEqual(values("a man he met on TikTok 'borrows' the card"), []);
  assert.deepEqual(values("on snap 'later' he said"), []);
});

test('handles: gaming platforms, "user is x", "dm x", a quoted name before "on <platform>"', () => {
  assert.deepEqual(values('psn is Gh0st_Trapz, told me the olders can get me a ps5'), ['gh0st_trapz']);
  assert.deepEqual(values('got a DM on Roblox from ez_money_uk asking for his snapchat'), ['ez_money_uk']);
  assert.deepEqual(values('some random added me on snap, user is cashflow.kingz, sayin'), ['cashflow.kingz']);
  assert.deepEqual(values("'need drivers n riders, £300 a day, dm xavi_gwop'"), ['xavi_gwop']);
  assert.deepEqual(values("a message from 'trapstar.dee' on Instagram offering work"), ['trapstar.dee']);
  assert.deepEqual(values('dm me on snap, he is a heroin user was he'), []);
});

test('handles: quoted lists, "off <platform>"; a mid-sentence dash or an open quote is no label', () => {
  assert.deepEqual(values("added to a Snapchat group by 'mo.tiny' and 'ghostface_gg' - both adults"), ['mo.tiny', 'ghostface_gg']);
  assert.deepEqual(values('he owes some lad called byker_bossman off Snapchat for a bag'), ['byker_bossman']);
  assert.deepEqual(values('news at @stmarys_pe on Instagram - results from the tournament'), ['stmarys_pe']);
  assert.deepEqual(values("a group on Telegram called 'Easy Bread Jobs' and the admin"), []);
  assert.deepEqual(values('snap - kashmoney'), ['kashmoney']);
});

test('handles: decades in a list of names are not names', () => {
  assert.deepEqual(values('Snap names he talks to: @kayzo.x, @bigdon_77 and @ghostie.gang - all men in their 20s.'), ['kayzo.x', 'bigdon_77', 'ghostie.gang']);
});
