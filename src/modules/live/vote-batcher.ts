/**
 * Group commit for votes. A room of hundreds answering at once would otherwise be hundreds of
 * single-vote transactions all updating the same few counter rows. Votes for a session that
 * arrive while its previous batch is being written wait and go together in the next one: one
 * transaction checks the session state, records the repeat-vote guards, adds the counts and
 * notifies the other instances. Each vote's promise settles only after that commit, so an
 * accepted vote is durable (a restart never loses it) and a refused one says why.
 */
import type { Database } from '../../db/database.ts';
import type { EventBus } from '../../events.ts';
import * as repo from './live.repository.ts';

export type BatchRefusal = 'repeat' | 'locked' | 'moved_on' | 'ended';
export type BatchOutcome = { ok: true; votes: number } | { ok: false; reason: BatchRefusal };

export interface PendingVote {
  slideIndex: number;
  guard: string;
  questionId: string;
  optionId: string;
}

interface Waiting extends PendingVote {
  resolve(o: BatchOutcome): void;
  reject(err: unknown): void;
}

export interface VoteBatcher {
  submit(sessionId: string, vote: PendingVote): Promise<BatchOutcome>;
}

export function createVoteBatcher(deps: { db: Database; events: EventBus; clock: () => Date }): VoteBatcher {
  const queues = new Map<string, Waiting[]>();
  const busy = new Set<string>();

  async function write(sessionId: string, batch: Waiting[]): Promise<Map<Waiting, BatchOutcome>> {
    return deps.db.transaction(async (tx) => {
      const out = new Map<Waiting, BatchOutcome>();
      const s = await repo.findSession(tx, sessionId);
      const now = deps.clock();
      const open = s && !s.ended_at && s.expires_at.getTime() > now.getTime();
      const eligible: Waiting[] = [];
      const seen = new Set<string>();
      for (const v of batch) {
        if (!s || !open) out.set(v, { ok: false, reason: 'ended' });
        else if (v.slideIndex !== s.slide_index) out.set(v, { ok: false, reason: 'moved_on' });
        else if (s.locked) out.set(v, { ok: false, reason: 'locked' });
        else if (seen.has(v.guard)) out.set(v, { ok: false, reason: 'repeat' });
        else {
          seen.add(v.guard);
          eligible.push(v);
        }
      }
      if (!eligible.length) return out;
      const fresh = await repo.insertGuards(
        tx,
        sessionId,
        eligible.map((v) => v.guard),
      );
      const accepted = eligible.filter((v) => fresh.has(v.guard));
      for (const v of eligible) if (!fresh.has(v.guard)) out.set(v, { ok: false, reason: 'repeat' });
      if (!accepted.length) return out;
      const deltas = new Map<string, { questionId: string; optionId: string; n: number }>();
      for (const v of accepted) {
        const key = `${v.questionId}\u0000${v.optionId}`;
        const d = deltas.get(key) ?? { questionId: v.questionId, optionId: v.optionId, n: 0 };
        d.n += 1;
        deltas.set(key, d);
      }
      const totals = await repo.addCounts(tx, sessionId, [...deltas.values()]);
      for (const v of accepted) out.set(v, { ok: true, votes: totals.get(`${v.questionId}\u0000${v.optionId}`) ?? 0 });
      // Delivered on commit; one notice per question however many votes the batch held.
      for (const q of new Set(accepted.map((v) => v.questionId))) await deps.events.publish('live.vote', { sessionId, questionId: q }, tx);
      return out;
    });
  }

  async function pump(sessionId: string): Promise<void> {
    busy.add(sessionId);
    try {
      for (;;) {
        const batch = queues.get(sessionId);
        if (!batch?.length) break;
        queues.delete(sessionId);
        try {
          const outcomes = await write(sessionId, batch);
          for (const v of batch) v.resolve(outcomes.get(v) ?? { ok: false, reason: 'ended' });
        } catch (err) {
          for (const v of batch) v.reject(err);
        }
      }
    } finally {
      busy.delete(sessionId);
    }
  }

  return {
    submit(sessionId, vote) {
      return new Promise<BatchOutcome>((resolve, reject) => {
        const q = queues.get(sessionId);
        if (q) q.push({ ...vote, resolve, reject });
        else queues.set(sessionId, [{ ...vote, resolve, reject }]);
        if (!busy.has(sessionId)) void pump(sessionId);
      });
    },
  };
}
