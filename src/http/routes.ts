/** Every module's routes, registered in one place. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './app.ts';
import { homeRoutes } from './home.routes.ts';
import { authRoutes } from '../auth/auth.routes.ts';
// [imports:auth]
import { awarenessRoutes } from '../modules/awareness/awareness.routes.ts';
// [imports:awareness]
import { reportingRoutes } from '../modules/reporting/reports.routes.ts';
// [imports:reporting]
import { triageRoutes } from '../modules/triage/triage.routes.ts';
// [imports:triage]
import { intelRoutes } from '../modules/intel/intel.routes.ts';
// [imports:intel]
import { liveRoutes } from '../modules/live/live.routes.ts';
// [imports:live]

export type RouteModule = (app: FastifyInstance, deps: AppDeps) => Promise<void>;

const modules: RouteModule[] = [
  homeRoutes,
  authRoutes,
  // [routes:auth]
  awarenessRoutes,
  // [routes:awareness]
  reportingRoutes,
  // [routes:reporting]
  triageRoutes,
  // [routes:triage]
  intelRoutes,
  // [routes:intel]
  liveRoutes,
  // [routes:live]
];

export async function registerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const m of modules) await m(app, deps);
}
