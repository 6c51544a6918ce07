import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadDenyList, passwordProblem, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';
import { safeReturnTo } from './auth.schema.ts';
import { createSecretBox, checkTotp, totpCode, totpStep } from './totp.ts';

const deny = loadDenyList();

describe('password policy (NCSC: length and a deny-list, no composition rules)', () => {
  it('ships a deny-list of thousands of common passwords', () => {
    assert.ok(deny.size > 2000);
    for (const p of ['password', '123456', 'qwerty', 'password1234', 'iloveyou1234', 'liverpool123']) assert.ok(deny.has(p), p);
  });

  it('refuses short, overlong, common and personal passwords; accepts a long one with no symbols', () => {
    assert.match(passwordProblem('', deny) ?? '', /Enter a password/);
    assert.match(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH - 1), deny) ?? '', /12 characters or more/);
    assert.match(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH + 1), deny) ?? '', /256 characters or fewer/);
    assert.match(passwordProblem('Password1234', deny) ?? '', /too common/, 'case does not matter');
    assert.match(passwordProblem('qwertyuiop123', deny) ?? '', /too common/);
    assert.match(passwordProblem('aaaaaaaaaaaaaaaa', deny) ?? '', /too easy/);
    assert.match(passwordProblem('sam.lee-is-the-best', deny, { email: 'sam.lee@example.org' }) ?? '', /name or email/);
    assert.equal(passwordProblem('correct staple orbit lantern', deny), null, 'three or four random words, no symbols needed');
    assert.equal(passwordProblem('🦊🦊🦊 fox den in the dunes', deny), null);
    assert.equal(passwordProblem('y'.repeat(10) + 'z'.repeat(10) + 'abc', deny), null);
  });
});

describe('returnTo (no open redirect)', () => {
  it('keeps same-origin staff paths and drops everything else', () => {
    assert.equal(safeReturnTo('/staff/inbox?page=2'), '/staff/inbox?page=2');
    assert.equal(safeReturnTo('/staff'), '/staff');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '/\t/evil.example', 'evil.example', '/', '/report', '/staff/sign-in?returnTo=/staff', '', undefined, ['/staff'], '/staffing']) {
      assert.equal(safeReturnTo(bad), null, String(bad));
    }
  });
});

describe('TOTP', () => {
  it('seals secrets at rest and opens them with any configured master key', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const sealed = createSecretBox([k1]).seal('JBSWY3DPEHPK3PXP');
    assert.doesNotMatch(sealed, /JBSWY3DPEHPK3PXP/);
    assert.equal(createSecretBox([k2, k1]).open(sealed), 'JBSWY3DPEHPK3PXP', 'after rotation the old key still opens');
    assert.throws(() => createSecretBox([k2]).open(sealed));
  });

  it('accepts the current code once (no replay) and one step of drift', () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    const at = new Date('2030-01-01T12:00:10Z');
    const code = totpCode(secret, at);
    const step = checkTotp(secret, code, at, null);
    assert.equal(step, totpStep(at));
    assert.equal(checkTotp(secret, code, at, step), null, 'the same step is not accepted twice');
    assert.equal(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null), totpStep(at) - 1);
    assert.equal(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null), null);
    assert.equal(checkTotp(secret, 'abcdef', at, null), null);
  });
});
