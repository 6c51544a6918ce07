// Cue wording and rules added to generalise beyond the dev set; invented sentences, one sign each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './extract.ts';

const codes = (t: string): string[] => [...new Set(extract(t).indicators.map((i) => i.code))].sort();
const has = (t: string, code: string): boolean => codes(t).includes(code);

test('indicators: general wording of each sign', () => {
  const cases: [string, string][] = [
    ['she keeps disapearing for days', 'missing_from_home'],
    ['police brought her home at 3am', 'missing_from_home'],
    ['now he is out at all hours', 'missing_from_home'],
    ["my son's been bunking off", 'education_disruption'],
    ['Pupil absent 11 days this half term', 'education_disruption'],
    ['she got the train on her own on a school day', 'education_disruption'],
    ['takes the train to Leeds alone twice a week', 'out_of_area'],
    ['got off the London train at Lancaster', 'out_of_area'],
    ['They drove him to Milton Keynes', 'out_of_area'],
    ["he's been in Brum for the weekend", 'out_of_area'],
    ['goes there most weekends and comes back with cash', 'unexplained_money_goods'],
    ['a new iPhone and says a friend bought them', 'unexplained_money_goods'],
    ['He keeps getting calls at all hours', 'multiple_phones'],
    ['staying in hotels with a 30 year old man', 'concerning_associates'],
    ['getting into a taxi with two men in their 40s', 'concerning_associates'],
    ["he's 'running' for someone", 'concerning_associates'],
    ['dropped off by people in a car and told to wait', 'concerning_associates'],
    ['picked up in Ashton by two men', 'concerning_associates'],
    ['told him to hide it up his bum', 'internal_concealment'],
    ["He got jumped and robbed and now they say it's his debt", 'debt_bondage'],
    ['he used to be so chatty, now he barely speaks to us', 'behaviour_change'],
    ["Lads have moved into the old lady's bungalow", 'cuckooing'],
    ["THEY HAVE TAKEN OVER MY UNCLE'S FLAT", 'cuckooing'],
    ['Business cards pushed through letterboxes with 01632 960789', 'deal_line_activity'],
    ["Got a text: 'NEW NUMBER same team, 2 for £20'", 'deal_line_activity'],
    ['THE BENZ LINE IS BACK, SAME LADS SELLING OUTSIDE THE OFFY', 'drugs_involvement'],
  ];
  for (const [t, code] of cases) assert.ok(has(t, code), `${t} -> ${code} (got ${codes(t).join(', ')})`);
});

test('indicators: ordinary senses cancelled by unless phrases', () => {
  assert.ok(!has('Went to Bath for the day with the school, lovely trip', 'out_of_area'));
  assert.ok(has('He went to Bath and came back at 4am', 'out_of_area'));
  assert.ok(!has('His card is used by someone else, money going in and out', 'cuckooing'));
  assert.ok(has('People in and out of the flat all day', 'cuckooing'));
  assert.ok(!has('The door was kicked in last week and now there are young men there', 'immediate_danger'));
  assert.ok(has('They are kicking the door in now', 'immediate_danger'));
  assert.ok(!has('A woman in her 50s has had her PIN taken by a lodger', 'concerning_associates'));
  assert.ok(!has('They have brought out a new line of Nike trainers', 'unexplained_money_goods'));
});

test('indicators: negation, hedges and clause breaks (one scan per text)', () => {
  assert.deepEqual(codes('He is not scared and there is no sign of injuries'), []);
  assert.ok(has("not sure if he's scared", 'fear_intimidation'));
  assert.ok(has('He is not in trouble but he is terrified', 'fear_intimidation'));
  assert.ok(!has('He isn\'t carrying a knife as far as we know', 'weapons'));
  // A negation far back in the same clause does not reach the cue.
  assert.ok(has('no idea at all what happened to him, he now owes them money', 'debt_bondage'));
  // Many cues in one report: each is judged on its own clause.
  const t = 'not scared. '.repeat(50) + 'he is terrified.';
  const hits = extract(t).indicators.filter((i) => i.code === 'fear_intimidation');
  assert.equal(hits.length, 1);
  assert.equal(t.slice(hits[0]!.start, hits[0]!.end), 'terrified');
});
