/** `lookout serve`: starts the web service (PORT, default 3000) with graceful shutdown. */
import { loadConfig, ConfigError } from '../config.ts';
import { createContainer } from '../container.ts';
import { buildApp } from '../http/app.ts';
import type { Command } from './main.ts';

export const command: Command = {
  summary: 'Start the web service (PORT, default 3000)',
  async run() {
    let config;
    try {
      config = loadConfig();
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`lookout: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const container = await createContainer(config);
    const { logger } = container.platform;
    if (config.insecureDefaults.length) {
      logger.warn({ variables: config.insecureDefaults }, 'using development defaults for secrets; never do this in production');
    }
    const app = await buildApp(container);
    await container.platform.events.start();
    const { seedOnFirstStart } = await import('./seed.ts');
    await seedOnFirstStart(container);
    if (config.jobsEnabled) container.platform.jobs.start(2000, config.jobsConcurrency);

    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      }, 25_000);
      force.unref();
      try {
        await app.close(); // stops accepting, waits for in-flight requests
        await container.close(); // stops jobs, closes the database cleanly
        logger.info('shutdown complete');
        logger.flush?.();
        process.exit(0);
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));

    await app.listen({ port: config.port, host: config.host });
    const url = `http://localhost:${config.port}`;
    logger.info({ url, engine: container.platform.db.engine }, 'Lookout is running');
    process.stderr.write(`\nLookout is running at ${url} (database: ${container.platform.db.engine === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL server'})\n\n`);
    // Keep the process alive until a signal arrives.
    return new Promise<number>(() => undefined);
  },
};
