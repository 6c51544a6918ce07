/** SQL for cases, their risk history, timeline events and tasks. Returns rows; the service maps them. */
import type { Queryable } from '../../db/database.ts';
import { isUuid } from './inbox.repository.ts';

export interface CaseRow {
  id: string;
  reference: string;
  owner_agency_id: string;
  lead_user_id: string | null;
  status: 'open' | 'closed';
  subject_kind: 'child' | 'adult';
  kek_id: string;
  wrapped_dek: Buffer;
  person: Buffer;
  vulnerabilities: string[];
  home_area: string | null;
  places: string[];
  lines: string[];
  risk_level: 'low' | 'medium' | 'high' | 'emergency';
  risk_reasons: string[];
  last_risk_input: Record<string, unknown> | null;
  potential_victim: boolean;
  nrm_basis: string | null;
  review_on: string;
  retention_review_on: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  shared_with: string[];
  open_tasks: number;
  overdue_tasks: number;
}

// $1: the viewing agency, null for the system; $2: now (for overdue counts).
const CASE_COLUMNS = `k.*,
  ARRAY(SELECT s.agency_id FROM triage_case_shares s WHERE s.case_id = k.id ORDER BY s.agency_id) AS shared_with,
  (SELECT count(*) FROM triage_tasks t WHERE t.case_id = k.id AND t.status = 'open')::int8 AS open_tasks,
  (SELECT count(*) FROM triage_tasks t WHERE t.case_id = k.id AND t.status = 'open' AND t.due_at < $2::timestamptz)::int8 AS overdue_tasks`;
const VISIBLE = `($1::text IS NULL OR k.owner_agency_id = $1::text OR EXISTS (SELECT 1 FROM triage_case_shares s WHERE s.case_id = k.id AND s.agency_id = $1::text))`;

export interface NewCaseRow {
  id: string;
  reference: string;
  ownerAgencyId: string;
  leadUserId: string | null;
  subjectKind: string;
  kekId: string;
  wrappedDek: Buffer;
  person: Buffer;
  vulnerabilities: string[];
  homeArea: string | null;
  places: string[];
  lines: string[];
  reviewOn: string;
  retentionReviewOn: string;
  now: Date;
}

export async function insertCase(tx: Queryable, c: NewCaseRow): Promise<void> {
  await tx.query(
    `INSERT INTO triage_cases (id, reference, owner_agency_id, lead_user_id, subject_kind, kek_id, wrapped_dek, person, vulnerabilities, home_area, places, lines,
                               review_on, retention_review_on, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11::text[], $12::text[], $13, $14, $15, $15)`,
    [c.id, c.reference, c.ownerAgencyId, c.leadUserId, c.subjectKind, c.kekId, c.wrappedDek, c.person, c.vulnerabilities, c.homeArea, c.places, c.lines, c.reviewOn, c.retentionReviewOn, c.now],
  );
}

export async function findCase(db: Queryable, agencyId: string | null, id: string, now: Date): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM triage_cases k WHERE k.id = $3 AND ${VISIBLE}`, [agencyId, now, id]);
  return rows[0];
}

export async function findCaseByReference(db: Queryable, agencyId: string | null, reference: string, now: Date): Promise<CaseRow | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM triage_cases k WHERE k.reference = $3 AND ${VISIBLE}`, [agencyId, now, reference.toUpperCase()]);
  return rows[0];
}

/** Visible cases; `leadUserId` narrows to one case worker's list; `mace` to open cases at high or emergency risk. */
export async function listCases(db: Queryable, q: { agencyId: string | null; now: Date; leadUserId: string | null; mace: boolean; limit: number }): Promise<CaseRow[]> {
  const { rows } = await db.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM triage_cases k
     WHERE ${VISIBLE} AND ($3::text IS NULL OR k.lead_user_id = $3::text)
       AND (NOT $4::boolean OR (k.status = 'open' AND (k.risk_level IN ('high', 'emergency') OR k.potential_victim)))
     ORDER BY (k.status = 'closed'), CASE k.risk_level WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, k.review_on, k.reference
     LIMIT $5`,
    [q.agencyId, q.now, q.leadUserId, q.mace, q.limit],
  );
  return rows;
}

export interface CaseUpdate {
  riskLevel?: string;
  riskReasons?: string[];
  lastRiskInput?: Record<string, unknown>;
  potentialVictim?: boolean;
  nrmBasis?: string;
  reviewOn?: string;
}

/** Applies an update only at the expected version; false when someone else changed the case. */
export async function updateCase(tx: Queryable, id: string, version: number, now: Date, set: CaseUpdate): Promise<boolean> {
  const res = await tx.query(
    `UPDATE triage_cases SET
       risk_level = COALESCE($4, risk_level),
       risk_reasons = COALESCE($5::jsonb, risk_reasons),
       last_risk_input = COALESCE($6::jsonb, last_risk_input),
       potential_victim = COALESCE($7, potential_victim),
       nrm_basis = COALESCE($8, nrm_basis),
       review_on = COALESCE($9::date, review_on),
       version = version + 1, updated_at = $3
     WHERE id = $1 AND version = $2`,
    [
      id,
      version,
      now,
      set.riskLevel ?? null,
      set.riskReasons ? JSON.stringify(set.riskReasons) : null,
      set.lastRiskInput ? JSON.stringify(set.lastRiskInput) : null,
      set.potentialVictim ?? null,
      set.nrmBasis ?? null,
      set.reviewOn ?? null,
    ],
  );
  return res.rowCount === 1;
}

export async function insertCaseShare(tx: Queryable, caseId: string, agencyId: string, by: string, now: Date): Promise<void> {
  await tx.query('INSERT INTO triage_case_shares (case_id, agency_id, shared_at, shared_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [caseId, agencyId, now, by]);
}

// ---- risk history ----------------------------------------------------------------------------

export interface RiskRow {
  id: string;
  level: string;
  scored_level: string;
  score: number;
  reasons: string[];
  input: Record<string, unknown>;
  override_reason: Buffer | null;
  assessed_at: Date;
  assessed_by: string;
}

export async function insertRisk(
  tx: Queryable,
  r: { id: string; caseId: string; level: string; scoredLevel: string; score: number; reasons: string[]; input: unknown; overrideReason: Buffer | null; at: Date; by: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO triage_case_risk (id, case_id, level, scored_level, score, reasons, input, override_reason, assessed_at, assessed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [r.id, r.caseId, r.level, r.scoredLevel, r.score, JSON.stringify(r.reasons), JSON.stringify(r.input), r.overrideReason, r.at, r.by],
  );
}

export async function listRisk(db: Queryable, caseId: string): Promise<RiskRow[]> {
  const { rows } = await db.query<RiskRow>('SELECT * FROM triage_case_risk WHERE case_id = $1 ORDER BY assessed_at DESC, id', [caseId]);
  return rows;
}

// ---- timeline events -------------------------------------------------------------------------

export interface EventRow {
  id: string;
  case_id: string;
  kind: 'note' | 'missing_episode' | 'arrest_out_of_area' | 'potential_victim' | 'opened';
  occurred_at: Date;
  detail: Record<string, unknown>;
  body: Buffer | null;
  recorded_at: Date;
  recorded_by: string;
}

export async function insertEvent(
  tx: Queryable,
  e: { id: string; caseId: string; kind: EventRow['kind']; occurredAt: Date; detail: Record<string, unknown>; body: Buffer | null; at: Date; by: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO triage_case_events (id, case_id, kind, occurred_at, detail, body, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.id, e.caseId, e.kind, e.occurredAt, JSON.stringify(e.detail), e.body, e.at, e.by],
  );
}

export async function listEvents(db: Queryable, caseId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>('SELECT * FROM triage_case_events WHERE case_id = $1 ORDER BY occurred_at DESC, recorded_at DESC', [caseId]);
  return rows;
}

export async function countMissingSince(db: Queryable, caseId: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM triage_case_events WHERE case_id = $1 AND kind = 'missing_episode' AND occurred_at >= $2`, [caseId, since]);
  return rows[0]?.n ?? 0;
}

/** Items linked to a case (for the timeline). */
export async function linkedItems(db: Queryable, caseId: string): Promise<Array<{ id: string; reference: string; source_type: string; received_at: Date; urgency: string; status: string }>> {
  const { rows } = await db.query<{ id: string; reference: string; source_type: string; received_at: Date; urgency: string; status: string }>(
    'SELECT id, reference, source_type, received_at, urgency, status FROM triage_items WHERE case_id = $1 ORDER BY received_at DESC',
    [caseId],
  );
  return rows;
}

// ---- tasks -----------------------------------------------------------------------------------

export interface TaskRow {
  id: string;
  case_id: string | null;
  case_reference: string | null;
  kind: 'return_home_interview' | 'nrm_referral' | 'review' | 'general';
  title: string;
  owner_agency_id: string;
  owner_user_id: string | null;
  due_at: Date;
  status: 'open' | 'done';
  nrm_basis: string | null;
  completed_at: Date | null;
  completed_by: string | null;
  created_at: Date;
}

export async function insertTask(
  tx: Queryable,
  t: { id: string; caseId: string | null; kind: TaskRow['kind']; title: string; ownerAgencyId: string; ownerUserId: string | null; dueAt: Date; nrmBasis: string | null; at: Date; by: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO triage_tasks (id, case_id, kind, title, owner_agency_id, owner_user_id, due_at, nrm_basis, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [t.id, t.caseId, t.kind, t.title, t.ownerAgencyId, t.ownerUserId, t.dueAt, t.nrmBasis, t.at, t.by],
  );
}

const TASK_COLUMNS = 't.*, k.reference AS case_reference';

export async function listTasks(db: Queryable, caseId: string): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM triage_tasks t LEFT JOIN triage_cases k ON k.id = t.case_id WHERE t.case_id = $1 ORDER BY (t.status = 'done'), t.due_at`,
    [caseId],
  );
  return rows;
}

export async function findTask(db: Queryable, caseId: string, taskId: string): Promise<TaskRow | undefined> {
  if (!isUuid(taskId)) return undefined;
  const { rows } = await db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM triage_tasks t LEFT JOIN triage_cases k ON k.id = t.case_id WHERE t.case_id = $1 AND t.id = $2`, [caseId, taskId]);
  return rows[0];
}

export async function completeTask(tx: Queryable, taskId: string, by: string, now: Date): Promise<boolean> {
  const res = await tx.query(`UPDATE triage_tasks SET status = 'done', completed_at = $2, completed_by = $3 WHERE id = $1 AND status = 'open'`, [taskId, now, by]);
  return res.rowCount === 1;
}

/** Open tasks owned by a user, for "my cases". */
export async function tasksOfUser(db: Queryable, userId: string): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM triage_tasks t LEFT JOIN triage_cases k ON k.id = t.case_id WHERE t.owner_user_id = $1 AND t.status = 'open' ORDER BY t.due_at LIMIT 200`,
    [userId],
  );
  return rows;
}

export async function overdueTasks(db: Queryable, now: Date, limit: number): Promise<Array<{ id: string; case_id: string | null; case_reference: string | null; title: string; owner_agency_id: string; owner_user_id: string | null; due_at: Date }>> {
  const { rows } = await db.query<{ id: string; case_id: string | null; case_reference: string | null; title: string; owner_agency_id: string; owner_user_id: string | null; due_at: Date }>(
    `SELECT t.id, t.case_id, k.reference AS case_reference, t.title, t.owner_agency_id, t.owner_user_id, t.due_at FROM triage_tasks t LEFT JOIN triage_cases k ON k.id = t.case_id
     WHERE t.status = 'open' AND t.due_at < $1 AND t.overdue_notified_at IS NULL ORDER BY t.due_at LIMIT $2`,
    [now, limit],
  );
  return rows;
}

export async function markTaskNotified(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query('UPDATE triage_tasks SET overdue_notified_at = $2 WHERE id = $1', [id, now]);
}
