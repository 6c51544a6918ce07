import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { rotateKeysCommand } from '../../crypto/keys.cli.ts';
import { NotFoundError, ForbiddenError, ValidationError } from '../../errors.ts';
import { createReportingServices } from './reports.service.ts';
import { emptyContent } from './reports.schema.ts';
import { jpegWithExif, staffActor } from './test-support.ts';

describe('reporting service', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });
  const svc = () => h.container.services.reporting;
  const db = () => h.container.platform.db;
  const actions = async (subjectId: string) =>
    (await db().query<{ action: string; actor_id: string }>('SELECT action, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY seq', [subjectId])).rows;

  test('staff read decrypted content, photos and messages; every read is audited in the same transaction', async () => {
    const [photo] = (await svc().cleanPhotos([{ filename: 'a.jpg', data: await jpegWithExif() }])).photos;
    const out = await svc().submit({ ...emptyContent(), narrative: 'Fictional narrative about the Bling line', phones: ['07700 900999'] }, { channel: 'api', photos: [photo!] });
    const actor = staffActor(svc().receivingAgencyId);
    const detail = await svc().getReport(actor, out.id);
    assert.equal(detail.content.narrative, 'Fictional narrative about the Bling line');
    assert.equal(detail.photos.length, 1);
    const img = await svc().getPhoto(actor, out.id, detail.photos[0]!.id);
    assert.equal(img.mime, 'image/jpeg');
    await svc().sendQuestion(actor, out.id, 'Which day was this?');
    assert.deepEqual(
      (await actions(out.id)).map((a) => a.action),
      ['report.view', 'report.photo.view', 'report.message.send'],
    );
    assert.equal((await actions(out.id))[0]!.actor_id, actor.userId);
  });

  test('photos are re-encoded with no EXIF, GPS, camera serial, XMP or ICC left', async () => {
    const input = await jpegWithExif('Fictional camera description');
    const before = await sharp(input).metadata();
    assert.ok(before.exif, 'the fixture really has EXIF');
    const out = await svc().submit({ ...emptyContent(), narrative: 'photo metadata check' }, { channel: 'form', photos: (await svc().cleanPhotos([{ filename: 'x.jpg', data: input }])).photos });
    const actor = staffActor(svc().receivingAgencyId);
    const detail = await svc().getReport(actor, out.id);
    const stored = await svc().getPhoto(actor, out.id, detail.photos[0]!.id);
    const meta = await sharp(stored.data).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.iptc, undefined);
    assert.equal(meta.icc, undefined);
    assert.ok(!stored.data.includes(Buffer.from('SERIAL-99887766')));
    assert.ok(!stored.data.includes(Buffer.from('FictionalCam')));
    assert.ok(!stored.data.includes(Buffer.from('Fictional camera description')));
  });

  test('an iPhone HEIC photo is accepted as a clean JPEG; a damaged HEIC is refused with a message', async () => {
    // 64x48 HEIC (HEVC) made with libheif's heif-enc from a JPEG carrying EXIF, GPS and a serial.
    const heic = readFileSync(new URL('./fixtures/exif-gps-serial.heic', import.meta.url));
    assert.ok(heic.includes(Buffer.from('SERIAL-HEIC-4242')), 'the fixture really carries the serial');
    const { photos, errors } = await svc().cleanPhotos([{ filename: 'IMG_0001.HEIC', data: heic }]);
    assert.deepEqual(errors, []);
    const photo = photos[0]!;
    assert.equal(photo.mime, 'image/jpeg');
    assert.deepEqual([photo.width, photo.height], [64, 48]);
    const meta = await sharp(photo.data).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.exif, undefined);
    assert.ok(!photo.data.includes(Buffer.from('SERIAL-HEIC-4242')));
    assert.ok(!photo.data.includes(Buffer.from('FictionalCam')));

    const damaged = Buffer.concat([heic.subarray(0, 40), Buffer.alloc(200, 0x5a)]);
    const bad = await svc().cleanPhotos([{ filename: 'broken.heic', data: damaged }]);
    assert.equal(bad.photos.length, 0);
    assert.match(bad.errors[0]!.message, /^broken\.heic could not be read/);
  });

  test('another agency cannot see a report (404), a shared agency can; permissions are checked in the service', async () => {
    const out = await svc().submit({ ...emptyContent(), narrative: 'Scoped report' }, { channel: 'api' });
    const other = staffActor('some-other-agency', ['triage'], 'user-other');
    await assert.rejects(svc().getReport(other, out.id), NotFoundError);
    assert.ok(!(await svc().listReports(other)).some((r) => r.id === out.id));
    await assert.rejects(svc().listReports(staffActor(svc().receivingAgencyId, ['campaigns'])), ForbiddenError);
    await assert.rejects(svc().sendQuestion(staffActor(svc().receivingAgencyId, ['analyst']), out.id, 'q'), ForbiddenError);
    await svc().shareReport(staffActor(svc().receivingAgencyId), out.id, 'some-other-agency');
    assert.equal((await svc().getReport(other, out.id)).content.narrative, 'Scoped report');
    await assert.rejects(svc().getReport(other, 'not-a-uuid'), NotFoundError);
    await assert.rejects(svc().sendQuestion(staffActor(svc().receivingAgencyId), out.id, '   '), ValidationError);
  });

  test('search finds reports by keyed token hashes only', async () => {
    const a = await svc().submit({ ...emptyContent(), narrative: 'Silver Corsa outside the chippy', vehicles: ['xy51 abc'], handles: ['@Fictional_Seller'], postcode: 'LA1 1AA' }, { channel: 'api' });
    const actor = staffActor(svc().receivingAgencyId);
    for (const q of ['corsa', 'XY51ABC', 'xy51 abc', '@fictional_seller', 'la1 1aa', 'silver corsa']) {
      assert.ok((await svc().searchReports(actor, q)).some((r) => r.id === a.id), q);
    }
    assert.ok(!(await svc().searchReports(actor, 'silver ferrari')).some((r) => r.id === a.id));
    assert.deepEqual(await svc().searchReports(actor, 'the and of'), []);
    const tokens = await db().query<{ tokens: string[] }>('SELECT tokens FROM report_search_tokens WHERE report_id = $1', [a.id]);
    assert.ok(tokens.rows[0]!.tokens.length > 3);
    assert.ok(tokens.rows[0]!.tokens.every((t) => !/corsa|XY51|seller/i.test(t)));
  });

  test('a failure mid-transaction (the photo insert) leaves no half report, no tokens and no job', async () => {
    const fresh = await createHarness();
    try {
      const s = fresh.container.services.reporting;
      const q = (sql: string) => fresh.container.platform.db.query<{ n: number }>(sql).then((r) => r.rows[0]!.n);
      await fresh.container.platform.db.exec('ALTER TABLE report_photos ADD CONSTRAINT test_photo_insert_fails CHECK (byte_size < 0)');
      const { photos } = await s.cleanPhotos([{ filename: 'a.jpg', data: await jpegWithExif() }]);
      await assert.rejects(s.submit({ ...emptyContent(), narrative: 'half report' }, { channel: 'form', photos }));
      assert.equal(await q('SELECT count(*)::int8 AS n FROM reports'), 0);
      assert.equal(await q('SELECT count(*)::int8 AS n FROM report_search_tokens'), 0);
      assert.equal(await q(`SELECT count(*)::int8 AS n FROM jobs WHERE kind = 'report.submitted'`), 0);
    } finally {
      await fresh.close();
    }
  });

  test('keys rotate: every DEK is re-wrapped under the new key; with the old key removed reports still decrypt', async () => {
    const out = await svc().submit({ ...emptyContent(), narrative: 'Before rotation' }, { channel: 'api' });
    const draftId = await svc().createDraft();
    const { platform } = h.container;
    const oldKey = platform.config.masterKeys[0]!;
    const newKey = randomBytes(32).toString('base64');
    const lines: string[] = [];
    const code = await rotateKeysCommand({ platform: { ...platform, config: { ...platform.config, masterKeys: [newKey, oldKey] } } }, (l) => lines.push(l));
    assert.equal(code, 0);
    assert.match(lines.join('\n'), /reports: \d+ re-wrapped/);
    const audit = await platform.db.query<{ actor_id: string }>(`SELECT actor_id FROM audit_events WHERE action = 'keys.rotate'`);
    assert.equal(audit.rows[0]?.actor_id, 'system:keys.rotate');
    const rotated = createReportingServices({ ...platform, config: { ...platform.config, masterKeys: [newKey] } }, { receivingAgencyId: svc().receivingAgencyId });
    const actor = staffActor(svc().receivingAgencyId);
    assert.equal((await rotated.getReport(actor, out.id)).content.narrative, 'Before rotation');
    assert.ok(await rotated.getDraft(draftId));
    await assert.rejects(svc().getReport(actor, out.id), /not configured/, 'the old-key-only service can no longer unwrap');
    // Running again is a no-op.
    const again: string[] = [];
    await rotateKeysCommand({ platform: { ...platform, config: { ...platform.config, masterKeys: [newKey] } } }, (l) => again.push(l));
    assert.match(again.join('\n'), /reports: 0 re-wrapped/);
  });

  test('reports submitted at the same moment share a commit, and each keeps its own receipt, content, search tokens and job', async () => {
    const n = 40;
    const outs = await Promise.all(
      Array.from({ length: n }, (_, i) => svc().submit({ ...emptyContent(), narrative: `Group commit report ${i}, ring 07700 900${String(100 + i)}` }, { channel: 'api' })),
    );
    assert.equal(new Set(outs.map((o) => o.receipt)).size, n);
    const actor = staffActor(svc().receivingAgencyId);
    for (const [i, o] of outs.entries()) {
      const follow = await svc().openFollowUp(o.receipt);
      assert.equal(follow?.reference, o.reference, `receipt ${i} opens its own report`);
      assert.equal((await svc().getReport(actor, o.id)).content.narrative, `Group commit report ${i}, ring 07700 900${String(100 + i)}`);
    }
    const found = await svc().searchReports(actor, '07700 900117');
    assert.deepEqual(found.map((r) => r.id), [outs[17]!.id]);
    const jobs = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'report.submitted' AND payload->>'reportId' = ANY($1::text[])`, [outs.map((o) => o.id)]);
    assert.equal(jobs.rows[0]!.n, n, 'one follow-on job per report');
  });
});
