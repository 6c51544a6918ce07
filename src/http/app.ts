/**
 * The HTTP server: Fastify with GOV.UK views, security headers on every response, CSRF on every
 * form, IP-free rate limiting of public POSTs, body limits, one error handler and ops routes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import cookie from '@fastify/cookie';
import { Registry, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Container } from '../container.ts';
import { RateLimitedError } from '../errors.ts';
import { createErrorHandler, wantsJson } from './errors.ts';
import { Csrf, isCrossSite, setSecurityHeaders } from './security.ts';
import { createViewEnvironment, GOVUK_DIST } from './views.ts';
import { registerRoutes } from './routes.ts';
import './types.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface AppDeps extends Container {
  metrics: Registry;
  csrf: Csrf;
}

export async function buildApp(container: Container): Promise<FastifyInstance> {
  const { platform } = container;
  const { config, logger } = platform;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Requests are logged below by route pattern only: no IP, user agent, query or body.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });

  const csrf = new Csrf(config.sessionSecret);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'lookout_' });
  const httpDuration = new Histogram({
    name: 'lookout_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });

  const views = createViewEnvironment({
    serviceName: 'Lookout',
    crimestoppers: '0800 555 111',
    demoData: config.seedDemo && !config.production,
  });

  app.decorateRequest('cspNonce', '');
  app.decorateRequest('csrfToken', function (this: { sessionId?: string }) {
    return csrf.tokenFor(this.sessionId);
  });
  app.decorateReply('view', function (template: string, context = {}) {
    const req = this.request;
    const html = views.render(template, {
      ...context,
      cspNonce: req.cspNonce,
      csrfToken: req.csrfToken(),
      actor: req.actor,
      currentPath: req.url.split('?')[0],
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  app.addHook('onRequest', async (req, reply) => {
    req.cspNonce = randomBytes(16).toString('base64');
    setSecurityHeaders(reply, req.cspNonce, config.production);
    reply.header('Cache-Control', 'no-store');
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (route !== '/health' && route !== '/metrics') {
      logger.info({ reqId: req.id, method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.bodyLimit });
  await app.register(multipart, {
    limits: { fileSize: config.uploadLimit, files: 5, fields: 50, fieldSize: 100_000, parts: 60 },
  });

  // Rate limit and CSRF for every state-changing request.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH' && req.method !== 'DELETE') return;
    const routeConfig = req.routeOptions.config;
    const limit = routeConfig?.rateLimit;
    if (limit !== false) {
      const bucket = limit?.bucket ?? `post:${req.routeOptions.url ?? 'unmatched'}`;
      const perMinute = limit?.perMinute ?? config.publicPostsPerMinute;
      if (!platform.rateLimiter.hit(req.ip, bucket, perMinute)) throw new RateLimitedError(platform.rateLimiter.retryAfter());
    }
    if (routeConfig?.csrf === false) return;
    // JSON bodies cannot be sent cross-site without a CORS preflight, which we never grant.
    if ((req.headers['content-type'] ?? '').startsWith('application/json')) return;
    if (isCrossSite(req)) throw Object.assign(new Error('Cross-site form submissions are not accepted.'), { statusCode: 403 });
    const body = req.body as Record<string, unknown> | undefined;
    const query = req.query as Record<string, unknown> | undefined;
    const token = body?._csrf ?? query?._csrf;
    if (!csrf.verify(req.sessionId, token)) {
      throw Object.assign(new Error('This form has expired or did not come from this site. Go back, refresh the page and try again.'), {
        statusCode: 403,
      });
    }
  });

  await app.register(fastifyStatic, { root: join(GOVUK_DIST, 'govuk', 'assets'), prefix: '/assets/', decorateReply: false, maxAge: 86_400_000 });
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk'),
    prefix: '/govuk/',
    decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(path),
    maxAge: 86_400_000,
  });
  await app.register(fastifyStatic, { root: join(here, 'public'), prefix: '/static/', decorateReply: false });

  app.setErrorHandler(createErrorHandler(logger, config.production));
  app.setNotFoundHandler(async (req, reply) => {
    if (wantsJson(req)) return reply.code(404).send({ error: 'not_found', message: 'Not found' });
    return reply.code(404).view('errors/404.njk', { status: 404 });
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    const { pendingMigrations } = await import('../db/migrate.ts');
    try {
      await platform.db.query('SELECT 1');
      const pending = await pendingMigrations(platform.db);
      if (pending.length) return reply.code(503).send({ status: 'not_ready', reason: 'migrations pending', pending });
      return { status: 'ready', engine: platform.db.engine };
    } catch {
      return reply.code(503).send({ status: 'not_ready', reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));

  await registerRoutes(app, { ...container, metrics, csrf });
  return app;
}
