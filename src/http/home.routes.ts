/** The start page and plain information pages. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './app.ts';

export async function homeRoutes(app: FastifyInstance, _deps: AppDeps): Promise<void> {
  app.get('/', async (_req, reply) => reply.view('start.njk'));
  app.get('/accessibility', async (_req, reply) => reply.view('accessibility.njk'));
  app.get('/privacy', async (_req, reply) => reply.view('privacy.njk'));
}
