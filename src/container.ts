/**
 * The one composition root: db -> platform -> module services. Nothing opens a connection or
 * reads process.env at import time; `createContainer` is the only place that does.
 */
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { createAudit } from './audit/audit.ts';
import { createJobs } from './jobs/jobs.ts';
import { createEventBus } from './events.ts';
import { createRateLimiter } from './http/security.ts';
import { createMailer } from './mail.ts';
import type { Platform } from './platform.ts';
import { createIntelServices } from './modules/intel/intel.service.ts';
import { createLiveServices } from './modules/live/live.service.ts';
import { createAuthServices } from './auth/auth.module.ts';
import { createAwarenessServices } from './modules/awareness/awareness.service.ts';
import { createReportingServices } from './modules/reporting/reports.service.ts';
import { createTriageServices } from './modules/triage/triage.module.ts';
import { wireIntake } from './intake.ts';

/** Builds every module's services from the platform. Order matters: later modules use earlier ones. */
// Each module adds one line below its marker (keep the markers: several people edit this).
export function createServices(platform: Platform) {
  const auth = createAuthServices(platform);
  // [modules:auth]
  const awareness = createAwarenessServices(platform);
  // [modules:awareness]
  const reporting = createReportingServices(platform);
  // [modules:reporting]
  const triage = createTriageServices(platform, { reporting, awareness });
  // [modules:triage]
  const intel = createIntelServices(platform);
  // [modules:intel]
  const live = createLiveServices(platform);
  // [modules:live]
  wireIntake(platform, { reporting, triage, intel });
  return {
    auth,
    // [services:auth]
    awareness,
    // [services:awareness]
    reporting,
    // [services:reporting]
    triage,
    // [services:triage]
    intel,
    // [services:intel]
    live,
    // [services:live]
  };
}

export type Services = ReturnType<typeof createServices>;

export interface Container {
  platform: Platform;
  services: Services;
  /** Stops jobs and events and closes the database cleanly. */
  close(): Promise<void>;
}

/** The platform every module is built from (also used by benchmarks that build one module alone). */
export function createPlatform(config: Config, db: Database, logger: Logger, clock: () => Date): Platform {
  return {
    config,
    db,
    logger,
    clock,
    audit: createAudit(clock),
    jobs: createJobs(db, logger),
    events: createEventBus(db),
    rateLimiter: createRateLimiter(),
    mailer: createMailer(config),
  };
}

export interface ContainerOptions {
  logger?: Logger;
  db?: Database;
  clock?: () => Date;
  /** Apply migrations (default true). */
  migrate?: boolean;
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const logger = opts.logger ?? createLogger(config);
  const db =
    opts.db ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: config.memoryDb, poolSize: config.databasePoolSize }));
  try {
    if (opts.migrate !== false) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    const platform = createPlatform(config, db, logger, opts.clock ?? (() => new Date()));
    const services = createServices(platform);
    return {
      platform,
      services,
      async close() {
        await platform.jobs.stop();
        await platform.events.stop();
        platform.mailer.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
