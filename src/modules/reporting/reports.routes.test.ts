import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, csrfFrom, form, type Harness } from '../../testing/harness.ts';
import { solveChallenge, type Challenge } from './pow.ts';
import { FORM, jpegWithExif, Journey, receiptFrom, staffActor } from './test-support.ts';

describe('reporting routes', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ config: { publicPostsPerMinute: 1000 } });
  });
  after(async () => {
    await h.close();
  });
  const svc = () => h.container.services.reporting;

  test('POST /api/v1/reports: 201 with a reference and a receipt; the report is committed with its job', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { narrative: 'Two teenagers swapping packages at the bus station', phones: ['07700 900123'], vehicles: ['AB12 CDE'], handles: ['@fictional_plug'], danger_now: false, where: 'Preston bus station', when: 'Friday 9pm' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json() as { reference: string; receipt: string };
    assert.match(body.reference, /^R-/);
    assert.match(body.receipt, /^(\w{4}-){4}\w{4}$/);
    assert.equal(res.headers['set-cookie'], undefined);
    const jobs = await h.container.platform.db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM jobs WHERE kind = 'report.submitted'`);
    assert.ok(jobs.rows[0]!.n >= 1);
    const found = await svc().searchReports(staffActor(svc().receivingAgencyId), '07700900123');
    assert.ok(found.some((r) => r.reference === body.reference));
  });

  test('POST /api/v1/reports: invalid input is a 400 naming each field; unknown fields are refused', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: '   ', phones: 'not a list', surprise: true } });
    assert.equal(res.statusCode, 400);
    const body = res.json() as { error: string; errors: Array<{ field: string; message: string }> };
    assert.equal(body.error, 'validation');
    const fields = body.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['narrative', 'phones', 'surprise']);
    const long = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'x'.repeat(10_001) } });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /10,000 characters or fewer/);
    const notJson = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{"narrative":' });
    assert.equal(notJson.statusCode, 400);
    assert.equal((notJson.json() as { error: string }).error, 'validation');
  });

  test('POST /api/v1/reports with photos: a good one is kept without metadata, bad ones are refused by name and the report is kept', async () => {
    const good = await jpegWithExif('Fictional API camera description');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        narrative: 'Photo of the car outside the flats on Fictional Road',
        photos: [
          { filename: 'car.jpg', data: good.toString('base64') },
          { filename: 'broken.jpg', data: Buffer.from('this is not an image at all').toString('base64') },
          { data: 'not base64 !!!' },
        ],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json() as { reference: string; photos_refused: Array<{ field: string; message: string }> };
    assert.equal(body.photos_refused.length, 2);
    assert.ok(body.photos_refused.every((e) => e.field === 'photos'));
    assert.ok(body.photos_refused.some((e) => e.message.startsWith('broken.jpg')));
    assert.ok(body.photos_refused.some((e) => /Photo 3 is not base64/.test(e.message)));
    const actor = staffActor(svc().receivingAgencyId);
    const { rows } = await h.container.platform.db.query<{ id: string }>('SELECT id FROM reports WHERE reference = $1', [body.reference]);
    const hit = rows[0];
    assert.ok(hit, 'the report was kept');
    const detail = await svc().getReport(actor, hit.id);
    assert.equal(detail.photos.length, 1);
    const stored = await svc().getPhoto(actor, hit.id, detail.photos[0]!.id);
    assert.ok(!stored.data.includes(Buffer.from('SERIAL-99887766')), 'camera serial stripped');
    assert.ok(!stored.data.includes(Buffer.from('Fictional API camera description')));

    // Too many photos, or a photo that is not {data}, is a 400 naming the field; nothing is stored.
    const many = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'x', photos: Array.from({ length: 6 }, () => ({ data: '' })) } });
    assert.equal(many.statusCode, 400);
    assert.deepEqual((many.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field), ['photos']);
    const shape = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'x', photos: ['abc'] } });
    assert.equal(shape.statusCode, 400);
    assert.match(shape.body, /"field":"photos/);
  });

  test('POST /api/v1/reports: a photo over the upload limit is refused by name, the report is kept', async () => {
    const small = await createHarness({ config: { publicPostsPerMinute: 1000, uploadLimit: 2048 } });
    try {
      const big = Buffer.alloc(4096, 7).toString('base64');
      const res = await small.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'Report with a large photo', photos: [{ filename: 'huge.jpg', data: big }] } });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { photos_refused: Array<{ message: string }> };
      assert.match(body.photos_refused[0]!.message, /^huge\.jpg is larger than/);
      // A body beyond the route's limit is a JSON 413 naming the field, never a 500.
      const tooBig = await small.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'x', photos: [{ data: 'A'.repeat(400_000) }] } });
      assert.equal(tooBig.statusCode, 413);
      assert.equal((tooBig.json() as { errors: Array<{ field: string }> }).errors[0]!.field, 'photos');
    } finally {
      await small.close();
    }
  });

  test('guided report without cookies or JavaScript: every page, danger interstitial, check answers, receipt once', async () => {
    const j = new Journey(h);
    await j.start();
    let r = await j.answer('danger', { dangerNow: 'yes' });
    assert.equal(r.headers.location, `${j.base}/danger-now`);
    r = await j.get('danger-now');
    assert.match(r.body, /Call 999 now/);
    assert.match(r.body, new RegExp(`href="${j.base}/what"`));
    assert.match(r.body, /Exit this page/);
    r = await j.answer('what', { narrative: 'A boy of about 14 is dropped off at the flat every night.' });
    assert.equal(r.headers.location, `${j.base}/who`);
    await j.answer('who', { who: 'Boy about 14, nickname "Little T"; man in his 30s' });
    await j.answer('where', { place: 'Fishwick, Preston', postcode: 'pr1 4aa', address: 'Flat above the launderette' });
    await j.answer('when', { when: 'Most nights since March' });
    await j.answer('phones', { phones: '07700 900456\n07700 900457', lineNames: 'the Ryan line' });
    await j.answer('vehicles', { vehicles: 'AB12 CDE' });
    await j.answer('handles', { handles: '@fictional_runner' });
    r = await j.upload([{ filename: 'car.jpg', type: 'image/jpeg', data: await jpegWithExif() }]);
    assert.equal(r.statusCode, 303);
    r = await j.answer('contact', { contactWanted: 'no' });
    assert.equal(r.headers.location, `${j.base}/check`);
    r = await j.get('check');
    assert.match(r.body, /Check your answers/);
    assert.match(r.body, /PR1 4AA/);
    assert.match(r.body, /1 photo/);
    assert.match(r.body, /No, stay anonymous/);
    r = await j.submit();
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['set-cookie'], undefined);
    const receipt = receiptFrom(r.body);
    assert.match(r.body, /Report sent/);
    // The draft is gone: the receipt page cannot be produced again.
    const again = await j.submit();
    assert.equal(again.statusCode, 404);
    assert.doesNotMatch(again.body, new RegExp(receipt));
    // Staff can read it decrypted, with the photo.
    const actor = staffActor(svc().receivingAgencyId);
    const list = await svc().listReports(actor);
    const mine = list.find((x) => x.photoCount === 1 && x.dangerNow === true)!;
    const detail = await svc().getReport(actor, mine.id);
    assert.equal(detail.content.postcode, 'PR1 4AA');
    assert.deepEqual(detail.content.phones, ['07700 900456', '07700 900457']);
    assert.equal(detail.content.contact, null);
  });

  test('a validation error re-renders the same page with an error summary and what was typed', async () => {
    const j = new Journey(h);
    await j.start();
    let r = await j.answer('what', { narrative: '' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /govuk-error-summary/);
    assert.match(r.body, /href="#narrative"/);
    r = await j.answer('where', { place: 'Kept <place> & "quoted"', postcode: 'NOT A POSTCODE', address: 'Kept address' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Enter a real postcode/);
    assert.match(r.body, /Kept &lt;place&gt; &amp; &quot;quoted&quot;/);
    assert.match(r.body, /value="NOT A POSTCODE"/);
    assert.match(r.body, /Kept address/);
    r = await j.answer('contact', { contactWanted: 'yes' });
    assert.equal(r.headers.location, `${j.base}/contact-details`);
    r = await j.answer('contact-details', { contactName: 'Pat', contactEmail: 'not-an-email' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /value="Pat"/);
    assert.match(r.body, /email address in the correct format/);
  });

  test('a malformed or oversized photo is refused with a clear message and the report keeps going', async () => {
    const small = await createHarness({ config: { publicPostsPerMinute: 1000, uploadLimit: 20_000 } });
    try {
      const j = new Journey(small);
      await j.start();
      await j.answer('what', { narrative: 'Report that keeps its good photo' });
      let r = await j.upload([
        { filename: 'fine.jpg', type: 'image/jpeg', data: await jpegWithExif() },
        { filename: 'notes.txt', type: 'image/jpeg', data: Buffer.from('this is not an image at all') },
        { filename: 'broken.jpg', type: 'image/jpeg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]) },
        { filename: 'huge.jpg', type: 'image/jpeg', data: Buffer.alloc(30_000, 1) },
      ]);
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /notes\.txt must be a JPG, PNG, WebP or HEIC photo/);
      assert.match(r.body, /broken\.jpg could not be read/);
      assert.match(r.body, /huge\.jpg is larger than/);
      assert.match(r.body, /Photo 1/);
      r = await j.get('check');
      assert.match(r.body, /1 photo/);
      assert.match(r.body, /Report that keeps its good photo/);
      r = await j.submit();
      assert.equal(r.statusCode, 200);
      receiptFrom(r.body);
    } finally {
      await small.close();
    }
  });

  test('follow-up: the reporter reads a question and answers it with only the receipt; staff see the answer', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'Cars outside number 12 at all hours' } });
    const { receipt } = res.json() as { receipt: string };
    const actor = staffActor(svc().receivingAgencyId);
    const [report] = await svc().searchReports(actor, 'cars outside number 12');
    assert.ok(report);
    await svc().sendQuestion(actor, report.id, 'What colour were the cars?');
    const page = await h.app.inject({ method: 'GET', url: '/report/follow-up' });
    const csrf = csrfFrom(page.body);
    let r = await h.app.inject({ method: 'POST', url: '/report/follow-up', headers: FORM, payload: form({ _csrf: csrf, receipt: receipt.toLowerCase().replace(/-/g, ' ') }) });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /What colour were the cars\?/);
    assert.equal(r.headers['set-cookie'], undefined);
    r = await h.app.inject({ method: 'POST', url: '/report/follow-up/reply', headers: FORM, payload: form({ _csrf: csrf, receipt, message: 'Silver, and a black van' }) });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /Your message has been sent/);
    const detail = await svc().getReport(actor, report.id);
    assert.deepEqual(
      detail.messages.map((m) => [m.direction, m.text]),
      [
        ['agency', 'What colour were the cars?'],
        ['reporter', 'Silver, and a black van'],
      ],
    );
  });

  test('guessing receipts is rate limited (5 a minute) and a wrong receipt shows an error', async () => {
    const g = await createHarness();
    try {
      const csrf = csrfFrom((await g.app.inject({ method: 'GET', url: '/report/follow-up' })).body);
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await g.app.inject({ method: 'POST', url: '/report/follow-up', headers: FORM, payload: form({ _csrf: csrf, receipt: 'AAAA-BBBB-CCCC-DDDD-EEE' + i }) });
        codes.push(r.statusCode);
        if (i === 0) assert.match(r.body, /Enter the receipt code exactly/);
      }
      assert.deepEqual(codes, [400, 400, 400, 400, 400, 429, 429]);
    } finally {
      await g.close();
    }
  });

  test('under a burst a proof of work is required: API 428 with a challenge, solved challenge accepted once; the form keeps the report', async () => {
    svc().pow.configure({ burstPerMinute: 0 });
    try {
      let r = await h.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { narrative: 'burst' } });
      assert.equal(r.statusCode, 428);
      const { challenge } = r.json() as { challenge: Challenge };
      const solution = solveChallenge(challenge);
      r = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'x-altcha': solution }, payload: { narrative: 'burst' } });
      assert.equal(r.statusCode, 201);
      r = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'x-altcha': solution }, payload: { narrative: 'burst' } });
      assert.equal(r.statusCode, 428, 'a solution is single-use');
      const j = new Journey(h);
      await j.start();
      await j.answer('what', { narrative: 'Sent during a burst' });
      const check = await j.get('check');
      assert.match(check.body, /data-pow-challenge/);
      assert.match(check.body, /reporting-pow\.mjs/);
      r = await j.submit();
      assert.equal(r.statusCode, 429);
      assert.match(r.body, /Wait a minute/);
      assert.match((await j.get('check')).body, /Sent during a burst/, 'answers kept');
      const c = JSON.parse(/data-pow-challenge="([^"]+)"/.exec(check.body)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Challenge;
      r = await j.submit({ altcha: solveChallenge(c) });
      assert.equal(r.statusCode, 200);
      receiptFrom(r.body);
    } finally {
      svc().pow.configure({ burstPerMinute: 1_000_000 });
    }
  });

  test('staff routes need a signed-in staff member', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/staff/reports', headers: { accept: 'application/json' } });
    assert.equal(r.statusCode, 401);
  });
});
