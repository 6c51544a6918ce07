import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffActor } from '../../auth/access.ts';
import { createHarness } from '../../testing/harness.ts';
import type { InboxFilters } from '../triage/triage.schema.ts';
import { bulkLoadReports, reportContent } from './bulk.ts';
import type { ReportRecord } from './types.ts';

const REPORT: ReportRecord = {
  kind: 'report',
  id: 'R0000001',
  at: '2026-03-02T10:15:42.000Z',
  channel: 'web',
  anonymous: true,
  text: 'Cards going round saying the Kash line, food available, ring 07700 900123. White Golf AB12 CDE outside Preston station every night, lads with a xylophone case.',
};

const filters = (q = ''): InboxFilters => ({ q, area: '', status: '', urgency: '', indicator: '', agency: '', matches: false, page: 1 });

test('a bulk-loaded report is indistinguishable to the product from a service-loaded one', async () => {
  const h = await createHarness();
  try {
    const { services, platform } = h.container;
    const viaService = await services.reporting.submit(reportContent(REPORT), { channel: 'api', imported: { receivedAt: new Date(REPORT.at) } });
    let bulkId = '';
    const counts = await bulkLoadReports(h.container, [{ records: [REPORT], truth: [] }], { onLoaded: (_sim, ids) => (bulkId = ids[0]!) });
    assert.equal(counts.reports, 1);
    assert.ok(bulkId && bulkId !== viaService.id);
    await platform.jobs.drain();

    // The same row shape: everything but the random parts (id, reference, keys, receipt) is equal.
    const { rows } = await platform.db.query<Record<string, unknown> & { id: string }>(
      `SELECT r.id::text AS id, r.reference ~ '^R-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$' AS reference_ok, r.received_at, r.owner_agency_id, r.channel, r.danger_now, r.status,
              r.photo_count, r.kek_id, length(r.wrapped_dek) AS dek_len, length(r.content) AS content_len, length(r.receipt_lookup) AS lookup_len,
              r.receipt_hash LIKE '$argon2id$%' AS argon2, (SELECT array_to_string(ARRAY(SELECT unnest(t.tokens) ORDER BY 1), ',') FROM report_search_tokens t WHERE t.report_id = r.id) AS tokens
       FROM reports r WHERE r.id::text IN ($1, $2)`,
      [viaService.id, bulkId],
    );
    assert.equal(rows.length, 2);
    const strip = (r: Record<string, unknown>) => ({ ...r, id: undefined });
    const service = rows.find((r) => r.id === viaService.id)!;
    const bulk = rows.find((r) => r.id === bulkId)!;
    assert.deepEqual(strip(bulk), strip(service));
    assert.equal(bulk.reference_ok, true);
    assert.equal(bulk.argon2, true);
    assert.ok(String(bulk.tokens).length > 100, 'keyed search tokens were stored');
    assert.equal((bulk.received_at as Date).toISOString(), '2026-03-02T10:15:00.000Z', 'received to the minute, as the service keeps it');

    // Staff of the receiving agency open both in the inbox: same triage fields, decrypted narrative.
    const owner = await services.reporting.resolveReceivingAgency();
    const actor: StaffActor = { kind: 'staff', userId: 'test-triage', name: 'Test triage', email: 'triage@test.lookout.test', agencyId: owner, roles: ['triage'], correlationId: 'bulk-test' };
    const list = await services.triage.inbox.list(actor, filters());
    const itemOf = (id: string) => list.items.find((i) => i.sourceId === id);
    const a = itemOf(viaService.id);
    const b = itemOf(bulkId);
    assert.ok(a && b, 'both reports are in the inbox');
    for (const k of ['sourceType', 'ownerAgencyId', 'receivedAt', 'status', 'urgency', 'dueAt', 'summary', 'retentionReviewOn', 'area', 'indicators'] as const) {
      assert.deepEqual(b[k], a[k], `inbox item ${k}`);
    }
    const opened = await services.triage.inbox.get(actor, b.id);
    assert.equal(opened.original.kind, 'report');
    assert.equal(opened.original.kind === 'report' && opened.original.report.content.narrative, REPORT.text, 'the decrypted narrative equals the source');

    // A search by a word and by the number finds both.
    for (const q of ['xylophone', '07700 900123']) {
      const found = await services.triage.inbox.list(actor, filters(q));
      assert.deepEqual(found.items.map((i) => i.sourceId).sort(), [viaService.id, bulkId].sort(), `search for "${q}"`);
    }

    // Intel extracted the same entities from both.
    const mentions = await platform.db.query<{ source_id: string; e: string }>(
      `SELECT m.source_id, string_agg(e.type || ':' || e.value, ',' ORDER BY e.type, e.value) AS e FROM mentions m JOIN entities e ON e.id = m.entity_id
       WHERE m.source_type = 'report' GROUP BY m.source_id`,
    );
    const bySource = new Map(mentions.rows.map((r) => [r.source_id, r.e]));
    assert.ok(bySource.get(bulkId)?.includes('phone:+447700900123'));
    assert.equal(bySource.get(bulkId), bySource.get(viaService.id));
  } finally {
    await h.close();
  }
});
