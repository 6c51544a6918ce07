/**
 * Loads a simulated world's streams into the database through the real services, so demo and
 * load data are stored exactly as live data is (sealed, tokenised, queued for triage and intel):
 * reports through reporting's trusted import (no proof of work, the simulated time kept) and
 * checker referrals through triage. The world records themselves (the answers) are not loaded:
 * the product must find them, and `lookout bench intel --truth` measures how well it does.
 */
import type { Services } from '../../container.ts';
import { emptyContent } from '../reporting/reports.schema.ts';
import { parseScreenInput } from '../screening/screen.schema.ts';
import { score } from '../screening/scoring.ts';
import type { SimBatch } from './types.ts';

export interface LoadCounts {
  reports: number;
  referrals: number;
  skipped: number;
}

/** Loads every report and referral in the batches, `concurrency` at a time. */
export async function loadStreams(services: Services, batches: Iterable<SimBatch>, o: { concurrency?: number; onProgress?: (n: number) => void } = {}): Promise<LoadCounts> {
  const counts: LoadCounts = { reports: 0, referrals: 0, skipped: 0 };
  const rules = services.awareness.content.screening;
  const owner = await services.reporting.resolveReceivingAgency();
  const limit = Math.max(1, o.concurrency ?? 8);
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
          services.reporting.submit({ ...emptyContent(), narrative: r.text.slice(0, 10_000) }, { channel: 'api', imported: { receivedAt: new Date(r.at) } }).then(() => {
            counts.reports += 1;
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
          services.triage.submitReferral(undefined, { input, result, referrer: { organisation: r.referrer.replace(/_/g, ' '), notes: r.summary }, ownerAgencyId: owner }).then(() => {
            counts.referrals += 1;
          }),
        );
      }
    }
  }
  await Promise.all(inFlight);
  return counts;
}
