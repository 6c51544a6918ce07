/** SQL for live sessions. Every function takes the database or a transaction first and returns rows. */
import type { Queryable } from '../../db/database.ts';


/** Associated data binding a sealed disclosure to its row and field (live seals, triage opens). */
export const disclosureAad = (id: string): string => `live_disclosure:${id}:body`;

export interface SessionRow {
  id: string;
  code: string;
  deck_id: string;
  agency_id: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  slide_index: number;
  locked: boolean;
  revealed: boolean;
  version: number;
}

export interface CountRow {
  question_id: string;
  option_id: string;
  votes: number;
}

export interface DisclosureRow {
  id: string;
  source: 'live_event';
  session_id: string;
  deck_id: string;
  agency_id: string;
  created_at: Date;
  kek_id: string;
  wrapped_dek: Buffer;
  body_sealed: Buffer;
}

const SESSION_COLUMNS = 'id, code, deck_id, agency_id, created_by, created_at, expires_at, ended_at, slide_index, locked, revealed, version';

/** Ends any expired session still holding `code`, so the code can be used again. */
export async function releaseExpiredCode(db: Queryable, code: string, now: Date): Promise<void> {
  await db.query('UPDATE live_sessions SET ended_at = expires_at WHERE code = $1 AND ended_at IS NULL AND expires_at <= $2', [code, now]);
}

/** Inserts a session; resolves false when the code is taken by an open session. */
export async function insertSession(
  db: Queryable,
  s: { id: string; code: string; deckId: string; agencyId: string; createdBy: string; createdAt: Date; expiresAt: Date },
): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO live_sessions (id, code, deck_id, agency_id, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (code) WHERE ended_at IS NULL DO NOTHING`,
    [s.id, s.code, s.deckId, s.agencyId, s.createdBy, s.createdAt, s.expiresAt],
  );
  return res.rowCount === 1;
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM live_sessions WHERE id = $1`, [id]);
  return rows[0];
}

/** The newest session that used this code (ended ones included, so attendees see "ended"). */
export async function findSessionByCode(db: Queryable, code: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM live_sessions WHERE code = $1 ORDER BY created_at DESC LIMIT 1`, [code]);
  return rows[0];
}

export async function listSessionsForAgency(db: Queryable, agencyId: string, limit: number): Promise<SessionRow[]> {
  const { rows } = await db.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM live_sessions WHERE agency_id = $1 ORDER BY created_at DESC LIMIT $2`, [
    agencyId,
    limit,
  ]);
  return rows;
}

/** Moves the presenter state; every change bumps `version`. */
export async function updateState(db: Queryable, id: string, s: { slideIndex: number; locked: boolean; revealed: boolean }): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE live_sessions SET slide_index = $2, locked = $3, revealed = $4, version = version + 1
     WHERE id = $1 AND ended_at IS NULL RETURNING ${SESSION_COLUMNS}`,
    [id, s.slideIndex, s.locked, s.revealed],
  );
  return rows[0];
}

export async function endSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE live_sessions SET ended_at = $2, locked = true, version = version + 1 WHERE id = $1 AND ended_at IS NULL', [id, now]);
}

/**
 * Records repeat-vote guards; resolves to the ones that were new (the others already voted).
 * Duplicates within one call must be removed by the caller.
 */
export async function insertGuards(db: Queryable, sessionId: string, guards: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ guard: string }>(
    `INSERT INTO live_vote_guards (session_id, guard) SELECT $1, g FROM unnest($2::text[]) AS t(g)
     ON CONFLICT DO NOTHING RETURNING guard`,
    [sessionId, guards],
  );
  return new Set(rows.map((r) => r.guard));
}

/** Adds vote counts; resolves to each (question, option)'s new total keyed "question\0option". */
export async function addCounts(db: Queryable, sessionId: string, deltas: { questionId: string; optionId: string; n: number }[]): Promise<Map<string, number>> {
  const { rows } = await db.query<CountRow>(
    `INSERT INTO live_counts (session_id, question_id, option_id, votes)
     SELECT $1, q, o, n FROM unnest($2::text[], $3::text[], $4::int[]) AS t(q, o, n)
     ON CONFLICT (session_id, question_id, option_id) DO UPDATE SET votes = live_counts.votes + EXCLUDED.votes
     RETURNING question_id, option_id, votes`,
    [sessionId, deltas.map((d) => d.questionId), deltas.map((d) => d.optionId), deltas.map((d) => d.n)],
  );
  return new Map(rows.map((r) => [`${r.question_id}\u0000${r.option_id}`, r.votes]));
}

export async function guardExists(db: Queryable, sessionId: string, guard: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM live_vote_guards WHERE session_id = $1 AND guard = $2', [sessionId, guard]);
  return rows.length > 0;
}

export async function deleteGuards(db: Queryable, sessionId: string): Promise<number> {
  return (await db.query('DELETE FROM live_vote_guards WHERE session_id = $1', [sessionId])).rowCount;
}

export async function countsFor(db: Queryable, sessionId: string, questionId?: string): Promise<CountRow[]> {
  const { rows } = questionId
    ? await db.query<CountRow>('SELECT question_id, option_id, votes FROM live_counts WHERE session_id = $1 AND question_id = $2', [sessionId, questionId])
    : await db.query<CountRow>('SELECT question_id, option_id, votes FROM live_counts WHERE session_id = $1', [sessionId]);
  return rows;
}

export async function insertDisclosure(db: Queryable, d: Omit<DisclosureRow, 'source'>): Promise<void> {
  await db.query(
    `INSERT INTO live_disclosures (id, source, session_id, deck_id, agency_id, created_at, kek_id, wrapped_dek, body_sealed)
     VALUES ($1, 'live_event', $2, $3, $4, $5, $6, $7, $8)`,
    [d.id, d.session_id, d.deck_id, d.agency_id, d.created_at, d.kek_id, d.wrapped_dek, d.body_sealed],
  );
}

export async function listDisclosureRows(
  db: Queryable,
  f: { agencyId: string | null; sessionId?: string | undefined; limit: number; offset: number },
): Promise<DisclosureRow[]> {
  const { rows } = await db.query<DisclosureRow>(
    `SELECT id, source, session_id, deck_id, agency_id, created_at, kek_id, wrapped_dek, body_sealed FROM live_disclosures
     WHERE ($1::text IS NULL OR agency_id = $1) AND ($2::uuid IS NULL OR session_id = $2)
     ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
    [f.agencyId, f.sessionId ?? null, f.limit, f.offset],
  );
  return rows;
}

export async function countDisclosures(db: Queryable, sessionId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM live_disclosures WHERE session_id = $1', [sessionId]);
  return rows[0]?.n ?? 0;
}
