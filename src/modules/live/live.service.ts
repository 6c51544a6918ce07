/**
 * Live awareness events: a facilitator runs a scenario deck, attendees answer on their phones with
 * no account, cookie or personal data, and only aggregate counts are kept.
 *
 * Privacy: an attendee is a random token in the URL. The token is never stored; the only thing
 * derived from it is a one-way hash of (session, token, question) kept to refuse a second vote,
 * and those hashes are deleted when the session ends or expires. Answers are stored only as
 * counts per question and option, so no attendee's answers can be read back.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { createKeyring, newDataKey, open, seal, unwrapDataKey } from '../../crypto/envelope.ts';
import { access, type Actor, type StaffActor } from '../../auth/access.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { isQuestion, loadDecks, optionsOf, type AnswerOption, type Deck, type QuestionSlide, type Slide } from './deck.ts';
import * as repo from './live.repository.ts';
import { CODE_ALPHABET, CODE_LENGTH, DISCLOSURE_MAX, isCode, normaliseCode, type ControlAction } from './live.schema.ts';
import { createLiveHub, type StreamCounts, type StreamState } from './sse.ts';
import { createVoteBatcher } from './vote-batcher.ts';

export type SessionStatus = 'live' | 'ended' | 'expired';

export interface LiveSession {
  id: string;
  code: string;
  deckId: string;
  deckTitle: string;
  agencyId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  slideIndex: number;
  locked: boolean;
  revealed: boolean;
  version: number;
  status: SessionStatus;
}

export interface OptionCount extends AnswerOption {
  votes: number;
  /** Whole-number share of the answers, for the bar chart. */
  pct: number;
}

export interface QuestionResult {
  slide: QuestionSlide;
  text: string;
  options: OptionCount[];
  total: number;
}

export interface ConfidenceSide {
  histogram: number[];
  responses: number;
  mean: number | null;
}

export interface ConfidenceResult {
  pair: string;
  question: string;
  before: ConfidenceSide;
  after: ConfidenceSide;
  /** after.mean - before.mean, when both were answered. */
  shift: number | null;
}

export interface LiveResults {
  session: LiveSession;
  deck: Deck;
  questions: QuestionResult[];
  confidence: ConfidenceResult[];
  disclosures: number;
}

export interface PresenterView {
  session: LiveSession;
  deck: Deck;
  slide: Slide;
  slideNumber: number;
  slideCount: number;
  question: QuestionResult | undefined;
  joinUrl: string;
  qrDataUrl: string;
  isLast: boolean;
}

export interface AttendeeView {
  session: LiveSession;
  deck: Deck;
  slide: Slide;
  options: AnswerOption[];
  hasVoted: boolean;
}

export type VoteRefusal = 'repeat' | 'locked' | 'moved_on' | 'ended' | 'invalid_option';
export type VoteResult = { ok: true; votes: number } | { ok: false; reason: VoteRefusal; message: string };

export interface Disclosure {
  id: string;
  source: 'live_event';
  sessionId: string;
  deckId: string;
  deckTitle: string;
  agencyId: string;
  createdAt: Date;
  text: string;
}

export interface LiveServiceOptions {
  deckDir?: string;
  /** Hours a join code stays valid (24 by default). */
  ttlHours?: number;
  /** Minimum interval between live updates per session (50 ms by default). */
  coalesceMs?: number;
}

const REFUSALS: Record<VoteRefusal, string> = {
  repeat: 'You have already answered this question. Wait for the next one.',
  locked: 'Voting on this question has closed.',
  moved_on: 'The presenter has moved on. Here is the current slide.',
  ended: 'This session has ended.',
  invalid_option: 'Select an answer',
};

/** One-way hash kept only to refuse a repeat vote (see the file comment). */
export function voteGuard(sessionId: string, token: string, questionId: string): string {
  return createHash('sha256').update(`live-vote\u0000${sessionId}\u0000${token}\u0000${questionId}`).digest('hex');
}


export function generateCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

function textOf(slide: QuestionSlide): string {
  return slide.kind === 'warning_sign' ? slide.statement : slide.question;
}

function side(counts: Map<string, number>): ConfidenceSide {
  const histogram = [1, 2, 3, 4, 5].map((k) => counts.get(String(k)) ?? 0);
  const responses = histogram.reduce((a, b) => a + b, 0);
  const mean = responses ? histogram.reduce((a, n, i) => a + n * (i + 1), 0) / responses : null;
  return { histogram, responses, mean };
}

function requireStaffActor(actor: Actor): StaffActor {
  if (actor.kind !== 'staff') throw new ForbiddenError('live:manage');
  return actor;
}

export function createLiveServices(platform: Platform, opts: LiveServiceOptions = {}) {
  const { db, clock, audit, events, config } = platform;
  const decks = loadDecks(opts.deckDir);
  const ttlMs = (opts.ttlHours ?? 24) * 3_600_000;
  const qrCache = new Map<string, string>();
  const keyring = createKeyring(config.masterKeys);

  function deckOf(row: repo.SessionRow): Deck {
    const deck = decks.get(row.deck_id);
    // A deck removed from content/ while a session used it: the session cannot be shown.
    if (!deck) throw new NotFoundError('live deck', row.deck_id);
    return deck;
  }

  function toSession(row: repo.SessionRow): LiveSession {
    const now = clock();
    return {
      id: row.id,
      code: row.code,
      deckId: row.deck_id,
      deckTitle: decks.get(row.deck_id)?.title ?? row.deck_id,
      agencyId: row.agency_id,
      createdBy: row.created_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      endedAt: row.ended_at,
      slideIndex: row.slide_index,
      locked: row.locked,
      revealed: row.revealed,
      version: row.version,
      status: row.ended_at ? 'ended' : row.expires_at.getTime() <= now.getTime() ? 'expired' : 'live',
    };
  }

  function slideAt(deck: Deck, index: number): Slide {
    const slide = deck.slides[Math.min(Math.max(index, 0), deck.slides.length - 1)];
    if (!slide) throw new NotFoundError('live slide', String(index));
    return slide;
  }

  function streamState(row: repo.SessionRow): StreamState {
    const deck = deckOf(row);
    const slide = slideAt(deck, row.slide_index);
    const s = toSession(row);
    return { sessionId: row.id, slideId: slide.id, slideIndex: row.slide_index, kind: slide.kind, locked: row.locked, revealed: row.revealed, ended: s.status !== 'live', version: row.version };
  }

  function tally(slide: QuestionSlide, rows: repo.CountRow[]): QuestionResult {
    const byOption = new Map(rows.filter((r) => r.question_id === slide.id).map((r) => [r.option_id, r.votes]));
    const base = optionsOf(slide);
    const total = base.reduce((a, o) => a + (byOption.get(o.id) ?? 0), 0);
    const options = base.map((o) => {
      const votes = byOption.get(o.id) ?? 0;
      return { ...o, votes, pct: total ? Math.round((votes * 100) / total) : 0 };
    });
    return { slide, text: textOf(slide), options, total };
  }

  async function loadCounts(sessionId: string, questionId: string): Promise<StreamCounts> {
    const rows = await repo.countsFor(db, sessionId, questionId);
    const counts: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      counts[r.option_id] = r.votes;
      total += r.votes;
    }
    return { questionId, counts, total };
  }

  const votes = createVoteBatcher({ db, events, clock });

  const hub = createLiveHub({
    events,
    logger: platform.logger,
    coalesceMs: opts.coalesceMs ?? 50,
    loadState: async (id) => {
      const row = await repo.findSession(db, id);
      return row && decks.has(row.deck_id) ? streamState(row) : undefined;
    },
    loadCounts,
    isQuestion: (s) => s.kind === 'multiple_choice' || s.kind === 'warning_sign' || s.kind === 'confidence',
  });

  // Repeat-vote hashes are only needed while a session can take votes.
  platform.jobs.register('live.purge-guards', async (payload) => {
    if (typeof payload.sessionId === 'string') await repo.deleteGuards(db, payload.sessionId);
  });

  /** Loads a session the actor may manage: 404 for another agency's. */
  async function manageable(actor: Actor, id: string): Promise<repo.SessionRow> {
    access.require(actor, 'live:manage');
    const row = await repo.findSession(db, id);
    access.requireVisible(actor, row ? { ownerAgencyId: row.agency_id } : undefined, 'live session', id);
    return row as repo.SessionRow;
  }

  // Votes resolve the code from a short-lived cache: only the session id, deck and expiry are used
  // from it, and everything that changes (slide, lock, ended) is checked in the vote transaction.
  const voteCodeCache = new Map<string, { row: repo.SessionRow; until: number }>();
  async function sessionForVote(code: string): Promise<repo.SessionRow> {
    const hit = voteCodeCache.get(code);
    const nowMs = clock().getTime();
    if (hit && hit.until > nowMs && hit.row.expires_at.getTime() > nowMs) return hit.row;
    const row = await openByCode(code);
    if (voteCodeCache.size > 10_000) voteCodeCache.clear();
    voteCodeCache.set(row.code, { row, until: nowMs + 2000 });
    return row;
  }

  /** A session attendees may use: unknown, malformed and expired codes are a field error on "code". */
  async function openByCode(rawCode: string): Promise<repo.SessionRow> {
    const code = normaliseCode(rawCode);
    if (!code) throw new ValidationError([{ field: 'code', message: 'Enter the code shown on the screen' }]);
    if (!isCode(code)) throw new ValidationError([{ field: 'code', message: `The code is ${CODE_LENGTH} letters and numbers, like K7PQ2M` }]);
    const row = await repo.findSessionByCode(db, code);
    if (!row || !decks.has(row.deck_id)) throw new ValidationError([{ field: 'code', message: 'There is no event with that code. Check the code on the screen' }]);
    if (row.expires_at.getTime() <= clock().getTime()) throw new ValidationError([{ field: 'code', message: 'That code has expired. Ask the presenter for the current code' }]);
    return row;
  }

  return {
    hub,

    /** The decks a facilitator can choose from. */
    decks(): Deck[] {
      return [...decks.values()];
    },

    /** Creates a session for the actor's agency with a fresh join code (audited). */
    async createSession(actor: Actor, input: { deckId: string }): Promise<LiveSession> {
      access.require(actor, 'live:manage');
      const staff = requireStaffActor(actor);
      const deck = decks.get(input.deckId);
      if (!deck) throw new ValidationError([{ field: 'deckId', message: 'Choose a scenario deck' }]);
      const now = clock();
      const expiresAt = new Date(now.getTime() + ttlMs);
      const id = randomUUID();
      const row = await db.transaction(async (tx) => {
        for (let attempt = 0; attempt < 10; attempt++) {
          const code = generateCode();
          await repo.releaseExpiredCode(tx, code, now);
          if (await repo.insertSession(tx, { id, code, deckId: deck.id, agencyId: staff.agencyId, createdBy: staff.userId, createdAt: now, expiresAt })) {
            await audit.record(tx, actor, { action: 'live.session.create', subjectType: 'live_session', subjectId: id, detail: { deckId: deck.id, code } });
            await platform.jobs.enqueue(tx, 'live.purge-guards', { sessionId: id }, { runAt: expiresAt });
            return repo.findSession(tx, id);
          }
        }
        throw new ConflictError('Could not find a free join code. Try again.');
      });
      if (!row) throw new NotFoundError('live session', id);
      return toSession(row);
    },

    /** The actor's agency's sessions, newest first. */
    async listSessions(actor: Actor): Promise<LiveSession[]> {
      access.require(actor, 'live:manage');
      const staff = requireStaffActor(actor);
      return (await repo.listSessionsForAgency(db, staff.agencyId, 100)).map(toSession);
    },

    async getSession(actor: Actor, id: string): Promise<LiveSession> {
      return toSession(await manageable(actor, id));
    },

    /** Everything the projector shows: the slide, live counts, join code and QR code. */
    async presenterView(actor: Actor, id: string): Promise<PresenterView> {
      const row = await manageable(actor, id);
      const deck = deckOf(row);
      const slide = slideAt(deck, row.slide_index);
      const joinUrl = `${config.baseUrl}/join?code=${row.code}`;
      let qrDataUrl = qrCache.get(row.id);
      if (!qrDataUrl) {
        qrDataUrl = await QRCode.toDataURL(joinUrl, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
        qrCache.set(row.id, qrDataUrl);
      }
      const question = isQuestion(slide) ? tally(slide, await repo.countsFor(db, row.id, slide.id)) : undefined;
      return {
        session: toSession(row),
        deck,
        slide,
        slideNumber: row.slide_index + 1,
        slideCount: deck.slides.length,
        question,
        joinUrl,
        qrDataUrl,
        isLast: row.slide_index >= deck.slides.length - 1,
      };
    },

    /** Moves the session on, reveals, locks or ends it; every instance's streams hear of it. */
    async control(actor: Actor, id: string, action: ControlAction): Promise<LiveSession> {
      const row = await manageable(actor, id);
      const session = toSession(row);
      if (session.status !== 'live') throw new ConflictError('This session has ended. Start a new session to present again.');
      const deck = deckOf(row);
      const last = deck.slides.length - 1;
      const updated = await db.transaction(async (tx) => {
        if (action === 'end') {
          await repo.endSession(tx, id, clock());
          // Votes are over: the repeat-vote hashes are no longer needed.
          await repo.deleteGuards(tx, id);
          await audit.record(tx, actor, { action: 'live.session.end', subjectType: 'live_session', subjectId: id });
        } else {
          let { slide_index: slideIndex, locked, revealed } = row;
          if (action === 'next' || action === 'previous' || action === 'signposting') {
            slideIndex =
              action === 'next' ? Math.min(slideIndex + 1, last) : action === 'previous' ? Math.max(slideIndex - 1, 0) : deck.slides.findIndex((s) => s.kind === 'signposting');
            locked = false;
            revealed = false;
          } else if (action === 'reveal') {
            // Showing the answer closes voting on the question.
            revealed = true;
            locked = true;
          } else if (action === 'lock') locked = true;
          else if (action === 'unlock') {
            locked = false;
            revealed = false;
          }
          await repo.updateState(tx, id, { slideIndex, locked, revealed });
        }
        await events.publish('live.state', { sessionId: id }, tx);
        return repo.findSession(tx, id);
      });
      if (!updated) throw new NotFoundError('live session', id);
      return toSession(updated);
    },

    /** Per-question counts and the confidence shift, for the campaigns role. */
    async results(actor: Actor, id: string): Promise<LiveResults> {
      const row = await manageable(actor, id);
      return buildResults(row, await repo.countsFor(db, id), await repo.countDisclosures(db, id));
    },

    /** The results as CSV (one row per question and option), audited as an export. */
    async exportCsv(actor: Actor, id: string): Promise<{ filename: string; csv: string }> {
      const row = await manageable(actor, id);
      const counts = await db.transaction(async (tx) => {
        await audit.record(tx, actor, { action: 'live.results.export', subjectType: 'live_session', subjectId: id, detail: { format: 'csv' } });
        return repo.countsFor(tx, id);
      });
      const results = buildResults(row, counts, 0);
      return { filename: `live-results-${row.code}-${row.created_at.toISOString().slice(0, 10)}.csv`, csv: resultsCsv(results) };
    },

    /** Checks a code typed on /join (or from the QR code); resolves to the normalised code. */
    async joinCode(rawCode: string): Promise<string> {
      const row = await openByCode(rawCode);
      // Attendees already in an ended session keep their page (its ending says where to report, and
      // a concern is still taken until the code expires); a new join is turned away.
      if (row.ended_at) throw new ValidationError([{ field: 'code', message: 'That event has ended. You can still tell us about a worry: use "Report a concern" on this site' }]);
      return row.code;
    },

    /** The attendee's page: the current slide and whether this attendee has answered it. */
    async attendeeView(code: string, token: string): Promise<AttendeeView> {
      const row = await openByCode(code);
      const deck = deckOf(row);
      const slide = slideAt(deck, row.slide_index);
      const options = isQuestion(slide) ? optionsOf(slide) : [];
      const hasVoted = isQuestion(slide) ? await repo.guardExists(db, row.id, voteGuard(row.id, token, slide.id)) : false;
      return { session: toSession(row), deck, slide, options, hasVoted };
    },

    /** Counts one answer, or says plainly why not (repeat, locked, moved on, ended, bad option). */
    async vote(code: string, token: string, input: { questionId: string; option?: string | undefined }): Promise<VoteResult> {
      const row = await sessionForVote(code);
      const deck = deckOf(row);
      const refuse = (reason: VoteRefusal): VoteResult => ({ ok: false, reason, message: REFUSALS[reason] });
      const index = deck.slides.findIndex((s) => s.id === input.questionId);
      const slide = deck.slides[index];
      if (!slide || !isQuestion(slide)) return refuse('moved_on');
      if (!input.option || !optionsOf(slide).some((o) => o.id === input.option)) return refuse('invalid_option');
      // Whether the question is current, open and unanswered by this attendee is decided in the
      // batch's transaction, against the state as it is then.
      const outcome = await votes.submit(row.id, { slideIndex: index, guard: voteGuard(row.id, token, slide.id), questionId: slide.id, optionId: input.option });
      return outcome.ok ? outcome : refuse(outcome.reason);
    },

    /**
     * A private "I'm worried about someone" message from an attendee, for the triage inbox of the
     * agency running the session. Nothing about the sender is stored.
     */
    async disclose(code: string, input: { concern: string }): Promise<void> {
      const row = await openByCode(code);
      const text = input.concern.trim();
      if (!text) throw new ValidationError([{ field: 'concern', message: 'Tell us what you are worried about' }]);
      if (text.length > DISCLOSURE_MAX) throw new ValidationError([{ field: 'concern', message: `Keep it under ${DISCLOSURE_MAX} characters` }]);
      const id = randomUUID();
      const key = newDataKey(keyring);
      // The disclosure and its intake job commit together: the triage inbox picks it up after commit.
      await db.transaction(async (tx) => {
        await repo.insertDisclosure(tx, {
          id,
          session_id: row.id,
          deck_id: row.deck_id,
          agency_id: row.agency_id,
          created_at: clock(),
          kek_id: key.kekId,
          wrapped_dek: key.wrappedDek,
          body_sealed: seal(key.dek, text, repo.disclosureAad(id)),
        });
        await platform.jobs.enqueue(tx, 'live.disclosure', { disclosureId: id });
      });
    },

    /** The session an attendee stream follows (404 for unknown or expired codes). */
    async attendeeStream(code: string): Promise<string> {
      try {
        return (await openByCode(code)).id;
      } catch (err) {
        if (err instanceof ValidationError) throw new NotFoundError('live session', code);
        throw err;
      }
    },

    /** The session a presenter stream follows, access-checked. */
    async presenterStream(actor: Actor, id: string): Promise<string> {
      return (await manageable(actor, id)).id;
    },

    /**
     * Disclosures made at live events, newest first, for the triage inbox: the actor's agency's
     * only (system actors see all). Every read is audited with the ids shown.
     */
    async listDisclosures(actor: Actor, opts: { sessionId?: string; limit?: number; offset?: number } = {}): Promise<Disclosure[]> {
      access.require(actor, 'report:read');
      const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
      const offset = Math.max(opts.offset ?? 0, 0);
      const rows = await db.transaction(async (tx) => {
        const found = await repo.listDisclosureRows(tx, { agencyId: actor.kind === 'staff' ? actor.agencyId : null, sessionId: opts.sessionId, limit, offset });
        await audit.record(tx, actor, {
          action: 'live.disclosure.view',
          subjectType: 'live_disclosure',
          ...(found.length === 1 && found[0] ? { subjectId: found[0].id } : {}),
          detail: { ids: found.map((r) => r.id), ...(opts.sessionId ? { sessionId: opts.sessionId } : {}) },
        });
        return found;
      });
      return rows.map((r) => ({
        id: r.id,
        source: r.source,
        sessionId: r.session_id,
        deckId: r.deck_id,
        deckTitle: decks.get(r.deck_id)?.title ?? r.deck_id,
        agencyId: r.agency_id,
        createdAt: r.created_at,
        text: open(unwrapDataKey(keyring, { kekId: r.kek_id, wrappedDek: r.wrapped_dek }), r.body_sealed, repo.disclosureAad(r.id)).toString('utf8'),
      }));
    },
  };

  function buildResults(row: repo.SessionRow, counts: repo.CountRow[], disclosures: number): LiveResults {
    const deck = deckOf(row);
    const questions = deck.slides.filter(isQuestion).map((s) => tally(s, counts));
    const confidence: ConfidenceResult[] = [];
    for (const s of deck.slides) {
      if (s.kind !== 'confidence' || s.phase !== 'before') continue;
      const after = deck.slides.find((x) => x.kind === 'confidence' && x.pair === s.pair && x.phase === 'after');
      if (!after || after.kind !== 'confidence') continue;
      const of = (qid: string) => new Map(counts.filter((c) => c.question_id === qid).map((c) => [c.option_id, c.votes]));
      const before = side(of(s.id));
      const afterSide = side(of(after.id));
      const shift = before.mean !== null && afterSide.mean !== null ? afterSide.mean - before.mean : null;
      confidence.push({ pair: s.pair, question: s.question, before, after: afterSide, shift });
    }
    return { session: toSession(row), deck, questions, confidence, disclosures };
  }
}

export type LiveService = ReturnType<typeof createLiveServices>;

/** Quotes a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsCsv(r: LiveResults): string {
  const header = ['session_code', 'deck_id', 'question_id', 'kind', 'confidence_pair', 'confidence_phase', 'question', 'option_id', 'option', 'correct', 'votes'];
  const lines = [header.join(',')];
  for (const q of r.questions) {
    const pair = q.slide.kind === 'confidence' ? q.slide.pair : null;
    const phase = q.slide.kind === 'confidence' ? q.slide.phase : null;
    for (const o of q.options) {
      lines.push(
        [r.session.code, r.deck.id, q.slide.id, q.slide.kind, pair, phase, q.text, o.id, o.text, q.slide.kind === 'confidence' ? null : o.correct, o.votes]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
