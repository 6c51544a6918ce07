/**
 * Cases for people at risk: a person record (sealed where it is personal data), a risk level
 * scored by the checker's own rules with its history and reasons, a timeline (linked reports and
 * referrals, notes, missing episodes, arrests out of area), tasks with owners and due dates, and
 * a review date that is always set. Every read and change is audited in its own transaction.
 *
 * Safeguarding rules built in (../shared/DOMAIN.md "Where a concern goes"):
 * - a missing episode creates a return home interview task due within 72 hours;
 * - a potential victim of modern slavery gets an NRM task: children need no consent; adults give
 *   informed consent, or the first responder files an anonymous Duty to Notify (MS1);
 * - the review date follows the risk level (content/triage.yaml case_review_days).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/access.ts';
import { access } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { LEVELS, SEVERITIES, type Level, type ScreeningRules } from '../awareness/content.schema.ts';
import { randomCrockford } from '../reporting/receipts.ts';
import { parseScreenInput, type ScreenInput } from '../screening/screen.schema.ts';
import { score, type ScreenResult } from '../screening/scoring.ts';
import * as repo from './cases.repository.ts';
import { findPerson, listAgencies, listPeople, namesOf } from './inbox.repository.ts';
import type { InboxService } from './inbox.service.ts';
import type { Sealer } from './sealing.ts';
import { addDays, addHours, ageOn, dayStart, isoDay } from './dates.ts';
import { ensureOverdueSweep } from './tasks.ts';
import {
  arrestForm,
  caseForm,
  caseVersion,
  missingForm,
  noteForm,
  NRM_LABELS,
  parseOrThrow,
  potentialVictimForm,
  reviewForm,
  riskForm,
  shareForm,
  splitList,
  taskForm,
  type NrmBasis,
  type TriageContent,
} from './triage.schema.ts';

export interface Person {
  name: string;
  alias: string;
  age: number | null;
  dob: string;
  notes: string;
}

export interface CaseSummary {
  id: string;
  reference: string;
  ownerAgencyId: string;
  leadUserId: string | null;
  leadName: string | null;
  status: 'open' | 'closed';
  subjectKind: 'child' | 'adult';
  person: Person;
  /** Name, or alias in quotes when there is no name. */
  displayName: string;
  age: number | null;
  vulnerabilities: string[];
  homeArea: string | null;
  places: string[];
  lines: string[];
  riskLevel: Level;
  riskReasons: string[];
  potentialVictim: boolean;
  nrmBasis: NrmBasis | null;
  reviewOn: string;
  reviewOverdue: boolean;
  openTasks: number;
  overdueTasks: number;
  sharedWithAgencyIds: string[];
  retentionReviewOn: string;
  version: number;
}

export type TimelineEntry =
  | { kind: 'item'; at: Date; sourceType: string; reference: string; itemId: string; urgency: string; status: string }
  | { kind: 'note' | 'missing_episode' | 'arrest_out_of_area' | 'potential_victim' | 'opened'; at: Date; detail: Record<string, unknown>; text: string | null; by: string }
  | { kind: 'risk'; at: Date; level: string; scoredLevel: string; score: number; reasons: string[]; overrideReason: string | null; by: string };

export interface Task {
  id: string;
  caseId: string | null;
  caseReference: string | null;
  kind: repo.TaskRow['kind'];
  title: string;
  ownerUserId: string | null;
  ownerName: string | null;
  dueAt: Date;
  overdue: boolean;
  status: 'open' | 'done';
  nrmBasis: string | null;
  completedAt: Date | null;
}

export interface CaseDetail {
  case: CaseSummary;
  timeline: TimelineEntry[];
  tasks: Task[];
  risk: Array<Extract<TimelineEntry, { kind: 'risk' }>>;
  canWrite: boolean;
}

export interface CasesDeps {
  content: TriageContent;
  rules: ScreeningRules;
  sealer: Sealer;
  inbox: InboxService;
}

const rank = (l: string): number => LEVELS.indexOf(l as Level);

export function createCasesService(platform: Platform, deps: CasesDeps) {
  const { db, clock, audit } = platform;
  const { content, rules, sealer } = deps;
  const scope = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.agencyId : null);
  const byOf = (actor: Actor): string => (actor.kind === 'staff' ? actor.userId : `system:${actor.name}`);
  const tickable = new Set(rules.vulnerabilities.filter((v) => v.derived_age_under === undefined).map((v) => v.id));
  const conflict = () => new ConflictError('Someone else changed this case since you opened it. Your changes have not been saved yet: check the case and send them again.');

  function personOf(r: repo.CaseRow): Person {
    return JSON.parse(sealer.openWith(r, r.person, `case:${r.id}:person`)) as Person;
  }

  function ageNow(p: Person, now: Date): number | null {
    if (p.dob) return ageOn(p.dob, now);
    return p.age;
  }

  function summary(r: repo.CaseRow, now: Date, names: Map<string, string>): CaseSummary {
    const person = personOf(r);
    return {
      id: r.id,
      reference: r.reference,
      ownerAgencyId: r.owner_agency_id,
      leadUserId: r.lead_user_id,
      leadName: r.lead_user_id ? (names.get(r.lead_user_id) ?? null) : null,
      status: r.status,
      subjectKind: r.subject_kind,
      person,
      displayName: person.name || `"${person.alias}"`,
      age: ageNow(person, now),
      vulnerabilities: r.vulnerabilities,
      homeArea: r.home_area,
      places: r.places,
      lines: r.lines,
      riskLevel: r.risk_level,
      riskReasons: r.risk_reasons,
      potentialVictim: r.potential_victim,
      nrmBasis: r.nrm_basis as NrmBasis | null,
      reviewOn: r.review_on,
      reviewOverdue: r.status === 'open' && r.review_on < isoDay(now),
      openTasks: r.open_tasks,
      overdueTasks: r.overdue_tasks,
      sharedWithAgencyIds: r.shared_with ?? [],
      retentionReviewOn: r.retention_review_on,
      version: r.version,
    };
  }

  function task(t: repo.TaskRow, now: Date, names: Map<string, string>): Task {
    return {
      id: t.id,
      caseId: t.case_id,
      caseReference: t.case_reference,
      kind: t.kind,
      title: t.title,
      ownerUserId: t.owner_user_id,
      ownerName: t.owner_user_id ? (names.get(t.owner_user_id) ?? null) : null,
      dueAt: t.due_at,
      overdue: t.status === 'open' && t.due_at.getTime() < now.getTime(),
      status: t.status,
      nrmBasis: t.nrm_basis,
      completedAt: t.completed_at,
    };
  }

  async function visibleCase(tx: Queryable, actor: Actor, id: string, now: Date): Promise<repo.CaseRow> {
    const row = await repo.findCase(tx, scope(actor), id, now);
    access.requireVisible(actor, row ? { ownerAgencyId: row.owner_agency_id, sharedWithAgencyIds: row.shared_with } : null, 'case', id);
    return row!;
  }

  /** Changes need case:write and the owning agency (shared agencies read only). */
  async function writable(tx: Queryable, actor: Actor, id: string, now: Date): Promise<repo.CaseRow> {
    access.require(actor, 'case:write');
    const row = await visibleCase(tx, actor, id, now);
    if (actor.kind === 'staff' && row.owner_agency_id !== actor.agencyId) throw new ForbiddenError('case:write (owning agency)');
    await tx.query('SELECT id FROM triage_cases WHERE id = $1 FOR UPDATE', [row.id]);
    return row;
  }

  async function bump(tx: Queryable, row: repo.CaseRow, version: number, now: Date, set: repo.CaseUpdate = {}): Promise<void> {
    if (!(await repo.updateCase(tx, row.id, version, now, set))) throw conflict();
  }

  async function addTask(tx: Queryable, actor: Actor, row: repo.CaseRow, t: { kind: repo.TaskRow['kind']; title: string; ownerUserId: string | null; dueAt: Date; nrmBasis?: NrmBasis }, now: Date): Promise<string> {
    const id = randomUUID();
    await repo.insertTask(tx, { id, caseId: row.id, kind: t.kind, title: t.title, ownerAgencyId: row.owner_agency_id, ownerUserId: t.ownerUserId, dueAt: t.dueAt, nrmBasis: t.nrmBasis ?? null, at: now, by: byOf(actor) });
    await audit.record(tx, actor, { action: 'case.task.create', subjectType: 'case', subjectId: row.id, detail: { taskId: id, kind: t.kind } });
    await ensureOverdueSweep(platform, tx);
    return id;
  }

  /** Scores a case with the checker's rules; the input is validated as the checker's is. */
  function assess(row: repo.CaseRow, person: Person, now: Date, signs: ScreenInput['signs'], dangerNow: boolean, missing30d: number): { input: ScreenInput; result: ScreenResult } {
    const age = ageNow(person, now) ?? (row.subject_kind === 'child' ? 15 : 30);
    const raw = {
      subject: { kind: row.subject_kind, age, vulnerabilities: row.vulnerabilities.filter((v) => tickable.has(v)) },
      signs,
      missing_episodes_30d: Math.min(missing30d, 1000),
      danger_now: dangerNow,
      on_train: false,
    };
    let input: ScreenInput;
    try {
      input = parseScreenInput(raw, rules);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new ValidationError([{ field: 'signs', message: `The case record does not fit the checker (${err.errors[0]?.message ?? 'check the age and child or adult'})` }]);
    }
    return { input, result: score(input, rules) };
  }

  const reviewFor = (level: Level, now: Date): string => isoDay(addDays(now, content.case_review_days[level]));

  async function missingIn30Days(tx: Queryable, caseId: string, now: Date): Promise<number> {
    return repo.countMissingSince(tx, caseId, addDays(now, -30));
  }

  function timelineOf(row: repo.CaseRow, events: repo.EventRow[], items: Awaited<ReturnType<typeof repo.linkedItems>>, risks: repo.RiskRow[], names: Map<string, string>): TimelineEntry[] {
    const by = (id: string) => names.get(id) ?? (id.startsWith('system:') ? 'Lookout' : 'Unknown');
    const out: TimelineEntry[] = [
      ...items.map((i) => ({ kind: 'item' as const, at: i.received_at, sourceType: i.source_type, reference: i.reference, itemId: i.id, urgency: i.urgency, status: i.status })),
      ...events.map((e) => ({ kind: e.kind, at: e.occurred_at, detail: e.detail, text: e.body ? sealer.openWith(row, e.body, `case:${row.id}:event:${e.id}`) : null, by: by(e.recorded_by) })),
      ...risks.map((r) => ({
        kind: 'risk' as const,
        at: r.assessed_at,
        level: r.level,
        scoredLevel: r.scored_level,
        score: r.score,
        reasons: r.reasons,
        overrideReason: r.override_reason ? sealer.openWith(row, r.override_reason, `case:${row.id}:risk:${r.id}`) : null,
        by: by(r.assessed_by),
      })),
    ];
    return out.sort((a, b) => b.at.getTime() - a.at.getTime());
  }

  async function recordRisk(tx: Queryable, actor: Actor, row: repo.CaseRow, a: { input: ScreenInput; result: ScreenResult }, level: Level, overrideReason: string, now: Date): Promise<void> {
    const id = randomUUID();
    const reasons = overrideReason ? [...a.result.reasons, `Professional judgement set the level to ${level} (the rules gave ${a.result.level}).`] : a.result.reasons;
    await repo.insertRisk(tx, {
      id,
      caseId: row.id,
      level,
      scoredLevel: a.result.level,
      score: a.result.score,
      reasons,
      input: a.input,
      overrideReason: overrideReason ? sealer.sealWith(row, overrideReason, `case:${row.id}:risk:${id}`) : null,
      at: now,
      by: byOf(actor),
    });
  }

  return {
    /** Opens a case: person record sealed, first risk assessment, review and retention dates. */
    async create(actor: Actor, body: unknown): Promise<{ id: string; reference: string }> {
      access.require(actor, 'case:write');
      if (actor.kind !== 'staff') throw new ForbiddenError('case:write (staff only)');
      const input = parseOrThrow(caseForm, body);
      const bad = input.vulnerabilities.find((v) => !tickable.has(v));
      if (bad) throw new ValidationError([{ field: 'vulnerabilities', message: 'Choose vulnerabilities from the list' }]);
      const now = clock();
      if (input.dob && input.dob > isoDay(now)) throw new ValidationError([{ field: 'dob', message: 'Date of birth must be in the past' }]);
      const person: Person = { name: input.name, alias: input.alias, age: input.age ? Number(input.age) : null, dob: input.dob, notes: input.notes };
      const age = ageNow(person, now);
      if (age !== null && input.kind === 'child' && age >= 18) throw new ValidationError([{ field: 'kind', message: 'A child is under 18: choose adult, or check the age' }]);
      if (age !== null && input.kind === 'adult' && age < 18) throw new ValidationError([{ field: 'kind', message: 'An adult is 18 or over: choose child, or check the age' }]);
      const id = randomUUID();
      const reference = `C-${randomCrockford(4)}-${randomCrockford(4)}`;
      const rec = sealer.newRecord();
      return db.transaction(async (tx) => {
        await repo.insertCase(tx, {
          id,
          reference,
          ownerAgencyId: actor.agencyId,
          leadUserId: actor.userId,
          subjectKind: input.kind,
          kekId: rec.kekId,
          wrappedDek: rec.wrappedDek,
          person: rec.seal(JSON.stringify(person), `case:${id}:person`),
          vulnerabilities: input.vulnerabilities,
          homeArea: input.homeArea || null,
          places: splitList(input.places),
          lines: splitList(input.lines).map((l) => l.toLowerCase()),
          reviewOn: reviewFor('low', now),
          retentionReviewOn: isoDay(addDays(now, content.retention_days.case)),
          now,
        });
        const row = (await repo.findCase(tx, null, id, now))!;
        const a = assess(row, person, now, [], false, 0);
        await recordRisk(tx, actor, row, a, a.result.level, '', now);
        const level = a.result.level;
        await repo.updateCase(tx, id, 1, now, { riskLevel: level, riskReasons: a.result.reasons, lastRiskInput: a.input as unknown as Record<string, unknown>, reviewOn: reviewFor(level, now) });
        await repo.insertEvent(tx, { id: randomUUID(), caseId: id, kind: 'opened', occurredAt: now, detail: {}, body: null, at: now, by: actor.userId });
        await audit.record(tx, actor, { action: 'case.create', subjectType: 'case', subjectId: id, detail: { reference } });
        if (input.itemId) await deps.inbox.linkFromCase(tx, actor, input.itemId, id);
        return { id, reference };
      });
    },

    /** Cases the actor's agency owns or was shared; `mine` narrows to the actor's own. Audited. */
    async list(actor: Actor, o: { mine?: boolean } = {}): Promise<{ cases: CaseSummary[]; tasks: Task[] }> {
      access.require(actor, 'case:read');
      const now = clock();
      return db.transaction(async (tx) => {
        const mine = Boolean(o.mine) && actor.kind === 'staff';
        const rows = await repo.listCases(tx, { agencyId: scope(actor), now, leadUserId: mine && actor.kind === 'staff' ? actor.userId : null, mace: false, limit: 500 });
        const taskRows = mine && actor.kind === 'staff' ? await repo.tasksOfUser(tx, actor.userId) : [];
        const names = await namesOf(tx, [...rows.map((r) => r.lead_user_id ?? ''), ...taskRows.map((t) => t.owner_user_id ?? '')]);
        await audit.record(tx, actor, { action: 'case.list', subjectType: 'case', detail: { mine, count: rows.length } });
        return { cases: rows.map((r) => summary(r, now, names)), tasks: taskRows.map((t) => task(t, now, names)) };
      });
    },

    /** One case with its timeline, risk history and tasks; audited as case.view. */
    async get(actor: Actor, id: string): Promise<CaseDetail> {
      access.require(actor, 'case:read');
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await visibleCase(tx, actor, id, now);
        const [events, items, risks, tasks] = [await repo.listEvents(tx, row.id), await repo.linkedItems(tx, row.id), await repo.listRisk(tx, row.id), await repo.listTasks(tx, row.id)];
        const names = await namesOf(tx, [row.lead_user_id ?? '', ...events.map((e) => e.recorded_by), ...risks.map((r) => r.assessed_by), ...tasks.map((t) => t.owner_user_id ?? '')]);
        await audit.record(tx, actor, { action: 'case.view', subjectType: 'case', subjectId: row.id });
        const timeline = timelineOf(row, events, items, risks, names);
        return {
          case: summary(row, now, names),
          timeline,
          tasks: tasks.map((t) => task(t, now, names)),
          risk: timeline.filter((t): t is Extract<TimelineEntry, { kind: 'risk' }> => t.kind === 'risk'),
          canWrite: access.can(actor, 'case:write') && (actor.kind === 'system' || row.owner_agency_id === actor.agencyId),
        };
      });
    },

    /** People of the actor's agency (task owners) and agencies (sharing). */
    async options(actor: Actor): Promise<{ people: Array<{ id: string; name: string }>; agencies: Array<{ id: string; name: string }>; vulnerabilities: Array<{ id: string; label: string }>; areas: readonly string[] }> {
      access.require(actor, 'case:read');
      return {
        people: actor.kind === 'staff' ? await listPeople(db, actor.agencyId) : [],
        agencies: await listAgencies(db),
        vulnerabilities: rules.vulnerabilities.filter((v) => tickable.has(v.id)).map((v) => ({ id: v.id, label: v.label })),
        areas: content.areas,
      };
    },

    async addNote(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(noteForm, body);
      const now = clock();
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        await bump(tx, row, input.version, now);
        const eventId = randomUUID();
        await repo.insertEvent(tx, { id: eventId, caseId: row.id, kind: 'note', occurredAt: now, detail: {}, body: sealer.sealWith(row, input.note, `case:${row.id}:event:${eventId}`), at: now, by: byOf(actor) });
        await audit.record(tx, actor, { action: 'case.note', subjectType: 'case', subjectId: row.id, detail: { eventId } });
      });
    },

    /**
     * Records a missing episode and creates the return home interview task, due 72 hours after
     * the return (or after now, if they are still missing or came back today). Re-scores the risk
     * with the new 30-day count; the level is only ever raised automatically.
     */
    async addMissingEpisode(actor: Actor, id: string, body: unknown): Promise<{ taskId: string }> {
      const input = parseOrThrow(missingForm, body);
      const now = clock();
      if (input.wentMissing > isoDay(now)) throw new ValidationError([{ field: 'wentMissing', message: 'The date they went missing must be today or in the past' }]);
      if (input.returned && input.returned < input.wentMissing) throw new ValidationError([{ field: 'returned', message: 'The date they came back must be on or after the date they went missing' }]);
      if (input.returned && input.returned > isoDay(now)) throw new ValidationError([{ field: 'returned', message: 'The date they came back must be today or in the past' }]);
      return db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        const eventId = randomUUID();
        await repo.insertEvent(tx, {
          id: eventId,
          caseId: row.id,
          kind: 'missing_episode',
          occurredAt: dayStart(input.wentMissing),
          detail: { wentMissing: input.wentMissing, returned: input.returned || null, foundArea: input.foundArea || null },
          body: input.note ? sealer.sealWith(row, input.note, `case:${row.id}:event:${eventId}`) : null,
          at: now,
          by: byOf(actor),
        });
        const returnedAt = input.returned ? dayStart(input.returned) : now;
        const base = returnedAt.getTime() < now.getTime() ? returnedAt : now;
        const dueAt = addHours(base, content.return_home_interview_hours);
        const taskId = await addTask(tx, actor, row, { kind: 'return_home_interview', title: 'Offer a return home interview (independent, within 72 hours of the return)', ownerUserId: row.lead_user_id, dueAt }, now);
        // Re-score with the new missing count, keeping the last signs; raise only.
        const set: repo.CaseUpdate = {};
        const last = row.last_risk_input as unknown as ScreenInput | null;
        if (last) {
          const a = assess(row, personOf(row), now, last.signs, last.danger_now, await missingIn30Days(tx, row.id, now));
          if (rank(a.result.level) > rank(row.risk_level)) {
            await recordRisk(tx, actor, row, a, a.result.level, '', now);
            Object.assign(set, { riskLevel: a.result.level, riskReasons: a.result.reasons, lastRiskInput: a.input, reviewOn: reviewFor(a.result.level, now) });
          }
        }
        await bump(tx, row, input.version, now, set);
        await audit.record(tx, actor, { action: 'case.missing_episode', subjectType: 'case', subjectId: row.id, detail: { eventId, taskId, ...(set.riskLevel ? { riskLevel: set.riskLevel } : {}) } });
        return { taskId };
      });
    },

    async addArrest(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(arrestForm, body);
      const now = clock();
      if (input.date > isoDay(now)) throw new ValidationError([{ field: 'date', message: 'The date of the arrest must be today or in the past' }]);
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        await bump(tx, row, input.version, now);
        const eventId = randomUUID();
        await repo.insertEvent(tx, {
          id: eventId,
          caseId: row.id,
          kind: 'arrest_out_of_area',
          occurredAt: dayStart(input.date),
          detail: { date: input.date, area: input.area },
          body: input.note ? sealer.sealWith(row, input.note, `case:${row.id}:event:${eventId}`) : null,
          at: now,
          by: byOf(actor),
        });
        await audit.record(tx, actor, { action: 'case.arrest', subjectType: 'case', subjectId: row.id, detail: { eventId } });
      });
    },

    /** A new risk assessment with the checker's rules; an override needs a recorded reason. */
    async assessRisk(actor: Actor, id: string, body: Record<string, unknown>): Promise<{ level: Level }> {
      const input = parseOrThrow(riskForm, body);
      const signs = input.signs.map((code) => {
        const sev = input.strong.includes(code) ? 'high' : String(body[`severity-${code}`] ?? 'medium');
        return { code, severity: (SEVERITIES as readonly string[]).includes(sev) ? sev : 'medium' };
      }) as ScreenInput['signs'];
      if (input.override && !input.overrideReason) throw new ValidationError([{ field: 'overrideReason', message: 'Give the reason for your professional judgement' }]);
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        const a = assess(row, personOf(row), now, signs, input.dangerNow === 'yes', await missingIn30Days(tx, row.id, now));
        const level: Level = input.override ? input.override : a.result.level;
        await recordRisk(tx, actor, row, a, level, input.override ? input.overrideReason : '', now);
        await bump(tx, row, input.version, now, { riskLevel: level, riskReasons: a.result.reasons, lastRiskInput: a.input as unknown as Record<string, unknown>, reviewOn: reviewFor(level, now) });
        await audit.record(tx, actor, { action: 'case.risk', subjectType: 'case', subjectId: row.id, detail: { level, scored: a.result.level, override: Boolean(input.override) } });
        return { level };
      });
    },

    /**
     * Marks a potential victim of modern slavery and creates the NRM task. Children: no consent
     * needed. Adults: the basis (informed consent, or a Duty to Notify without it) is required.
     */
    async markPotentialVictim(actor: Actor, id: string, body: unknown): Promise<{ taskId: string; basis: NrmBasis }> {
      const input = parseOrThrow(potentialVictimForm, body);
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        let basis: NrmBasis;
        if (row.subject_kind === 'child') basis = 'child_no_consent';
        else if (input.basis === 'adult_consent' || input.basis === 'duty_to_notify') basis = input.basis;
        else throw new ValidationError([{ field: 'basis', message: 'Say whether the adult gave informed consent to an NRM referral, or a Duty to Notify will be made' }]);
        const title =
          basis === 'duty_to_notify'
            ? 'Submit a Duty to Notify (MS1) to the Home Office: the adult did not consent to an NRM referral'
            : basis === 'adult_consent'
              ? 'Make an NRM referral: the adult gave informed consent'
              : 'Make an NRM referral for this child (no consent needed)';
        await bump(tx, row, input.version, now, { potentialVictim: true, nrmBasis: basis });
        await repo.insertEvent(tx, { id: randomUUID(), caseId: row.id, kind: 'potential_victim', occurredAt: now, detail: { basis, label: NRM_LABELS[basis] }, body: null, at: now, by: byOf(actor) });
        const taskId = await addTask(tx, actor, row, { kind: 'nrm_referral', title, ownerUserId: row.lead_user_id, dueAt: addDays(now, content.nrm_task_days), nrmBasis: basis }, now);
        await audit.record(tx, actor, { action: 'case.potential_victim', subjectType: 'case', subjectId: row.id, detail: { basis, taskId } });
        return { taskId, basis };
      });
    },

    /** Changes the review date (it can be moved, never removed). */
    async setReview(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(reviewForm, body);
      const now = clock();
      if (input.reviewOn < isoDay(now)) throw new ValidationError([{ field: 'reviewOn', message: 'The review date must be today or in the future' }]);
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        await bump(tx, row, input.version, now, { reviewOn: input.reviewOn });
        await audit.record(tx, actor, { action: 'case.review_date', subjectType: 'case', subjectId: row.id, detail: { reviewOn: input.reviewOn } });
      });
    },

    async addTask(actor: Actor, id: string, body: unknown): Promise<{ taskId: string }> {
      const input = parseOrThrow(taskForm, body);
      const now = clock();
      if (input.dueOn < isoDay(now)) throw new ValidationError([{ field: 'dueOn', message: 'The due date must be today or in the future' }]);
      return db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        let owner: string | null = row.lead_user_id;
        if (input.ownerUserId) {
          const p = await findPerson(tx, input.ownerUserId);
          if (!p || p.agency_id !== row.owner_agency_id) throw new ValidationError([{ field: 'ownerUserId', message: 'Choose a person from your agency' }]);
          owner = p.id;
        }
        await bump(tx, row, input.version, now);
        // Due at the end of the chosen day.
        const taskId = await addTask(tx, actor, row, { kind: 'general', title: input.title, ownerUserId: owner, dueAt: addHours(dayStart(input.dueOn), 23.99) }, now);
        return { taskId };
      });
    },

    async completeTask(actor: Actor, caseId: string, taskId: string): Promise<void> {
      const now = clock();
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, caseId, now);
        const t = await repo.findTask(tx, row.id, taskId);
        if (!t) throw new NotFoundError('task', taskId);
        if (t.status === 'done') return;
        await repo.completeTask(tx, t.id, byOf(actor), now);
        await audit.record(tx, actor, { action: 'case.task.complete', subjectType: 'case', subjectId: row.id, detail: { taskId: t.id, kind: t.kind } });
      });
    },

    /** Shares the case with another agency (need-to-know, read only for them). */
    async share(actor: Actor, id: string, body: unknown): Promise<void> {
      const input = parseOrThrow(shareForm, body);
      const now = clock();
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        const agencies = await listAgencies(tx);
        if (!agencies.some((a) => a.id === input.agencyId) || input.agencyId === row.owner_agency_id) throw new ValidationError([{ field: 'agencyId', message: 'Choose another agency from the list' }]);
        await bump(tx, row, input.version, now);
        await repo.insertCaseShare(tx, row.id, input.agencyId, byOf(actor), now);
        await audit.record(tx, actor, { action: 'case.share', subjectType: 'case', subjectId: row.id, detail: { agencyId: input.agencyId } });
      });
    },

    /** Closing and reopening are changes of the case row, versioned like the others. */
    async setStatus(actor: Actor, id: string, body: unknown, status: 'open' | 'closed'): Promise<void> {
      const input = parseOrThrow(caseVersion, body);
      const now = clock();
      await db.transaction(async (tx) => {
        const row = await writable(tx, actor, id, now);
        await bump(tx, row, input.version, now);
        await tx.query('UPDATE triage_cases SET status = $2 WHERE id = $1', [row.id, status]);
        await audit.record(tx, actor, { action: status === 'closed' ? 'case.close' : 'case.reopen', subjectType: 'case', subjectId: row.id });
      });
    },

    /**
     * The MACE team view: open cases at high or emergency risk (or potential victims) with the
     * places and deal lines they share, so the meeting sees people, places and lines together.
     */
    async mace(actor: Actor): Promise<{ people: CaseSummary[]; places: Array<{ name: string; count: number; cases: string[] }>; lines: Array<{ name: string; count: number; cases: string[]; status: string | null }> }> {
      access.require(actor, 'case:read');
      const now = clock();
      return db.transaction(async (tx) => {
        const rows = await repo.listCases(tx, { agencyId: scope(actor), now, leadUserId: null, mace: true, limit: 500 });
        const names = await namesOf(tx, rows.map((r) => r.lead_user_id ?? ''));
        const people = rows.map((r) => summary(r, now, names));
        const tally = (pick: (c: CaseSummary) => string[]) => {
          const m = new Map<string, { name: string; count: number; cases: string[] }>();
          for (const c of people)
            for (const n of new Set(pick(c))) {
              const key = n.toLowerCase();
              const e = m.get(key) ?? { name: n, count: 0, cases: [] };
              e.count += 1;
              e.cases.push(c.reference);
              m.set(key, e);
            }
          return [...m.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
        };
        const places = tally((c) => [...(c.homeArea ? [c.homeArea] : []), ...c.places]);
        const lineTally = tally((c) => c.lines);
        // Status from the agency's own deal-line register (intel's table, read-only).
        const { rows: register } = await tx.query<{ brand: string; status: string }>('SELECT brand, status FROM deal_lines WHERE ($1::text IS NULL OR owner_agency_id = $1::text)', [scope(actor)]);
        const statusOf = new Map(register.map((r) => [r.brand, r.status]));
        await audit.record(tx, actor, { action: 'mace.view', subjectType: 'case', detail: { count: people.length } });
        return { people, places, lines: lineTally.map((l) => ({ ...l, status: statusOf.get(l.name) ?? null })) };
      });
    },

    /** Data for the case summary PDF; audited as case.export. */
    async exportSummary(actor: Actor, id: string): Promise<CaseDetail> {
      access.require(actor, 'case:export');
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await visibleCase(tx, actor, id, now);
        const [events, items, risks, tasks] = [await repo.listEvents(tx, row.id), await repo.linkedItems(tx, row.id), await repo.listRisk(tx, row.id), await repo.listTasks(tx, row.id)];
        const names = await namesOf(tx, [row.lead_user_id ?? '', ...events.map((e) => e.recorded_by), ...risks.map((r) => r.assessed_by), ...tasks.map((t) => t.owner_user_id ?? '')]);
        await audit.record(tx, actor, { action: 'case.export', subjectType: 'case', subjectId: row.id, detail: { format: 'pdf' } });
        const timeline = timelineOf(row, events, items, risks, names);
        return { case: summary(row, now, names), timeline, tasks: tasks.map((t) => task(t, now, names)), risk: timeline.filter((t): t is Extract<TimelineEntry, { kind: 'risk' }> => t.kind === 'risk'), canWrite: false };
      });
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
