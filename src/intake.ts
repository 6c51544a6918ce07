/**
 * How work flows between modules after a source commits (DESIGN.md "How data flows"):
 * a committed report becomes an inbox item for triage and an extraction job for intel.
 * Jobs run after commit, so a slow analysis never loses or delays a report, and each step is
 * idempotent, so a retried job does no harm.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from './errors.ts';
import { isUuid } from './db/ids.ts';
import type { SystemActor } from './auth/access.ts';
import type { Platform } from './platform.ts';
import type { ReportDetail, ReportingService } from './modules/reporting/reports.service.ts';
import type { ReportContent } from './modules/reporting/reports.schema.ts';
import type { createTriageServices } from './modules/triage/triage.module.ts';
import type { createIntelServices } from './modules/intel/intel.service.ts';

type Triage = ReturnType<typeof createTriageServices>;
type Intel = ReturnType<typeof createIntelServices>;

const system = (name: string): SystemActor => ({ kind: 'system', name, correlationId: randomUUID() });

/** Every free-text answer of a report as one text: what intel extracts from and where triage finds the area. */
function reportText(c: ReportContent): string {
  return [c.narrative, c.what, c.who, c.place, c.address, c.postcode, c.when, ...c.phones, ...c.lineNames.map((l) => `the ${l} line`), ...c.vehicles, ...c.handles.map((h) => (h.startsWith('@') ? h : `@${h}`))]
    .filter((x) => x && x.trim())
    .join('\n');
}

export function wireIntake(platform: Platform, m: { reporting: ReportingService; triage: Triage; intel: Intel }): void {
  const { db, jobs } = platform;

  // The text intel extracts from: every free-text answer of the report, decrypted for the job
  // only (the read is audited as system:intel) and never stored in plaintext.
  m.intel.registerSource('report', async (_type, id) => {
    const r = await readReport('intel', id);
    return r && { text: reportText(r.content), occurredAt: r.receivedAt, ownerAgencyId: r.ownerAgencyId, area: r.content.postcode || r.content.place || null };
  });

  // The inbox's area filter: once intel has extracted a source's places (one extraction per
  // source, in the ingest's own transaction), triage keeps the first that is one of its areas.
  m.intel.registerWatcher(async (tx, ctx) => {
    if (ctx.sourceType === 'report' || ctx.sourceType === 'referral' || ctx.sourceType === 'disclosure') {
      await m.triage.inbox.setAreaFromPlaces(tx, ctx.sourceType, ctx.sourceId, ctx.entities.flatMap((e) => (e.type === 'place' ? [e.value] : [])));
    }
    return [];
  });

  // Retention deletes a source with everything intel derived from it (mentions, links, area).
  m.triage.retention.onSourceDeleted((tx, type, sourceId) => m.intel.forget(tx, type, sourceId));

  // A report decrypted for one job step (audited as the system actor `name`), or null once deleted.
  async function readReport(name: string, id: string): Promise<ReportDetail | null> {
    try {
      return await m.reporting.getReport(system(name), id);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  jobs.register('report.submitted', async (payload) => {
    const reportId = String(payload.reportId ?? '');
    if (!isUuid(reportId)) return; // not a report id: nothing to do
    const { rows } = await db.query<{ id: string; reference: string; received_at: Date; owner_agency_id: string; danger_now: boolean | null; photo_count: number }>(
      'SELECT id::text AS id, reference, received_at, owner_agency_id, danger_now, photo_count FROM reports WHERE id = $1::uuid',
      [reportId],
    );
    const r = rows[0];
    if (!r) return; // deleted before the job ran
    await db.transaction(async (tx) => {
      await m.triage.intake(tx, {
        sourceType: 'report',
        sourceId: r.id,
        ownerAgencyId: r.owner_agency_id,
        receivedAt: r.received_at,
        reference: r.reference,
        ...(r.danger_now ? { urgencyHint: 'emergency' as const } : {}),
        summary: { dangerNow: r.danger_now, photos: r.photo_count },
      });
      await m.intel.enqueueIngest(tx, 'report', r.id);
    });
  });

  jobs.register('live.disclosure', async (payload) => {
    const id = String(payload.disclosureId ?? '');
    if (!isUuid(id)) return;
    const { rows } = await db.query<{ id: string; agency_id: string; created_at: Date }>('SELECT id::text AS id, agency_id, created_at FROM live_disclosures WHERE id = $1::uuid', [id]);
    const d = rows[0];
    if (!d) return;
    await db.transaction((tx) =>
      m.triage.intake(tx, { sourceType: 'disclosure', sourceId: d.id, ownerAgencyId: d.agency_id, receivedAt: d.created_at, summary: { fromLiveEvent: true } }),
    );
  });
}
