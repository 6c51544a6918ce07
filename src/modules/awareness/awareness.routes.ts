/**
 * Public awareness pages: Spot the signs (guides, the sign library, slang), branching scenarios,
 * the quiz and the local directory; the checker's pages come from ../screening/checker.routes.ts.
 * No cookies, no third-party requests, every page works as plain HTML forms and links. Scenario
 * and quiz progress travels in the URL and hidden fields only: nothing is stored.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../http/app.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { checkerRoutes } from '../screening/checker.routes.ts';

const CSS = readFileSync(new URL('./public/awareness.css', import.meta.url), 'utf8');

/** Stateless pages are cheap: a generous limit so a class working through them together is not stopped. */
const PAGE_POSTS = { rateLimit: { bucket: 'awareness', perMinute: 300 } } as const;

const audienceParams = z.object({ audience: z.string().max(100) });
const scenarioParams = z.object({ id: z.string().max(100) });
const stepParams = z.object({ id: z.string().max(100), step: z.string().max(100) });
const choiceBody = z.object({ choice: z.string().max(100).optional() }).loose();
const quizParams = z.object({ n: z.coerce.number().int().min(1).max(1000) });
/** Path parameters that do not fit are a page that does not exist (404), not a server error. */
export function paramsOf<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const res = schema.safeParse(params);
  if (!res.success) throw new NotFoundError('page');
  return res.data;
}
/** The self-check score carried in the URL or a hidden field; anything odd counts as 0. */
const scoreOf = (v: unknown): number => z.coerce.number().int().min(0).max(1000).catch(0).parse(v ?? 0);
const answerBody = z.object({ answer: z.string().max(100).optional(), score: z.unknown() }).loose();

/** Field errors as the template's map (field -> message) and the GOV.UK error summary list. */
export function errorContext(err: ValidationError): { fieldErrors: Record<string, string>; errorList: Array<{ text: string; href: string }> } {
  return {
    fieldErrors: Object.fromEntries(err.errors.map((e) => [e.field, e.message])),
    errorList: err.errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
  };
}

/** Renders `template` with the context, or re-renders `onError` with the error summary (400). */
function renderOrError(reply: FastifyReply, run: () => { template: string; ctx: Record<string, unknown> }, onError: () => { template: string; ctx: Record<string, unknown> }) {
  try {
    const { template, ctx } = run();
    return reply.view(template, ctx);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const { template, ctx } = onError();
    return reply.code(400).view(template, { ...ctx, ...errorContext(err) });
  }
}

export async function awarenessRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const svc = deps.services.awareness;

  app.get('/spot-the-signs/awareness.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(CSS));
  app.get('/spot-the-signs', async (_req, reply) => reply.view('awareness/views/overview.njk', svc.overview()));
  app.get('/spot-the-signs/signs', async (_req, reply) => reply.view('awareness/views/signs.njk', { indicators: svc.indicators() }));
  app.get('/spot-the-signs/slang', async (_req, reply) => reply.view('awareness/views/slang.njk', { slang: svc.slang() }));
  app.get('/spot-the-signs/:audience', async (req, reply) => {
    const { audience } = paramsOf(audienceParams, req.params);
    return reply.view('awareness/views/pathway.njk', { ...svc.pathway(audience) });
  });

  app.get('/scenarios', async (_req, reply) => reply.view('awareness/views/scenarios.njk', { scenarios: svc.scenarios() }));
  app.get('/scenarios/:id', async (req, reply) => {
    const { id } = paramsOf(scenarioParams, req.params);
    return reply.view('awareness/views/scenario-start.njk', { scenario: svc.scenario(id) });
  });
  app.get('/scenarios/:id/:step', async (req, reply) => {
    const { id, step } = paramsOf(stepParams, req.params);
    return reply.view('awareness/views/scenario-step.njk', { ...svc.scenarioStep(id, step) });
  });
  app.post('/scenarios/:id/:step', { config: PAGE_POSTS }, async (req, reply) => {
    const { id, step } = paramsOf(stepParams, req.params);
    const { choice } = choiceBody.catch({}).parse(req.body);
    return renderOrError(
      reply,
      () => ({ template: 'awareness/views/scenario-feedback.njk', ctx: { ...svc.scenarioAnswer(id, step, choice) } }),
      () => ({ template: 'awareness/views/scenario-step.njk', ctx: { ...svc.scenarioStep(id, step) } }),
    );
  });

  app.get('/quiz', async (_req, reply) => reply.view('awareness/views/quiz-start.njk', svc.quizIntro()));
  app.get('/quiz/result', async (req, reply) => {
    const score = scoreOf((req.query as Record<string, unknown>).score);
    return reply.view('awareness/views/quiz-result.njk', svc.quizResult(score));
  });
  app.get('/quiz/:n', async (req, reply) => {
    const { n } = paramsOf(quizParams, req.params);
    return reply.view('awareness/views/quiz-question.njk', { ...svc.quizQuestion(n, scoreOf((req.query as Record<string, unknown>).score)) });
  });
  app.post('/quiz/:n', { config: PAGE_POSTS }, async (req, reply) => {
    const { n } = paramsOf(quizParams, req.params);
    const body = answerBody.catch({ score: 0 }).parse(req.body);
    const score = scoreOf(body.score);
    return renderOrError(
      reply,
      () => ({ template: 'awareness/views/quiz-feedback.njk', ctx: { ...svc.quizAnswer(n, score, body.answer) } }),
      () => ({ template: 'awareness/views/quiz-question.njk', ctx: { ...svc.quizQuestion(n, score) } }),
    );
  });

  app.get('/directory', async (_req, reply) => reply.view('awareness/views/directory.njk', { directories: svc.directories() }));

  await checkerRoutes(app, deps);
}
