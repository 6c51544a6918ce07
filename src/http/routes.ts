/** Every module's routes, registered in one place. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './app.ts';
import { homeRoutes } from './home.routes.ts';
// [imports:auth]
// [imports:awareness]
// [imports:reporting]
// [imports:triage]
// [imports:intel]
// [imports:live]

export type RouteModule = (app: FastifyInstance, deps: AppDeps) => Promise<void>;

const modules: RouteModule[] = [
  homeRoutes,
  // [routes:auth]
  // [routes:awareness]
  // [routes:reporting]
  // [routes:triage]
  // [routes:intel]
  // [routes:live]
];

export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const m of modules) await m(app, deps);
}
