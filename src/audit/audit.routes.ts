/** The audit log search page (admins: audit:read). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/app.ts';
import { registerStaffNav } from '../http/staff-nav.ts';
import { ValidationError } from '../errors.ts';
import { actorOf, requireStaff } from '../auth/guard.ts';
import { auditQuery } from '../auth/auth.schema.ts';

registerStaffNav({ href: '/staff/audit', text: 'Audit log', permission: 'audit:read', order: 90 });

export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { auditLog } = deps.services.auth;

  app.get('/staff/audit', { preHandler: requireStaff('audit:read') }, async (req, reply) => {
    const query = auditQuery.parse(req.query ?? {});
    try {
      const result = await auditLog.search(actorOf(req), query);
      const link = (page: number) => {
        const p = new URLSearchParams({ user: query.user, subject: query.subject, from: query.from, to: query.to, page: String(page) });
        return `/staff/audit?${p.toString()}`;
      };
      const pagination =
        result.pages > 1
          ? {
              ...(result.page > 1 ? { previous: { href: link(result.page - 1) } } : {}),
              ...(result.page < result.pages ? { next: { href: link(result.page + 1) } } : {}),
              landmarkLabel: 'Audit log pages',
            }
          : null;
      return reply.view('audit/views/search.njk', { query, result, pagination, fieldErrors: {} });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.code(400).view('audit/views/search.njk', {
        query,
        result: null,
        errorList: err.errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
        fieldErrors: Object.fromEntries(err.errors.map((e) => [e.field, e.message])),
      });
    }
  });
}
