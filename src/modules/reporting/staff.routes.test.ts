/** Staff pages through the real sign-in (src/auth/testing.ts): list, read, photo, question; audited and escaped. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, signIn } from '../../auth/testing.ts';
import { emptyContent } from './reports.schema.ts';
import { jpegWithExif } from './test-support.ts';

describe('staff report pages', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  test('a triage user reads a shared report, its photo (no-store) and sends a question; input is escaped', async () => {
    const svc = h.container.services.reporting;
    const user = await createStaffUser(h, { roles: ['triage'] });
    const { photos } = await svc.cleanPhotos([{ filename: 'a.jpg', data: await jpegWithExif() }]);
    const out = await svc.submit({ ...emptyContent(), narrative: '<script>alert("x")</script> seen at the park' }, { channel: 'api', photos });
    const system = { kind: 'system' as const, name: 'test', correlationId: 'c' };
    const s = await signIn(h, user);
    assert.equal((await s.get(`/staff/reports/${out.id}`)).statusCode, 404, 'not visible before it is shared');
    await svc.shareReport(system, out.id, user.agencyId);
    const list = await s.get('/staff/reports');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(out.reference));
    const page = await s.get(`/staff/reports/${out.id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert("x")'));
    assert.match(page.body, /&lt;script&gt;alert/);
    const photoId = /\/photos\/([0-9a-f-]{36})/.exec(page.body)![1]!;
    const img = await s.get(`/staff/reports/${out.id}/photos/${photoId}`);
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/jpeg');
    assert.match(String(img.headers['cache-control']), /no-store/);
    const sent = await s.post(`/staff/reports/${out.id}/messages`, { message: 'Which park?' });
    assert.equal(sent.statusCode, 303);
    const empty = await s.post(`/staff/reports/${out.id}/messages`, { message: '' });
    assert.equal(empty.statusCode, 400);
    const { rows } = await h.container.platform.db.query<{ action: string }>('SELECT action FROM audit_events WHERE subject_id = $1 AND actor_id = $2 ORDER BY seq', [out.id, user.id]);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['report.view', 'report.photo.view', 'report.message.send', 'report.view'],
    );
    const search = await s.get('/staff/reports?q=park');
    assert.match(search.body, new RegExp(out.reference));
  });
});
