import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng.ts';
import { allocateMobiles, dramaLandline, dramaMobile, findUkNumbers, formatLandline, formatMobile, isDramaNumber, LANDLINE_RANGES, MOBILE_STYLES } from './phones.ts';
import type { NumberRequest } from './phones.ts';

test('every human format of a drama mobile is found again as the same E.164 number', () => {
  const e164 = dramaMobile(123);
  assert.equal(e164, '+447700900123');
  for (const style of MOBILE_STYLES) {
    const text: string = `ring ${formatMobile(e164, style)} for food`;
    assert.deepEqual(findUkNumbers(text), [e164], `${style}: ${text}`);
  }
  assert.equal(formatMobile(e164, 'triple'), '07700 900 123');
  assert.equal(formatMobile(e164, 'intl'), '+44 7700 900123');
  assert.equal(formatMobile(e164, 'dashed'), '07700-900-123');
});

test('drama landlines in every listed area are in range and read back', () => {
  for (const code of Object.keys(LANDLINE_RANGES)) {
    const n = dramaLandline(code, 999);
    assert.ok(isDramaNumber(n), n);
    assert.deepEqual(findUkNumbers(`call ${formatLandline(n)} today`), [n]);
  }
  assert.equal(formatLandline(dramaLandline('0161', 5)), '0161 496 0005');
  assert.equal(formatLandline(dramaLandline('020', 5)), '020 7946 0005');
  assert.equal(formatLandline(dramaLandline('01632', 5)), '01632 960005');
});

test('numbers outside the drama ranges are rejected', () => {
  for (const n of ['+447700901000', '+447911123456', '+441614961000', '+442079470000', '+441632970000', '+448005551111']) {
    assert.equal(isDramaNumber(n), false, n);
  }
});

test('with fewer than 1,000 lines live at once, no number is held by two lines at the same time', () => {
  const rng = new Rng(3);
  const requests: NumberRequest[] = [];
  for (let line = 0; line < 400; line++) {
    for (let from = -rng.int(0, 40); from < 365; ) {
      const to = from + rng.int(14, 42);
      requests.push({ from, to, kind: 'line', owner: line });
      from = to;
    }
  }
  const { assigned, stats } = allocateMobiles(requests, new Rng(9));
  assert.equal(stats.sharedLinePeriods, 0);
  const byNumber = new Map<number, NumberRequest[]>();
  assigned.forEach((n, i) => byNumber.set(n, [...(byNumber.get(n) ?? []), requests[i]!]));
  for (const [n, list] of byNumber) {
    const sorted = [...list].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.from >= sorted[i - 1]!.to, `number ${n} overlaps`);
  }
});

test('past 1,000 concurrent lines, sharing is counted and personal phones are left out rather than shared', () => {
  const requests: NumberRequest[] = [];
  for (let line = 0; line < 1100; line++) requests.push({ from: 0, to: 30, kind: 'line', owner: line });
  requests.push({ from: 0, to: 30, kind: 'personal', owner: 0 });
  const { assigned, stats } = allocateMobiles(requests, new Rng(1));
  assert.equal(stats.sharedLinePeriods, 100);
  assert.equal(stats.personalUnassigned, 1);
  assert.equal(assigned.at(-1), -1);
});
