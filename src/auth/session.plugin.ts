/**
 * The staff session hook. On every /staff request (and only there: public pages never see or
 * set a cookie) it reads the `lookout_staff` cookie, looks the session up in the database and
 * sets `req.sessionId` and, once the second factor has passed, `req.actor`. It runs onRequest,
 * so before the CSRF check (preHandler), which binds staff form tokens to the session id.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../http/app.ts';
import { isStaffPath } from './route-registry.ts';
import { SESSION_COOKIE } from './sessions.ts';

export const SESSION_COOKIE_PATH = '/staff';

export function registerStaffSessions(app: FastifyInstance, deps: AppDeps): void {
  const { sessions } = deps.services.auth;
  app.addHook('onRequest', async (req, reply) => {
    if (!isStaffPath(req.url)) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await sessions.resolve(token);
    if (!session) {
      clearSessionCookie(reply);
      return;
    }
    req.sessionId = session.id;
    if (session.mfaPassed) {
      req.actor = { kind: 'staff', userId: session.userId, ...session.user, correlationId: req.id };
    }
  });
}

/** HttpOnly, SameSite=Lax, Secure in production, path /staff, no Max-Age (gone when the browser closes). */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: SESSION_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: SESSION_COOKIE_PATH });
}
