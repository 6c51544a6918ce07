/**
 * Live event routes. Public: /join, the attendee page, votes, the disclosure form and the attendee
 * event stream: no cookies, no account, the attendee known only by a random token in the path.
 * Staff: /staff/live (sessions), the presenter view with plain-form controls, results and CSV.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, requireStaff } from '../../auth/guard.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { AppDeps } from '../../http/app.ts';
import { registerStaffNav } from '../../http/staff-nav.ts';
import { wantsJson } from '../../http/errors.ts';
import { attendeeParams, codeParam, controlBody, createBody, disclosureBody, parseInput, sessionIdParam, voteBody } from './live.schema.ts';
import type { StreamRole } from './sse.ts';

const staff = requireStaff('live:manage');
registerStaffNav({ href: '/staff/live', text: 'Live events', permission: 'live:manage', order: 50 });

/** A fresh attendee token: 128 random bits, never stored (see live.service.ts). */
export function newAttendeeToken(): string {
  return randomBytes(16).toString('base64url');
}

function parseOr404<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, kind: string): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new NotFoundError(kind);
  return res.data;
}

/** Takes over the response as a text/event-stream, keeping the security headers already set. */
async function stream(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, sessionId: string, role: StreamRole): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true);
  await deps.services.live.hub.attach(sessionId, role, res);
}

export async function liveRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const live = deps.services.live;
  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => live.hub.closeAll());

  // ---- Attendees (public, no cookies) ----

  app.get('/join', async (req, reply) => {
    const raw = (req.query as Record<string, unknown>).code;
    if (typeof raw !== 'string') return reply.view('live/views/join.njk', { title: 'Join a live event' });
    try {
      const code = await live.joinCode(raw);
      return reply.redirect(`/live/${code}/${newAttendeeToken()}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const message = err.errors[0]?.message ?? 'Check the code';
      return reply.code(400).view('live/views/join.njk', { title: 'Join a live event', code: raw.slice(0, 20), codeError: message, errorList: [{ text: message, href: '#code' }] });
    }
  });

  app.get('/live/:code/events', async (req, reply) => {
    const code = parseOr404(codeParam, (req.params as { code?: unknown }).code, 'live session');
    const sessionId = await live.attendeeStream(code);
    await stream(deps, req, reply, sessionId, 'attendee');
  });

  app.get('/live/:code/:token', async (req, reply) => {
    const { code, token } = parseOr404(attendeeParams, req.params, 'live session');
    try {
      const view = await live.attendeeView(code, token);
      const sent = (req.query as Record<string, unknown>).sent === 'concern';
      return reply.view('live/views/attendee.njk', { title: view.deck.title, ...view, token, concernSent: sent });
    } catch (err) {
      if (err instanceof ValidationError) return reply.redirect(`/join?code=${encodeURIComponent(code)}`, 303);
      throw err;
    }
  });

  app.post('/live/:code/:token/vote', { config: { rateLimit: { bucket: 'live-vote', perMinute: 600 } } }, async (req, reply) => {
    const { code, token } = parseOr404(attendeeParams, req.params, 'live session');
    const body = parseInput(voteBody, req.body);
    const json = wantsJson(req) || (req.headers['content-type'] ?? '').startsWith('application/json');
    let result;
    try {
      result = await live.vote(code, token, body);
    } catch (err) {
      if (err instanceof ValidationError && !json) return reply.redirect(`/join?code=${encodeURIComponent(code)}`, 303);
      if (err instanceof ValidationError) throw new NotFoundError('live session', code);
      throw err;
    }
    if (json) return reply.code(result.ok ? 200 : result.reason === 'invalid_option' ? 400 : 409).send(result.ok ? result : { error: result.reason, message: result.message });
    if (result.ok) return reply.redirect(`/live/${code}/${token}`, 303);
    const view = await live.attendeeView(code, token);
    const status = result.reason === 'invalid_option' ? 400 : 409;
    const errorList = result.reason === 'invalid_option' ? [{ text: result.message, href: '#option' }] : [];
    return reply.code(status).view('live/views/attendee.njk', { title: view.deck.title, ...view, token, refusal: result, errorList });
  });

  app.post('/live/:code/:token/concern', { config: { rateLimit: { bucket: 'live-concern', perMinute: 10 } } }, async (req, reply) => {
    const { code, token } = parseOr404(attendeeParams, req.params, 'live session');
    const body = parseInput(disclosureBody, req.body);
    try {
      await live.disclose(code, body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      if (err.errors[0]?.field === 'code') return reply.redirect(`/join?code=${encodeURIComponent(code)}`, 303);
      const view = await live.attendeeView(code, token);
      const errorList = err.errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
      return reply.code(400).view('live/views/attendee.njk', { title: view.deck.title, ...view, token, concern: body.concern, concernError: errorList[0]?.text, errorList });
    }
    return reply.redirect(`/live/${code}/${token}?sent=concern#concern-sent`, 303);
  });

  // ---- Facilitators (staff with live:manage) ----

  app.get('/staff/live', { preHandler: staff }, async (req, reply) => {
    const sessions = await live.listSessions(actorOf(req));
    return reply.view('live/views/sessions.njk', { title: 'Live events', sessions, decks: live.decks() });
  });

  app.post('/staff/live', { preHandler: staff, config: { rateLimit: { bucket: 'live-create', perMinute: 30 } } }, async (req, reply) => {
    const actor = actorOf(req);
    try {
      const session = await live.createSession(actor, parseInput(createBody, req.body));
      return reply.redirect(`/staff/live/${session.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const sessions = await live.listSessions(actor);
      const errorList = err.errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
      return reply.code(400).view('live/views/sessions.njk', { title: 'Live events', sessions, decks: live.decks(), errorList, deckError: errorList[0]?.text });
    }
  });

  app.get('/staff/live/:id', { preHandler: staff }, async (req, reply) => {
    const { id } = parseOr404(sessionIdParam, req.params, 'live session');
    const view = await live.presenterView(actorOf(req), id);
    return reply.view('live/views/presenter.njk', { title: `Presenting: ${view.deck.title}`, ...view });
  });

  app.post('/staff/live/:id/control', { preHandler: staff, config: { rateLimit: { bucket: 'live-control', perMinute: 240 } } }, async (req, reply) => {
    const { id } = parseOr404(sessionIdParam, req.params, 'live session');
    const parsed = controlBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError([{ field: 'action', message: 'Choose a presenter control' }]);
    const session = await live.control(actorOf(req), id, parsed.data.action);
    return reply.redirect(parsed.data.action === 'end' ? `/staff/live/${session.id}/results` : `/staff/live/${session.id}`, 303);
  });

  app.get('/staff/live/:id/events', { preHandler: staff }, async (req, reply) => {
    const { id } = parseOr404(sessionIdParam, req.params, 'live session');
    const sessionId = await live.presenterStream(actorOf(req), id);
    await stream(deps, req, reply, sessionId, 'presenter');
  });

  app.get('/staff/live/:id/results', { preHandler: staff }, async (req, reply) => {
    const { id } = parseOr404(sessionIdParam, req.params, 'live session');
    const results = await live.results(actorOf(req), id);
    return reply.view('live/views/results.njk', { title: `Results: ${results.deck.title}`, ...results });
  });

  app.get('/staff/live/:id/results.csv', { preHandler: staff }, async (req, reply) => {
    const { id } = parseOr404(sessionIdParam, req.params, 'live session');
    const { filename, csv } = await live.exportCsv(actorOf(req), id);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(csv);
  });
}
