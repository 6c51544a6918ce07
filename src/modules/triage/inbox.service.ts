/**
 * The multi-agency inbox: public reports, checker referrals and live-event disclosures in one
 * list, ordered by urgency then age. Triage actions (urgency, 3x5x2 grading, a sanitised version,
 * assignment, need-to-know sharing, linking to a case, closing) are each audited in the same
 * transaction as the change, and each checks the item's version (optimistic locking).
 *
 * Who sees what: an item is visible to its owning agency, the agency it is assigned to and the
 * agencies it was shared with. Only the owning agency reads the ORIGINAL (a report through the
 * reporting service, decrypted and audited there); every other agency sees the sanitised
 * intelligence version, with anything that could identify the reporter removed (DOMAIN.md).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/access.ts';
import { access } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { isUuid } from '../../db/ids.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { randomCrockford } from '../reporting/receipts.ts';
import type { ReportDetail, ReportingService } from '../reporting/reports.service.ts';
import { queryTokens, tokensOf, type TokenHasher } from '../reporting/search-tokens.ts';
import type { ScreenInput } from '../screening/screen.schema.ts';
import type { ScreenResult } from '../screening/scoring.ts';
import { disclosureAad } from '../live/live.repository.ts';
import * as repo from './inbox.repository.ts';
import type { Sealer } from './sealing.ts';
import {
  assignForm,
  closeForm,
  gradeForm,
  linkForm,
  parseOrThrow,
  sanitiseForm,
  shareForm,
  urgencyForm,
  type InboxFilters,
  type SourceType,
  type TriageContent,
  type Urgency,
} from './triage.schema.ts';
import { findCaseByReference } from './cases.repository.ts';
import { ensureOverdueSweep } from './tasks.ts';
import { addDays, isoDay } from './dates.ts';

export interface IntakeInput {
  sourceType: SourceType;
  sourceId: string;
  ownerAgencyId: string;
  receivedAt: Date;
  urgencyHint?: Urgency;
  area?: string;
  /** Indicator codes known at intake (the checker's signs, extraction's indicators). */
  indicators?: string[];
  /** Non-protected fields only (danger now, photo count, level): never free text. */
  summary?: Record<string, string | number | boolean | null>;
  /** The source's own reference; reports use theirs, others get one made here. */
  reference?: string;
}

export interface ReferrerDetails {
  name?: string;
  role?: string;
  organisation?: string;
  email?: string;
  phone?: string;
  /** Anything else the referrer wrote (sealed, searchable only by keyed hash). */
  notes?: string;
}

export interface InboxItem {
  id: string;
  reference: string;
  sourceType: SourceType;
  sourceId: string;
  ownerAgencyId: string;
  receivedAt: Date;
  area: string | null;
  indicators: string[];
  summary: Record<string, unknown>;
  status: 'new' | 'in_progress' | 'closed';
  urgency: Urgency;
  dueAt: Date;
  overdue: boolean;
  grade: { source: string; intelligence: string; handling: string; conditions: string | null; gradedAt: Date | null; gradedBy: string | null } | null;
  hasSanitised: boolean;
  sanitisedAt: Date | null;
  assignedAgencyId: string | null;
  assignedUserId: string | null;
  caseId: string | null;
  caseReference: string | null;
  outcome: string | null;
  closedAt: Date | null;
  sharedWithAgencyIds: string[];
  matches: boolean;
  retentionReviewOn: string;
  version: number;
}

export type Original =
  | { kind: 'report'; report: ReportDetail }
  | { kind: 'referral'; referrer: ReferrerDetails; input: ScreenInput; result: ScreenResult }
  | { kind: 'disclosure'; text: string; deckId: string }
  | { kind: 'withheld' }
  | { kind: 'gone' };

export interface ItemView {
  item: InboxItem;
  /** True when the actor's agency owns the item (reads the original, may act). */
  isOwner: boolean;
  /** True when the actor may change the item (owning or assigned agency, with report:triage). */
  canAct: boolean;
  original: Original;
  sanitised: string | null;
}

export interface InboxDeps {
  content: TriageContent;
  sealer: Sealer;
  hashToken: TokenHasher;
  reporting: ReportingService;
}

const PAGE_SIZE = 50;
const EXPORT_LIMIT = 5000;
const REFERENCE_LIKE = /^[A-Z]-[0-9A-Z]{4}(-[0-9A-Z]{4}){1,2}$/;

/** The system actor used when sources arrive (audited by name). */
const intakeActor = (): Actor => ({ kind: 'system', name: 'triage.intake', correlationId: randomUUID() });

export function createInboxService(platform: Platform, deps: InboxDeps) {
  const { db, clock, audit } = platform;
  const { content, sealer, hashToken } = deps;
  const scope = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.agencyId : null);
  const byOf = (actor: Actor): string => (actor.kind === 'staff' ? actor.userId : `system:${actor.name}`);
  const dueFor = (receivedAt: Date, urgency: Urgency): Date => new Date(receivedAt.getTime() + content.urgency_due_hours[urgency] * 3_600_000);

  function map(r: repo.ItemRow, now: Date): InboxItem {
    return {
      id: r.id,
      reference: r.reference,
      sourceType: r.source_type,
      sourceId: r.source_id,
      ownerAgencyId: r.owner_agency_id,
      receivedAt: r.received_at,
      area: r.area,
      indicators: r.indicators,
      summary: r.summary,
      status: r.status,
      urgency: r.urgency,
      dueAt: r.due_at,
      overdue: r.status !== 'closed' && r.due_at.getTime() < now.getTime(),
      grade:
        r.grade_source && r.grade_intelligence && r.grade_handling
          ? { source: r.grade_source, intelligence: r.grade_intelligence, handling: r.grade_handling, conditions: r.handling_conditions, gradedAt: r.graded_at, gradedBy: r.graded_by }
          : null,
      hasSanitised: r.sanitised !== null,
      sanitisedAt: r.sanitised_at,
      assignedAgencyId: r.assigned_agency_id,
      assignedUserId: r.assigned_user_id,
      caseId: r.case_id,
      caseReference: r.case_reference,
      outcome: r.outcome,
      closedAt: r.closed_at,
      sharedWithAgencyIds: r.shared_with ?? [],
      matches: r.matches,
      retentionReviewOn: r.retention_review_on,
      version: r.version,
    };
  }

  const scoped = (r: repo.ItemRow) => ({
    ownerAgencyId: r.owner_agency_id,
    sharedWithAgencyIds: [...(r.shared_with ?? []), ...(r.assigned_agency_id ? [r.assigned_agency_id] : [])],
  });

  /** The item, if the actor may see it; 404 otherwise (forged ids and other agencies' items alike). */
  async function visibleItem(tx: Queryable, actor: Actor, id: string, forUpdate = false): Promise<repo.ItemRow> {
    const row = await repo.findItem(tx, scope(actor), id, { forUpdate });
    access.requireVisible(actor, row ? scoped(row) : null, 'item', id);
    return row!;
  }

  function requireActor(actor: Actor, row: repo.ItemRow): void {
    if (actor.kind === 'system') return;
    if (row.owner_agency_id !== actor.agencyId && row.assigned_agency_id !== actor.agencyId) throw new ForbiddenError('report:triage (owning or assigned agency)');
  }

  const conflict = () => new ConflictError('Someone else changed this item since you opened it. Your changes have not been saved yet: check the item and send them again.');

  /** Runs one triage action: permission, visibility, the change at the expected version, audit. */
  async function act<T>(actor: Actor, id: string, action: string, fn: (tx: Queryable, row: repo.ItemRow, now: Date) => Promise<{ changed: boolean; detail?: Record<string, unknown>; result?: T }>): Promise<T | undefined> {
    access.require(actor, 'report:triage');
    return db.transaction(async (tx) => {
      const row = await visibleItem(tx, actor, id, true);
      requireActor(actor, row);
      const now = clock();
      const out = await fn(tx, row, now);
      if (!out.changed) throw conflict();
      await audit.record(tx, actor, { action, subjectType: 'item', subjectId: row.id, ...(out.detail ? { detail: out.detail } : {}) });
      return out.result;
    });
  }

  async function knownAgencies(tx: Queryable): Promise<repo.AgencyRow[]> {
    return repo.listAgencies(tx);
  }

  function listQuery(actor: Actor, f: InboxFilters, limit: number, offset: number): repo.ListQuery {
    const q = f.q.trim();
    const tokens = q ? [...new Set(queryTokens(q).map(hashToken))] : null;
    const ref = q.toUpperCase().replace(/\s+/g, '');
    return {
      agencyId: scope(actor),
      area: f.area || null,
      status: f.status || null,
      urgency: f.urgency || null,
      indicator: f.indicator || null,
      agency: f.agency || null,
      matches: f.matches,
      tokens,
      reference: q ? (REFERENCE_LIKE.test(ref) ? ref : '') : null,
      limit,
      offset,
    };
  }

  /** Filters in an audit row: which filters were used, never the search words. */
  const filterDetail = (f: InboxFilters) => ({
    searched: f.q.trim() !== '',
    ...(f.area ? { area: f.area } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.urgency ? { urgency: f.urgency } : {}),
    ...(f.indicator ? { indicator: f.indicator } : {}),
    ...(f.agency ? { agency: f.agency } : {}),
    ...(f.matches ? { matches: true } : {}),
  });

  async function newReference(tx: Queryable, prefix: string): Promise<string> {
    for (;;) {
      const ref = `${prefix}-${randomCrockford(4)}-${randomCrockford(4)}`;
      const { rows } = await tx.query('SELECT 1 FROM triage_items WHERE reference = $1', [ref]);
      if (rows.length === 0) return ref;
    }
  }

  async function intake(tx: Queryable, input: IntakeInput): Promise<{ id: string; created: boolean }> {
    const now = clock();
    const urgency = input.urgencyHint ?? content.default_urgency;
    let reference = input.reference;
    if (!reference && input.sourceType === 'report' && isUuid(input.sourceId)) {
      const { rows } = await tx.query<{ reference: string }>('SELECT reference FROM reports WHERE id = $1::uuid', [input.sourceId]);
      reference = rows[0]?.reference;
    }
    const existing = await repo.findItemBySource(tx, input.sourceType, input.sourceId);
    if (existing) return { id: existing.id, created: false };
    reference ??= await newReference(tx, input.sourceType === 'referral' ? 'F' : 'D');
    const res = await repo.insertItem(tx, {
      id: randomUUID(),
      reference,
      sourceType: input.sourceType,
      sourceId: input.sourceId,
      ownerAgencyId: input.ownerAgencyId,
      receivedAt: input.receivedAt,
      area: input.area?.slice(0, 60) ?? null,
      indicators: [...new Set(input.indicators ?? [])].slice(0, 50),
      summary: input.summary ?? {},
      urgency,
      dueAt: dueFor(input.receivedAt, urgency),
      retentionReviewOn: isoDay(addDays(input.receivedAt, content.retention_days[input.sourceType])),
      now,
    });
    if (res.created) {
      await audit.record(tx, intakeActor(), { action: 'inbox.intake', subjectType: 'item', subjectId: res.id, detail: { sourceType: input.sourceType, urgency } });
      await ensureOverdueSweep(platform, tx);
    }
    return res;
  }

  return {
    /**
     * Puts a report, referral or disclosure into the inbox (idempotent per source): urgency from
     * the hint or content's default, its due time, and a retention review date.
     */
    intake,

    /**
     * Stores a checker referral (referrer details and notes sealed; structured answers kept for
     * scoring) and puts it into the inbox, in the caller's transaction or a new one.
     */
    async submitReferral(
      tx: Queryable | undefined,
      r: { input: ScreenInput; result: ScreenResult; referrer: ReferrerDetails; ownerAgencyId: string; area?: string },
    ): Promise<{ id: string; itemId: string; reference: string }> {
      const run = async (t: Queryable) => {
        const id = randomUUID();
        const now = clock();
        const rec = sealer.newRecord();
        await repo.insertReferral(t, {
          id,
          receivedAt: now,
          ownerAgencyId: r.ownerAgencyId,
          subjectKind: r.input.subject.kind,
          level: r.result.level,
          input: r.input,
          result: r.result,
          kekId: rec.kekId,
          wrappedDek: rec.wrappedDek,
          content: rec.seal(JSON.stringify(r.referrer), `referral:${id}:content`),
        });
        const urgencyHint: Urgency = r.result.level;
        const item = await intake(t, {
          sourceType: 'referral',
          sourceId: id,
          ownerAgencyId: r.ownerAgencyId,
          receivedAt: now,
          urgencyHint,
          ...(r.area ? { area: r.area } : {}),
          indicators: r.input.signs.map((s) => s.code),
          summary: { level: r.result.level, subjectKind: r.input.subject.kind, age: r.input.subject.age, missing30d: r.input.missing_episodes_30d, dangerNow: r.input.danger_now },
        });
        const tokens = tokensOf({ texts: [r.referrer.notes ?? '', r.referrer.organisation ?? ''], phones: [], lineNames: [], vehicles: [], handles: [], postcodes: [] });
        await repo.insertTokens(t, item.id, 'source', tokens.map((x) => x.kind), tokens.map(hashToken));
        const { rows } = await t.query<{ reference: string }>('SELECT reference FROM triage_items WHERE id = $1', [item.id]);
        return { id, itemId: item.id, reference: rows[0]!.reference };
      };
      return tx ? run(tx) : db.transaction(run);
    },

    /** Form options: agencies, people of the actor's agency, outcomes, areas. */
    async options(actor: Actor): Promise<{ agencies: repo.AgencyRow[]; people: repo.PersonRow[]; outcomes: TriageContent['outcomes']; areas: readonly string[] }> {
      access.require(actor, 'report:read');
      const agencies = await knownAgencies(db);
      const people = actor.kind === 'staff' ? await repo.listPeople(db, actor.agencyId) : [];
      return { agencies, people, outcomes: content.outcomes, areas: content.areas };
    },

    /** The ids filters may name (validated before they reach SQL). */
    async knownFilterValues(actor: Actor): Promise<{ areas: readonly string[]; agencies: string[] }> {
      access.require(actor, 'report:read');
      const agencies = (await knownAgencies(db)).map((a) => a.id);
      if (actor.kind === 'staff' && !agencies.includes(actor.agencyId)) agencies.push(actor.agencyId);
      return { areas: content.areas, agencies };
    },

    /** One page of the inbox; audited as inbox.list (the search words are never recorded). */
    async list(actor: Actor, f: InboxFilters): Promise<{ items: InboxItem[]; total: number; page: number; pages: number }> {
      access.require(actor, 'report:read');
      const now = clock();
      return db.transaction(async (tx) => {
        const { rows, total } = await repo.listItems(tx, listQuery(actor, f, PAGE_SIZE, (f.page - 1) * PAGE_SIZE));
        await audit.record(tx, actor, { action: 'inbox.list', subjectType: 'item', detail: { ...filterDetail(f), count: rows.length } });
        return { items: rows.map((r) => map(r, now)), total, page: f.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
      });
    },

    /** Filtered inbox rows for the CSV export (no protected free text); audited as inbox.export. */
    async exportRows(actor: Actor, f: InboxFilters): Promise<InboxItem[]> {
      access.require(actor, 'report:export');
      const now = clock();
      return db.transaction(async (tx) => {
        const { rows } = await repo.listItems(tx, listQuery(actor, f, EXPORT_LIMIT, 0));
        await audit.record(tx, actor, { action: 'inbox.export', subjectType: 'item', detail: { ...filterDetail(f), count: rows.length, format: 'csv' } });
        return rows.map((r) => map(r, now));
      });
    },

    /** One item with its original (owning agency only) and sanitised version; audited as inbox.view. */
    async get(actor: Actor, id: string): Promise<ItemView> {
      access.require(actor, 'report:read');
      const now = clock();
      const view: ItemView = await db.transaction(async (tx): Promise<ItemView> => {
        const row = await visibleItem(tx, actor, id);
        const isOwner = actor.kind === 'system' || row.owner_agency_id === actor.agencyId;
        const sanitised = row.sanitised && row.kek_id && row.wrapped_dek ? sealer.openWith({ kek_id: row.kek_id, wrapped_dek: row.wrapped_dek }, row.sanitised, `item:${row.id}:sanitised`) : null;
        let original: Original = { kind: 'withheld' };
        if (isOwner && row.source_type === 'referral') {
          const ref = await repo.findReferral(tx, row.source_id);
          original = ref
            ? {
                kind: 'referral',
                referrer: JSON.parse(sealer.openWith(ref, ref.content, `referral:${ref.id}:content`)) as ReferrerDetails,
                input: ref.input as unknown as ScreenInput,
                result: ref.result as unknown as ScreenResult,
              }
            : { kind: 'gone' };
        } else if (isOwner && row.source_type === 'disclosure') {
          const d = await repo.findDisclosure(tx, row.source_id);
          original = d ? { kind: 'disclosure', text: sealer.openWith(d, d.body_sealed, disclosureAad(d.id)), deckId: d.deck_id } : { kind: 'gone' };
        }
        await audit.record(tx, actor, { action: 'inbox.view', subjectType: 'item', subjectId: row.id, detail: { original: isOwner, sanitised: sanitised !== null } });
        const canAct = access.can(actor, 'report:triage') && (actor.kind === 'system' || row.owner_agency_id === actor.agencyId || row.assigned_agency_id === actor.agencyId);
        return { item: map(row, now), isOwner, canAct, original, sanitised };
      });
      if (view.isOwner && view.item.sourceType === 'report') {
        // Decrypted and audited (report.view) by the reporting service itself.
        try {
          view.original = { kind: 'report', report: await deps.reporting.getReport(actor, view.item.sourceId) };
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          view.original = { kind: 'gone' };
        }
      }
      return view;
    },

    /** Sets the urgency; the due time follows from content/triage.yaml. */
    async setUrgency(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(urgencyForm, body);
      await act(actor, id, 'inbox.urgency', async (tx, row, now) => ({
        changed: await repo.updateItem(tx, row.id, input.version, now, { by: byOf(actor), urgency: input.urgency, dueAt: dueFor(row.received_at, input.urgency) }),
        detail: { from: row.urgency, to: input.urgency },
      }));
    },

    /** 3x5x2 grading: source 1-3, intelligence A-E, handling P or C (conditions required for C). */
    async grade(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(gradeForm, body);
      await act(actor, id, 'inbox.grade', async (tx, row, now) => ({
        changed: await repo.updateItem(tx, row.id, input.version, now, {
          by: byOf(actor),
          grade: { source: input.source, intelligence: input.intelligence, handling: input.handling, conditions: input.handling === 'C' ? input.conditions : null },
        }),
        detail: { grade: `${input.source}${input.intelligence}${input.handling}` },
      }));
    },

    /** Stores the sanitised intelligence version, sealed, beside the original (which is unchanged). */
    async sanitise(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(sanitiseForm, body);
      await act(actor, id, 'inbox.sanitise', async (tx, row, now) => {
        const rec = row.kek_id && row.wrapped_dek ? { kekId: row.kek_id, wrappedDek: row.wrapped_dek, seal: (p: string, aad: string) => sealer.sealWith({ kek_id: row.kek_id!, wrapped_dek: row.wrapped_dek! }, p, aad) } : sealer.newRecord();
        const changed = await repo.updateItem(tx, row.id, input.version, now, {
          by: byOf(actor),
          sealed: { kekId: rec.kekId, wrappedDek: rec.wrappedDek, content: rec.seal(input.sanitised, `item:${row.id}:sanitised`) },
        });
        if (changed) {
          const tokens = tokensOf({ texts: [input.sanitised], phones: [], lineNames: [], vehicles: [], handles: [], postcodes: [] });
          await repo.insertTokens(tx, row.id, 'sanitised', tokens.map((t) => t.kind), tokens.map(hashToken));
        }
        return { changed, detail: { length: input.sanitised.length } };
      });
    },

    /** Assigns to an agency and, optionally, a person in it. The assigned agency sees the sanitised version. */
    async assign(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(assignForm, body);
      await act(actor, id, 'inbox.assign', async (tx, row, now) => {
        const agencies = await knownAgencies(tx);
        const own = actor.kind === 'staff' ? actor.agencyId : row.owner_agency_id;
        if (input.agencyId !== own && input.agencyId !== row.owner_agency_id && !agencies.some((a) => a.id === input.agencyId))
          throw new ValidationError([{ field: 'agencyId', message: 'Choose an agency from the list' }]);
        let userId: string | null = null;
        if (input.userId) {
          const person = await repo.findPerson(tx, input.userId);
          if (!person || person.agency_id !== input.agencyId) throw new ValidationError([{ field: 'userId', message: 'Choose a person who works for the agency you chose' }]);
          userId = person.id;
        }
        if (input.agencyId !== row.owner_agency_id) requireSanitisedForReport(row);
        return {
          changed: await repo.updateItem(tx, row.id, input.version, now, { by: byOf(actor), assign: { agencyId: input.agencyId, userId } }),
          detail: { agencyId: input.agencyId, ...(userId ? { userId } : {}) },
        };
      });
    },

    /** Shares with a further agency on need-to-know (they see the sanitised version, not the original). */
    async share(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(shareForm, body);
      await act(actor, id, 'inbox.share', async (tx, row, now) => {
        const agencies = await knownAgencies(tx);
        if (!agencies.some((a) => a.id === input.agencyId) || input.agencyId === row.owner_agency_id)
          throw new ValidationError([{ field: 'agencyId', message: 'Choose another agency from the list' }]);
        requireSanitisedForReport(row);
        const changed = await repo.bumpVersion(tx, row.id, input.version, now);
        if (changed) await repo.insertShare(tx, row.id, input.agencyId, byOf(actor), now);
        return { changed, detail: { agencyId: input.agencyId } };
      });
    },

    /** Links the item to a case the actor can see, by the case reference. */
    async linkCase(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(linkForm, body);
      await act(actor, id, 'inbox.link', async (tx, row, now) => {
        const found = await findCaseByReference(tx, scope(actor), input.caseReference.trim(), now);
        if (!found) throw new ValidationError([{ field: 'caseReference', message: 'There is no case with that reference that you can see' }]);
        return { changed: await repo.updateItem(tx, row.id, input.version, now, { by: byOf(actor), caseId: found.id }), detail: { caseId: found.id } };
      });
    },

    /** Closes with an outcome from content/triage.yaml. */
    async close(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(closeForm, body);
      if (!content.outcomes.some((o) => o.id === input.outcome)) throw new ValidationError([{ field: 'outcome', message: 'Choose an outcome from the list' }]);
      await act(actor, id, 'inbox.close', async (tx, row, now) => {
        if (row.status === 'closed') throw new ValidationError([{ field: 'outcome', message: 'This item is already closed' }]);
        return { changed: await repo.updateItem(tx, row.id, input.version, now, { by: byOf(actor), outcome: input.outcome }), detail: { outcome: input.outcome } };
      });
    },

    /** Links an item to a case from the case side (case workers opening a case from an item). */
    /**
     * Sets an item's area, once, from the places its source names (canonical gazetteer names, as
     * intel extracted them): the first that is one of content/triage.yaml's areas. Derived data:
     * no version bump, so it never makes a triage officer's edit look stale.
     */
    async setAreaFromPlaces(tx: Queryable, sourceType: SourceType, sourceId: string, places: readonly string[]): Promise<void> {
      const area = places.find((p) => content.areas.includes(p));
      if (area) await repo.setAreaIfUnset(tx, sourceType, sourceId, area);
    },

    async linkFromCase(tx: Queryable, actor: Actor, itemId: string, caseId: string): Promise<void> {
      const row = await visibleItem(tx, actor, itemId, true);
      // Only the owning or assigned agency changes an item; an agency it was merely shared with
      // cannot tie the owner's item to a case the owner could not open.
      requireActor(actor, row);
      if (row.case_id && row.case_id !== caseId) throw new ConflictError('This item is already linked to another case. Open that case from the item instead.');
      await tx.query('UPDATE triage_items SET case_id = $2, version = version + 1, updated_at = $3 WHERE id = $1', [row.id, caseId, clock()]);
      await audit.record(tx, actor, { action: 'inbox.link', subjectType: 'item', subjectId: row.id, detail: { caseId } });
    },
  };

  /** A public report leaves its owning agency only as sanitised intelligence (DOMAIN.md "Sanitisation"). */
  function requireSanitisedForReport(row: repo.ItemRow): void {
    if (row.source_type === 'report' && row.sanitised === null)
      throw new ValidationError([{ field: 'agencyId', message: 'Write the sanitised version first: a public report is shared only as sanitised intelligence' }]);
  }
}

export type InboxService = ReturnType<typeof createInboxService>;
