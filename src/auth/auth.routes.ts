/**
 * Staff area entry: the session hook, sign-in (password, then TOTP or a recovery code), sign-out,
 * first-time set-up, the staff home page, and the users and audit pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/app.ts';
import { registerStaffNav } from '../http/staff-nav.ts';
import { ValidationError } from '../errors.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { can } from './access.ts';
import { actorOf, requireStaff } from './guard.ts';
import { type Permission } from './permissions.ts';
import { PASSWORD_MIN_LENGTH } from './passwords.ts';
import { SIGN_IN_FAILED, SIGN_IN_LOCKED, type RequestContext } from './auth.service.ts';
import { choosePasswordForm, codeForm, safeReturnTo, signInForm, tokenParam } from './auth.schema.ts';
import { recordStaffRoutes } from './route-registry.ts';
import { clearSessionCookie, registerStaffSessions, setSessionCookie } from './session.plugin.ts';
import { usersRoutes } from './users.routes.ts';

/** Links on the staff home page; each shows only if the role may use it and the page exists. */
registerStaffNav({ href: '/staff', text: 'Home', permission: null, order: 0, match: 'exact' });

const HOME_LINKS: { href: string; text: string; hint: string; permission: Permission }[] = [
  { href: '/staff/inbox', text: 'Inbox', hint: 'reports and referrals to triage', permission: 'report:read' },
  { href: '/staff/cases', text: 'Cases', hint: 'people at risk', permission: 'case:read' },
  { href: '/staff/intel', text: 'Intelligence', hint: 'deal lines, entities, network and map', permission: 'intel:read' },
  { href: '/staff/live', text: 'Live sessions', hint: 'interactive awareness sessions', permission: 'live:manage' },
  { href: '/staff/campaigns', text: 'Campaigns', hint: 'reach and results', permission: 'campaign:read' },
  { href: '/staff/retention', text: 'Retention review', hint: 'records due for review or deletion', permission: 'retention:review' },
  { href: '/staff/users', text: 'Users', hint: "accounts in your agency", permission: 'user:manage' },
  { href: '/staff/audit', text: 'Audit log', hint: 'who did what, and when', permission: 'audit:read' },
];

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Administrator',
  triage: 'Triage officer',
  caseworker: 'Case worker',
  analyst: 'Analyst',
  campaigns: 'Campaigns',
  viewer: 'Viewer',
};

export function requestContext(req: FastifyRequest): RequestContext {
  return { correlationId: req.id, clientAddress: req.ip };
}

function fieldErrorsOf(err: ValidationError) {
  return {
    errorList: err.errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    fieldErrors: Object.fromEntries(err.errors.map((e) => [e.field, e.message])),
  };
}

const PUBLIC = { staffPublic: true } as const;

export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  recordStaffRoutes(app);
  registerStaffSessions(app, deps);
  const { signIn, users } = deps.services.auth;
  const secure = deps.platform.config.production;

  function renderSignIn(reply: FastifyReply, ctx: { email?: string; returnTo?: string | null; message?: string; signedOut?: boolean }) {
    return reply.view('auth/views/sign-in.njk', {
      email: ctx.email ?? '',
      returnTo: ctx.returnTo ?? '',
      signedOut: ctx.signedOut ?? false,
      ...(ctx.message ? { errorList: [{ text: ctx.message, href: '#email' }], fieldErrors: {} } : { fieldErrors: {} }),
    });
  }

  app.get('/staff', { preHandler: requireStaff() }, async (req, reply) => {
    const actor = actorOf(req);
    const profile = await users.profile(actor);
    const links = HOME_LINKS.filter((l) => can(actor, l.permission) && app.hasRoute({ method: 'GET', url: l.href }));
    return reply.view('auth/views/home.njk', {
      profile,
      links,
      roleLabels: actor.roles.map((r) => ROLE_LABELS[r] ?? r),
      idleMinutes: signIn.sessionPolicy.idleMs / 60_000,
      absoluteHours: signIn.sessionPolicy.absoluteMs / 3_600_000,
    });
  });

  app.get('/staff/sign-in', { config: PUBLIC }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const returnTo = safeReturnTo(query.returnTo);
    if (req.actor) return reply.redirect(returnTo ?? '/staff', 303);
    return renderSignIn(reply, { returnTo, signedOut: query.signedOut === '1' });
  });

  app.post('/staff/sign-in', { config: PUBLIC }, async (req, reply) => {
    const input = signInForm.parse(req.body ?? {});
    const returnTo = safeReturnTo(input.returnTo);
    if (!input.email.trim() || !input.password) {
      const errors = [
        ...(!input.email.trim() ? [{ field: 'email', message: 'Enter your email address' }] : []),
        ...(!input.password ? [{ field: 'password', message: 'Enter your password' }] : []),
      ];
      return reply.view('auth/views/sign-in.njk', { email: input.email, returnTo: returnTo ?? '', ...fieldErrorsOf(new ValidationError(errors)) });
    }
    const result = await signIn.signInWithPassword(requestContext(req), { ...input, returnTo, currentSessionId: req.sessionId });
    if (!result.ok) return renderSignIn(reply, { email: input.email, returnTo, message: result.reason === 'locked' ? SIGN_IN_LOCKED : SIGN_IN_FAILED });
    setSessionCookie(reply, result.session.token, secure);
    return reply.redirect('/staff/sign-in/code', 303);
  });

  for (const kind of ['code', 'recovery'] as const) {
    const path = `/staff/sign-in/${kind}`;
    const template = kind === 'code' ? 'auth/views/sign-in-code.njk' : 'auth/views/sign-in-recovery.njk';
    app.get(path, { config: PUBLIC }, async (req, reply) => {
      if (req.actor) return reply.redirect('/staff', 303);
      if (!(await signIn.hasPendingSignIn(req.sessionId))) return reply.redirect('/staff/sign-in', 303);
      return reply.view(template, { fieldErrors: {} });
    });
    app.post(path, { config: PUBLIC }, async (req, reply) => {
      const { code } = codeForm.parse(req.body ?? {});
      if (!code.trim()) {
        return reply.view(template, fieldErrorsOf(new ValidationError([{ field: 'code', message: kind === 'code' ? 'Enter the 6-digit code from your app' : 'Enter a recovery code' }])));
      }
      const input = { sessionId: req.sessionId, code };
      const result = kind === 'code' ? await signIn.completeWithCode(requestContext(req), input) : await signIn.completeWithRecoveryCode(requestContext(req), input);
      if (result.ok) {
        setSessionCookie(reply, result.session.token, secure);
        return reply.redirect(safeReturnTo(result.returnTo) ?? '/staff', 303);
      }
      if (result.reason === 'expired') return reply.redirect('/staff/sign-in', 303);
      if (result.reason === 'locked') {
        clearSessionCookie(reply);
        return renderSignIn(reply, { message: SIGN_IN_LOCKED });
      }
      return reply.view(template, { errorList: [{ text: SIGN_IN_FAILED, href: '#code' }], fieldErrors: {} });
    });
  }

  app.post('/staff/sign-out', { config: PUBLIC }, async (req, reply) => {
    await signIn.signOut(requestContext(req), { sessionId: req.sessionId, actor: req.actor });
    clearSessionCookie(reply);
    return reply.redirect('/staff/sign-in?signedOut=1', 303);
  });

  // First sign-in: the one-time link from an administrator or `lookout user add`.
  async function renderSetup(reply: FastifyReply, token: string, extra: Record<string, unknown> = {}) {
    const state = await signIn.setupState(token);
    if (!state) return reply.code(404).view('auth/views/set-up-expired.njk');
    if (state.step === 'password') {
      return reply.view('auth/views/set-up-password.njk', { setup: state, token, minLength: PASSWORD_MIN_LENGTH, fieldErrors: {}, ...extra });
    }
    const enrolment = await signIn.enrolment(token);
    return reply.view('auth/views/set-up-authenticator.njk', { enrolment, token, fieldErrors: {}, ...extra });
  }

  app.get('/staff/set-up/:token', { config: PUBLIC }, async (req, reply) => renderSetup(reply, tokenParam.parse(req.params).token));

  app.post('/staff/set-up/:token/password', { config: PUBLIC }, async (req, reply) => {
    const { token } = tokenParam.parse(req.params);
    try {
      await signIn.choosePassword(requestContext(req), token, choosePasswordForm.parse(req.body ?? {}));
    } catch (err) {
      if (err instanceof ValidationError) return renderSetup(reply, token, fieldErrorsOf(err));
      throw err;
    }
    return reply.redirect(`/staff/set-up/${encodeURIComponent(token)}`, 303);
  });

  app.post('/staff/set-up/:token/authenticator', { config: PUBLIC }, async (req, reply) => {
    const { token } = tokenParam.parse(req.params);
    try {
      const codes = await signIn.confirmEnrolment(requestContext(req), token, codeForm.parse(req.body ?? {}).code);
      return reply.view('auth/views/set-up-done.njk', { codes });
    } catch (err) {
      if (err instanceof ValidationError) return renderSetup(reply, token, fieldErrorsOf(err));
      throw err;
    }
  });

  await usersRoutes(app, deps);
  await auditRoutes(app, deps);
}
