/** Builds the triage services for the container (`services.triage`): inbox, cases, retention, overdue job. */
import { fileURLToPath } from 'node:url';
import type { Platform } from '../../platform.ts';
import type { Content } from '../awareness/content.schema.ts';
import type { ReportingService } from '../reporting/reports.service.ts';
import { createTokenHasher } from '../reporting/search-tokens.ts';
import { createCasesService } from './cases.service.ts';
import { createInboxService } from './inbox.service.ts';
import { createRetentionService } from './retention.ts';
import { createSealer } from './sealing.ts';
import { registerOverdueJob, sweepOverdue } from './tasks.ts';
import { loadTriageContent, type TriageContent } from './triage.schema.ts';

export const DEFAULT_TRIAGE_CONTENT = fileURLToPath(new URL('../../../content/triage.yaml', import.meta.url));

export interface TriageOptions {
  /** Overrides content/triage.yaml (tests). */
  content?: TriageContent;
}

export function createTriageServices(platform: Platform, deps: { reporting: ReportingService; awareness: { content: Content } }, opts: TriageOptions = {}) {
  let content: TriageContent;
  try {
    content = opts.content ?? loadTriageContent(DEFAULT_TRIAGE_CONTENT);
  } catch (err) {
    platform.logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'content/triage.yaml is invalid; fix it before starting');
    throw err;
  }
  const sealer = createSealer(platform.config.masterKeys);
  // Reporting's keyed hash: one token space, so a search finds reports, referrals and sanitised text alike.
  const hashToken = createTokenHasher(platform.config.sessionSecret);
  const inbox = createInboxService(platform, { content, sealer, hashToken, reporting: deps.reporting });
  const cases = createCasesService(platform, { content, rules: deps.awareness.content.screening, sealer, inbox });
  const retention = createRetentionService(platform, { content });
  registerOverdueJob(platform);
  const indicators = deps.awareness.content.indicators.map((i) => ({ code: i.code, title: i.title }));
  return {
    content,
    indicators,
    inbox,
    cases,
    retention,
    /** See inbox.intake: the composition root wires reports, referrals and disclosures here. */
    intake: inbox.intake,
    /** See inbox.submitReferral. */
    submitReferral: inbox.submitReferral,
    /** One overdue sweep now (the job runs it every few minutes). */
    sweepOverdue: () => sweepOverdue(platform),
  };
}

export type TriageServices = ReturnType<typeof createTriageServices>;
