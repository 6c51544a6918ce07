/**
 * Loads a simulated world's streams into the database through the real services, so demo and
 * load data are stored exactly as live data is (sealed, tokenised, queued for triage and intel):
 * reports through reporting's trusted import (no proof of work, the simulated time kept),
 * checker referrals through triage, and staff notes onto triage cases. The world records
 * themselves (the answers) are not loaded: the product must find them, and
 * `lookout bench intel --truth` measures how well it does.
 *
 * Staff notes: the product keeps staff notes only on a case's timeline (triage cases.addNote,
 * sealed with the case key); inbox items have no notes and intel has no store for free-standing
 * notes. So a note about a person (return home interview, BTP stop, arrest, a MACE discussion of a
 * cuckooed resident's home) goes on that person's case, opened by the loader on the first note
 * about them (one case per subject name). Notes about no person (an analyst's follow-up of a
 * report, number-change intelligence, routine meetings) have no place in the product yet and are
 * counted as `notesWithoutCase`, not stored. Cases stamp notes with the service clock, so a note
 * shows when it was loaded; its simulated time is kept in the note's first line.
 */
import { randomUUID } from 'node:crypto';
import type { StaffActor } from '../../auth/access.ts';
import type { Services } from '../../container.ts';
import { emptyContent } from '../reporting/reports.schema.ts';
import { parseScreenInput } from '../screening/screen.schema.ts';
import { score } from '../screening/scoring.ts';
import type { NoteRecord, SimBatch } from './types.ts';

export interface LoadCounts {
  reports: number;
  referrals: number;
  skipped: number;
  /** Notes stored on a case timeline. */
  notes: number;
  /** Cases the loader opened for the people notes are about. */
  cases: number;
  /** Notes about no person: the product has nowhere to keep them (see above). */
  notesWithoutCase: number;
}

export interface LoadOptions {
  concurrency?: number;
  onProgress?: (n: number) => void;
  /** Who writes the notes and opens the cases (default: a "Simulation loader" case worker of the receiving agency). */
  noteAuthor?: StaffActor;
}

/** The staff identity notes are loaded under: a case worker of the agency that receives reports. */
export function simulationCaseworker(agencyId: string): StaffActor {
  return { kind: 'staff', userId: 'simulation-loader', name: 'Simulation loader', email: 'simulation-loader@lookout.invalid', agencyId, roles: ['caseworker'], correlationId: randomUUID() };
}

const AUTHOR_LABEL: Readonly<Record<NoteRecord['author_role'], string>> = {
  analyst: 'Analyst',
  police_officer: 'Police officer',
  social_worker: 'Social worker',
  youth_worker: 'Youth worker',
  btp_officer: 'BTP officer',
};

export interface StreamLoader {
  readonly counts: LoadCounts;
  /** Loads every report, referral and note in the batches; resolves when all are stored. */
  load(batches: Iterable<SimBatch>): Promise<void>;
}

/**
 * A loader that keeps its cases between calls, so a world can be fed a day at a time (the truth
 * evaluator drains jobs between days). `onLoaded` hears each simulated id with the product's id.
 */
export async function createStreamLoader(
  services: Services,
  o: LoadOptions & { onLoaded?: (simId: string, kind: 'report' | 'referral', productId: string) => void } = {},
): Promise<StreamLoader> {
  const counts: LoadCounts = { reports: 0, referrals: 0, skipped: 0, notes: 0, cases: 0, notesWithoutCase: 0 };
  const rules = services.awareness.content.screening;
  const owner = await services.reporting.resolveReceivingAgency();
  const author = o.noteAuthor ?? simulationCaseworker(owner);
  // One case per subject; notes on the same case are chained (each bumps the case's version).
  const cases = new Map<string, Promise<{ id: string; version: number }>>();
  const addNote = (n: NoteRecord, subject: { name: string; age: number }): Promise<void> => {
    const key = subject.name.toLowerCase();
    const prev =
      cases.get(key) ??
      (async () => {
        const opened = await services.triage.cases.create(author, { name: subject.name, kind: subject.age < 18 ? 'child' : 'adult', age: String(subject.age) });
        counts.cases += 1;
        const detail = await services.triage.cases.get(author, opened.id);
        return { id: opened.id, version: detail.case.version };
      })();
    const next = prev.then(async (c) => {
      const note = `${AUTHOR_LABEL[n.author_role]}, ${n.at.slice(0, 16).replace('T', ' ')}: ${n.text}`.slice(0, 5000);
      await services.triage.cases.addNote(author, c.id, { version: c.version, note });
      counts.notes += 1;
      return { id: c.id, version: c.version + 1 };
    });
    cases.set(key, next);
    return next.then(() => undefined);
  };
  const limit = Math.max(1, o.concurrency ?? 8);

  async function load(batches: Iterable<SimBatch>): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const run = async (p: Promise<void>) => {
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    };
    for (const batch of batches) {
      for (const r of batch.records) {
        if (r.kind === 'report') {
          await run(
            services.reporting.submit({ ...emptyContent(), narrative: r.text.slice(0, 10_000) }, { channel: 'api', imported: { receivedAt: new Date(r.at) } }).then((done) => {
              counts.reports += 1;
              o.onLoaded?.(r.id, 'report', done.id);
              o.onProgress?.(counts.reports + counts.referrals);
            }),
          );
        } else if (r.kind === 'referral') {
          let input;
          try {
            input = parseScreenInput({ subject: r.subject, signs: r.signs, missing_episodes_30d: r.missing_episodes_30d, danger_now: r.danger_now }, rules);
          } catch {
            counts.skipped += 1;
            continue;
          }
          const result = score(input, rules);
          await run(
            services.triage.submitReferral(undefined, { input, result, referrer: { organisation: r.referrer.replace(/_/g, ' '), notes: r.summary }, ownerAgencyId: owner }).then((done) => {
              counts.referrals += 1;
              o.onLoaded?.(r.id, 'referral', done.id);
            }),
          );
        } else if (r.kind === 'note') {
          if (!r.subject) {
            counts.notesWithoutCase += 1;
            continue;
          }
          await run(addNote(r, r.subject));
        }
      }
    }
    await Promise.all(inFlight);
  }
  return { counts, load };
}

/** Loads every report, referral and note in the batches, `concurrency` at a time. */
export async function loadStreams(services: Services, batches: Iterable<SimBatch>, o: LoadOptions = {}): Promise<LoadCounts> {
  const loader = await createStreamLoader(services, o);
  await loader.load(batches);
  return loader.counts;
}
