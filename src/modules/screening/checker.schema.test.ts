import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../awareness/content.ts';
import { checkerOptions, firstProblem, hiddenFields, readState, toScreenInput, validateQuestion } from './checker.schema.ts';
import { parseScreenInput } from './screen.schema.ts';

const content = loadContent(fileURLToPath(new URL('../../../content', import.meta.url)));
const options = checkerOptions(content);
const full = { kind: 'child', age: '15', vulnerabilities: 'none', signs: ['weapons', 'out_of_area'], 'severity-weapons': 'high', 'severity-out_of_area': 'low', missing: '0', danger: 'no' };

describe('checker state carried in hidden fields', () => {
  it('reads a posted form and turns a complete one into valid scorer input', () => {
    const state = readState({ ...full, _csrf: 'x', extra: 'ignored' });
    assert.equal(firstProblem(state, options), undefined);
    const input = parseScreenInput(toScreenInput(state), content.screening);
    assert.deepEqual(input.signs, [
      { code: 'weapons', severity: 'high' },
      { code: 'out_of_area', severity: 'low' },
    ]);
    assert.equal(input.danger_now, false);
    assert.deepEqual(input.subject.vulnerabilities, []);
  });

  it('carries every answer except the page\'s own, and forgets the strength of an unticked sign', () => {
    const state = readState({ ...full, signs: 'weapons' });
    const names = hiddenFields(state, 'age').map((f) => f.name);
    assert.ok(!names.includes('age'));
    assert.ok(names.includes('severity-weapons'));
    assert.ok(!names.includes('severity-out_of_area'));
  });

  it('finds the first unanswered or wrong question, in order', () => {
    assert.equal(firstProblem(readState({}), options)?.question, 'who');
    assert.deepEqual(firstProblem(readState({ ...full, age: '12.5' }), options)?.errors, [{ field: 'age', message: 'Age must be a number, like 15' }]);
    const p = firstProblem(readState({ ...full, 'severity-out_of_area': undefined }), options);
    assert.equal(p?.question, 'how-strong');
    assert.equal(p?.answered, false, 'a new sign not yet rated is unanswered, not wrong');
    assert.equal(firstProblem(readState({ ...full, signs: 'none' }), options), undefined, 'no signs: how strong is not asked');
  });

  it('bounds what it reads: long values are cut, huge lists are capped', () => {
    const state = readState({ age: '1'.repeat(10_000), signs: Array.from({ length: 1000 }, () => 'weapons') });
    assert.equal(state.age?.length, 100);
    assert.equal(state.signs?.length, 60);
    assert.deepEqual(validateQuestion('signs', state, options), [{ field: 'signs', message: 'Select signs from the list' }]);
  });
});
