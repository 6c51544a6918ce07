import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Csrf, createRateLimiter } from './security.ts';

describe('CSRF tokens', () => {
  it('binds staff tokens to the session and public tokens to the day', () => {
    let now = Date.UTC(2026, 10, 28, 12);
    const csrf = new Csrf('s'.repeat(40), () => now);
    const staff = csrf.tokenFor('session-a');
    assert.ok(csrf.verify('session-a', staff));
    assert.equal(csrf.verify('session-b', staff), false, 'a token from another session fails');
    const pub = csrf.tokenFor(undefined);
    assert.ok(csrf.verify(undefined, pub));
    assert.equal(csrf.verify('session-a', pub), false);
    now += 86_400_000; // next day: yesterday's form still submits
    assert.ok(csrf.verify(undefined, pub));
    now += 86_400_000 * 2;
    assert.equal(csrf.verify(undefined, pub), false);
    assert.equal(csrf.verify(undefined, undefined), false);
    assert.equal(csrf.verify(undefined, 'p.forged'), false);
  });
});

describe('rate limiter', () => {
  it('limits per client and bucket, and forgets everything each window', () => {
    let now = 0;
    const rl = createRateLimiter(60_000, () => now);
    for (let i = 0; i < 3; i++) assert.ok(rl.hit('198.51.100.1', 'report', 3));
    assert.equal(rl.hit('198.51.100.1', 'report', 3), false);
    assert.ok(rl.hit('198.51.100.2', 'report', 3), 'another client is unaffected');
    assert.ok(rl.hit('198.51.100.1', 'other', 3), 'another bucket is unaffected');
    now += 60_000;
    assert.ok(rl.hit('198.51.100.1', 'report', 3), 'a new window starts afresh');
  });

  it('keeps no IP address in memory, only keyed hashes', () => {
    const rl = createRateLimiter();
    rl.hit('203.0.113.99', 'report', 10);
    const seen = JSON.stringify(rl, (_k, v: unknown) => (v instanceof Map ? [...v.keys()] : v));
    assert.doesNotMatch(seen, /203\.0\.113\.99/);
  });
});
