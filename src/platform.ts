/** The shared platform every module is built from: config, database, logging, audit, jobs, events. */
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';
import type { Audit } from './audit/audit.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { EventBus } from './events.ts';
import type { RateLimiter } from './http/security.ts';
import type { Mailer } from './mail.ts';

export interface Platform {
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  /** The clock: services never call Date.now() directly, so tests can move time. */
  readonly clock: () => Date;
  readonly audit: Audit;
  readonly jobs: Jobs;
  readonly events: EventBus;
  /** Shared in-memory, IP-free rate limiter (see src/http/security.ts). */
  readonly rateLimiter: RateLimiter;
  /** Outgoing email (src/mail.ts); `enabled` is false when SMTP_URL is not set. */
  readonly mailer: Mailer;
}
