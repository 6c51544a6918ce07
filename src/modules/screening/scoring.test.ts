import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadContent } from '../awareness/content.ts';
import { INDICATOR_CODES, LEVELS, SEVERITIES, type IndicatorCode, type Severity } from '../awareness/content.schema.ts';
import { parseScreenInput, type ScreenInput } from './screen.schema.ts';
import { score } from './scoring.ts';

const rules = loadContent(fileURLToPath(new URL('../../../content', import.meta.url))).screening;

interface Case {
  kind?: 'child' | 'adult';
  age?: number;
  vulnerabilities?: string[];
  signs?: Array<[IndicatorCode, Severity]>;
  missing?: number;
  danger?: boolean;
  train?: boolean;
}
function input(c: Case): ScreenInput {
  return parseScreenInput(
    {
      subject: { kind: c.kind ?? 'child', age: c.age ?? (c.kind === 'adult' ? 30 : 15), vulnerabilities: c.vulnerabilities ?? [] },
      signs: (c.signs ?? []).map(([code, severity]) => ({ code, severity })),
      missing_episodes_30d: c.missing ?? 0,
      danger_now: c.danger ?? false,
      on_train: c.train ?? false,
    },
    rules,
  );
}
const run = (c: Case) => score(input(c), rules);
const ids = (c: Case) => run(c).routes.map((r) => r.id);

describe('score: the rules in DOMAIN.md "How real screening tools score"', () => {
  it('no signs: low, with a reason saying so, and advice routes', () => {
    const r = run({});
    assert.equal(r.level, 'low');
    assert.equal(r.score, 0);
    assert.equal(r.reasons.length, 1);
    assert.match(r.reasons[0] ?? '', /did not choose any signs/);
    assert.deepEqual(ids({}), ['nspcc', 'lookout_report', 'crimestoppers', 'childline']);
    assert.deepEqual(ids({ kind: 'adult' }), ['lookout_report', 'crimestoppers', '101']);
  });

  it('no signs stays low even with vulnerabilities (they are not signs themselves)', () => {
    const r = run({ age: 10, vulnerabilities: ['learning_disability', 'in_care'] });
    assert.equal(r.level, 'low');
    assert.equal(r.score, 0);
  });

  it('one low sign for a 15-year-old with no vulnerabilities is low', () => {
    const r = run({ signs: [['behaviour_change', 'low']] });
    assert.equal(r.level, 'low');
    assert.equal(r.score, 1);
    assert.match(r.reasons.join(' '), /Sudden change in behaviour \(low\)/);
  });

  it('a child under 13 with one low sign is medium, and the reason says why', () => {
    const r = run({ age: 12, signs: [['behaviour_change', 'low']] });
    assert.equal(r.band, 'low');
    assert.equal(r.level, 'medium');
    assert.ok(r.reasons.some((x) => x.startsWith('Under 13:') && /never rated low/.test(x)));
  });

  it('age 13 is not under 13', () => {
    assert.equal(run({ age: 13, signs: [['behaviour_change', 'low']] }).level, 'low');
  });

  it('an adult with a learning disability and one low sign is medium', () => {
    const r = run({ kind: 'adult', age: 34, vulnerabilities: ['learning_disability'], signs: [['cuckooing', 'low']] });
    assert.equal(r.level, 'medium');
    assert.ok(r.reasons.some((x) => x.startsWith('Learning disability:')));
    assert.equal(r.routes[0]?.id, 'adult_social_care');
  });

  it('an adult without those vulnerabilities and one low sign is low', () => {
    assert.equal(run({ kind: 'adult', signs: [['financial_exploitation', 'low']] }).level, 'low');
  });

  it('one high sign is high, whatever the total', () => {
    const r = run({ signs: [['unexplained_injuries', 'high']] });
    assert.equal(r.score, 3);
    assert.equal(r.band, 'low');
    assert.equal(r.level, 'high');
    assert.ok(r.reasons.some((x) => x.includes('"Injuries they won\'t explain" is a strong sign')));
  });

  it('a child at high goes to children\'s social care, 101 and the NRM (no consent needed)', () => {
    const r = run({ signs: [['debt_bondage', 'high']] });
    assert.deepEqual(r.routes.map((x) => x.id), ['childrens_social_care', '101', 'nrm', 'nspcc', 'crimestoppers']);
    assert.ok(r.reasons.some((x) => /child does not need to agree/.test(x)));
  });

  it('an adult at high goes to adult social care and the NRM, with the consent and Duty to Notify note', () => {
    const r = run({ kind: 'adult', signs: [['cuckooing', 'high']] });
    assert.deepEqual(r.routes.map((x) => x.id), ['adult_social_care', '101', 'nrm', 'crimestoppers']);
    assert.ok(r.reasons.some((x) => /adult must agree/.test(x) && /Duty to Notify/.test(x)));
  });

  it('three missing episodes in 30 days is at least high, for children and adults', () => {
    for (const kind of ['child', 'adult'] as const) {
      const r = run({ kind, missing: 3 });
      assert.equal(r.level, 'high', kind);
      assert.ok(r.reasons.some((x) => /3 times in the last 30 days/.test(x) && /strategy meeting/.test(x)));
    }
  });

  it('one or two missing episodes make a child at least medium, not an adult', () => {
    const once = run({ missing: 1 });
    assert.equal(once.level, 'medium');
    assert.ok(once.reasons.some((x) => /went missing once/.test(x) && /72 hours/.test(x)));
    assert.ok(run({ missing: 2 }).reasons.some((x) => /went missing twice/.test(x)));
    assert.equal(run({ kind: 'adult', missing: 2 }).level, 'low');
  });

  it('danger now is an emergency with 999 first', () => {
    const r = run({ danger: true });
    assert.equal(r.level, 'emergency');
    assert.equal(r.routes[0]?.id, '999');
    assert.equal(r.routes[0]?.label, 'Call 999 (police emergency)');
    assert.match(r.routes[0]?.contact ?? '', /999/);
    assert.match(r.reasons[0] ?? '', /danger right now/);
    assert.equal(run({ kind: 'adult', danger: true }).routes[0]?.id, '999');
  });

  it('an immediate_danger sign is an emergency even at low severity', () => {
    const r = run({ signs: [['immediate_danger', 'low']] });
    assert.equal(r.level, 'emergency');
    assert.equal(r.routes[0]?.id, '999');
  });

  it('British Transport Police comes second in an emergency on a train, or when travelling out of area', () => {
    assert.deepEqual(ids({ danger: true, train: true }).slice(0, 2), ['999', 'btp_61016']);
    assert.deepEqual(ids({ danger: true, signs: [['out_of_area', 'medium']] }).slice(0, 2), ['999', 'btp_61016']);
    assert.ok(!ids({ danger: true }).includes('btp_61016'));
    assert.ok(ids({ signs: [['weapons', 'high']], train: true }).includes('btp_61016'));
  });

  it('signs add up into the bands: 2 medium = 4 = medium; 5 medium = 10 = high', () => {
    const two = run({ signs: [['missing_from_home', 'medium'], ['multiple_phones', 'medium']] });
    assert.deepEqual([two.score, two.band, two.level], [4, 'medium', 'medium']);
    const five = run({
      signs: [
        ['missing_from_home', 'medium'],
        ['multiple_phones', 'medium'],
        ['unexplained_money_goods', 'medium'],
        ['concerning_associates', 'medium'],
        ['behaviour_change', 'medium'],
      ],
    });
    assert.deepEqual([five.score, five.band, five.level], [10, 'high', 'high']);
  });

  it('vulnerabilities add their points once a sign is present', () => {
    const r = run({ vulnerabilities: ['in_care', 'past_abuse_neglect'], signs: [['missing_from_home', 'medium']] });
    assert.equal(r.score, 4);
    assert.equal(r.level, 'medium');
    assert.ok(r.reasons.some((x) => x.includes('In care (looked after)') && x.includes('add 2 points')));
  });

  it('weights come from content: weapons count 1.5x, slang 0.5x', () => {
    assert.equal(run({ signs: [['weapons', 'medium']] }).score, 3);
    assert.equal(run({ signs: [['county_lines_slang', 'medium']] }).score, 1);
    const heavier = { ...rules, weights: { ...rules.weights, county_lines_slang: 4 } };
    assert.equal(score(input({ signs: [['county_lines_slang', 'medium']] }), heavier).level, 'medium');
  });

  it('the result has exactly the contract keys, and routes have exactly id, label and contact', () => {
    const r = run({ signs: [['weapons', 'high']] });
    assert.deepEqual(Object.keys(r), ['level', 'reasons', 'routes', 'score', 'band']);
    for (const route of r.routes) assert.deepEqual(Object.keys(route), ['id', 'label', 'contact']);
  });

  it('over many random inputs: adding a sign never lowers the level, emergency always starts with 999', () => {
    // A small seeded generator keeps the test repeatable (STYLE.md: no randomness unless seeded).
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const vulnIds = rules.vulnerabilities.filter((v) => v.derived_age_under === undefined).map((v) => v.id);
    for (let i = 0; i < 500; i++) {
      const kind = rand(2) ? 'child' : 'adult';
      const c: Case = {
        kind,
        age: kind === 'child' ? rand(18) : 18 + rand(60),
        vulnerabilities: vulnIds.filter(() => rand(5) === 0),
        signs: [],
        missing: rand(5),
        danger: rand(20) === 0,
      };
      const codes = new Set<IndicatorCode>();
      for (let k = rand(5); k > 0; k--) codes.add(INDICATOR_CODES[rand(INDICATOR_CODES.length)] ?? 'weapons');
      c.signs = [...codes].map((code) => [code, SEVERITIES[rand(3)] ?? 'low']);
      const before = run(c);
      if (before.level === 'emergency') assert.equal(before.routes[0]?.id, '999');
      assert.ok(before.routes.length > 0 && before.reasons.length > 0);
      const extra = INDICATOR_CODES.find((x) => !codes.has(x));
      if (!extra) continue;
      const after = run({ ...c, signs: [...c.signs, [extra, SEVERITIES[rand(3)] ?? 'low']] });
      assert.ok(LEVELS.indexOf(after.level) >= LEVELS.indexOf(before.level), JSON.stringify(c));
    }
  });
});
