/** Naughty strings and random Unicode in every field: never a 500, never unescaped, never a lost valid report. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { NAUGHTY_STRINGS } from './naughty-strings.fixture.ts';
import { Journey, receiptFrom, staffActor } from './test-support.ts';

/** Seeded random Unicode (deterministic): any code point, surrogate halves included. */
function randomUnicode(seed: number, length: number): string {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s);
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = next() % 10;
    const cp = r < 4 ? 0x20 + (next() % 0x5f) : r < 7 ? next() % 0x3000 : r < 9 ? next() % 0x110000 : 0xd800 + (next() % 0x800);
    out += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return out;
}

describe('bad input', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ config: { publicPostsPerMinute: 100_000 } });
  });
  after(async () => {
    await h.close();
  });

  const inputs = [...NAUGHTY_STRINGS, ...Array.from({ length: 20 }, (_, i) => randomUnicode(i + 1, 50 + i * 40))];

  test('the API never answers 500; a valid report with naughty content is kept intact', async () => {
    const svc = h.container.services.reporting;
    const actor = staffActor(svc.receivingAgencyId);
    for (const s of inputs) {
      for (const payload of [
        { narrative: s },
        { narrative: `valid ${s.slice(0, 9000)}`, what: s.slice(0, 150), who: s.slice(0, 1500), where: s.slice(0, 1500), when: s.slice(0, 150), phones: [s.slice(0, 90)], vehicles: [s.slice(0, 90)], handles: [s.slice(0, 90)], line_names: [s.slice(0, 90)] },
        { [s.slice(0, 50) || 'empty']: s },
      ]) {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload });
        assert.ok(res.statusCode === 201 || res.statusCode === 400, `${res.statusCode} for ${JSON.stringify(s.slice(0, 40))}`);
        if (payload.narrative?.startsWith('valid ')) {
          assert.equal(res.statusCode, 201, `valid report refused for ${JSON.stringify(s.slice(0, 40))}: ${res.body.slice(0, 300)}`);
        }
      }
    }
    const found = await svc.searchReports(actor, 'valid', { limit: 200 });
    assert.ok(found.length >= inputs.length, `${found.length} valid reports found by search`);
    for (const r of found.slice(0, 10)) assert.match((await svc.getReport(actor, r.id)).content.narrative, /valid/);
    for (const raw of ['{ "narrative": ', '[]', 'null', '"x"', '{"narrative": "\\ud800"}', `{"narrative": "a", "narrative": "b"}`]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: raw });
      assert.ok(res.statusCode === 201 || res.statusCode === 400, `${res.statusCode} for ${raw}`);
    }
  });

  test('every page of the form: no 500, no raw <script> from input, and the report is still sent', async () => {
    for (const s of inputs.filter((x, i) => i % 3 === 0 || x.includes('<'))) {
      const j = new Journey(h);
      await j.start();
      for (const [step, fields] of [
        ['danger', { dangerNow: s }],
        ['what', { narrative: s }],
        ['who', { who: s }],
        ['where', { place: s, postcode: s.slice(0, 20), address: s }],
        ['when', { when: s }],
        ['phones', { phones: s, lineNames: s }],
        ['vehicles', { vehicles: s }],
        ['handles', { handles: s }],
        ['contact', { contactWanted: s }],
        ['contact', { contactWanted: 'yes' }],
        ['contact-details', { contactName: s, contactPhone: s.slice(0, 30), contactEmail: s }],
      ] as const) {
        const res = await j.answer(step, fields);
        assert.ok(res.statusCode === 303 || res.statusCode === 400, `${step}: ${res.statusCode}`);
        if (res.statusCode === 400) assert.ok(!/<script>alert|<img src=x|<svg\/onload/.test(res.body), `${step} rendered input unescaped`);
      }
      await j.answer('what', { narrative: `valid ${s.slice(0, 5000)}` });
      await j.answer('contact', { contactWanted: 'no' });
      const check = await j.get('check');
      assert.equal(check.statusCode, 200);
      assert.ok(!/<script>alert|<img src=x|<svg\/onload/.test(check.body), 'check page rendered input unescaped');
      const sent = await j.submit();
      assert.equal(sent.statusCode, 200);
      receiptFrom(sent.body);
    }
    // Staff page renders escaped too.
    const svc = h.container.services.reporting;
    const actor = staffActor(svc.receivingAgencyId);
    const withScript = await svc.submit({ ...(await import('./reports.schema.ts')).emptyContent(), narrative: '<script>alert(123)</script>' }, { channel: 'api' });
    const detail = await svc.getReport(actor, withScript.id);
    assert.equal(detail.content.narrative, '<script>alert(123)</script>');
  });
});
