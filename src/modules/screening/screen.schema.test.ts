import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.ts';
import { loadContent } from '../awareness/content.ts';
import { parseScreenInput } from './screen.schema.ts';

const rules = loadContent(fileURLToPath(new URL('../../../content', import.meta.url))).screening;
const valid = () => ({
  subject: { kind: 'child', age: 14, vulnerabilities: ['in_care'] },
  signs: [{ code: 'missing_from_home', severity: 'medium' }],
  missing_episodes_30d: 1,
  danger_now: false,
});

/** The field errors for an input, as `field: message` strings. */
function errorsFor(data: unknown): string[] {
  try {
    parseScreenInput(data, rules);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.errors.map((e) => `${e.field}: ${e.message}`);
  }
  assert.fail('expected a ValidationError');
}

describe('parseScreenInput', () => {
  it('accepts the contract shape and fills the optional fields', () => {
    const v = parseScreenInput({ subject: { kind: 'adult', age: 40 }, signs: [], danger_now: false }, rules);
    assert.deepEqual(v, { subject: { kind: 'adult', age: 40, vulnerabilities: [] }, signs: [], missing_episodes_30d: 0, danger_now: false, on_train: false });
    assert.equal(parseScreenInput(valid(), rules).signs[0]?.code, 'missing_from_home');
  });

  it('names each bad field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...valid(), subject: { kind: 'teen', age: 14 } }, /^subject\.kind: Must be "child" or "adult"$/],
      [{ ...valid(), subject: { kind: 'child', age: -1 } }, /^subject\.age: Must be 0 or more$/],
      [{ ...valid(), subject: { kind: 'child', age: 12.5 } }, /^subject\.age: Must be a whole number/],
      [{ ...valid(), subject: { kind: 'child', age: '12' } }, /^subject\.age: Must be a whole number/],
      [{ ...valid(), subject: { kind: 'child' } }, /^subject\.age: Required$/],
      [{ ...valid(), subject: { kind: 'child', age: 18 } }, /^subject\.age: A child is under 18/],
      [{ ...valid(), subject: { kind: 'adult', age: 17 } }, /^subject\.age: An adult is 18 or over/],
      [{ ...valid(), subject: { kind: 'child', age: 14, vulnerabilities: ['tall'] } }, /^subject\.vulnerabilities\[0\]: Unknown vulnerability "tall"/],
      [{ ...valid(), subject: { kind: 'child', age: 14, vulnerabilities: ['under_13'] } }, /^subject\.vulnerabilities\[0\]: "under_13" does not match age 14/],
      [{ ...valid(), signs: [{ code: 'going_missing', severity: 'low' }] }, /^signs\[0\]\.code: Unknown sign code "going_missing"/],
      [{ ...valid(), signs: [{ code: 'weapons', severity: 'extreme' }] }, /^signs\[0\]\.severity: Must be "low", "medium" or "high"$/],
      [{ ...valid(), signs: [{ code: 'weapons', severity: 'low' }, { code: 'weapons', severity: 'high' }] }, /^signs\[1\]\.code: "weapons" is listed twice$/],
      [{ ...valid(), signs: 'weapons' }, /^signs: /],
      [{ ...valid(), missing_episodes_30d: -2 }, /^missing_episodes_30d: Must be 0 or more$/],
      [{ ...valid(), danger_now: undefined }, /^danger_now: Required$/],
      [{ ...valid(), danger_now: 'no' }, /^danger_now: Must be true or false$/],
      [{ ...valid(), dangerNow: true }, /^dangerNow: Unknown field$/],
      [[valid()], /^input: /],
      [null, /^input: /],
    ];
    for (const [data, expected] of cases) {
      const errors = errorsFor(data);
      assert.ok(errors.some((e) => expected.test(e)), `${JSON.stringify(data)} -> ${errors.join(' | ')}`);
    }
  });

  it('accepts under_13 when it matches the age', () => {
    assert.deepEqual(parseScreenInput({ ...valid(), subject: { kind: 'child', age: 11, vulnerabilities: ['under_13'] } }, rules).subject.vulnerabilities, ['under_13']);
  });
});
