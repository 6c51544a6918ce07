/**
 * Staff pages for triage: the inbox (/staff/inbox), an item and its triage actions, cases
 * (/staff/cases, ?mine), the MACE team view (/staff/mace), the retention queue (/staff/retention)
 * and the exports. Handlers parse, call one service method and render; a validation error or a
 * stale version re-renders the same page with what the user typed, so nothing is lost.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type StaffActor } from '../../auth/access.ts';
import { actorOf, requireStaff } from '../../auth/guard.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { AppDeps } from '../../http/app.ts';
import { registerStaffNav } from '../../http/staff-nav.ts';
import { inboxCsv, renderCaseSummaryPdf } from './exports.ts';
import { isRetentionType } from './retention.ts';
import {
  HANDLING_LABELS,
  INTEL_GRADE_LABELS,
  NRM_LABELS,
  parseInboxFilters,
  SOURCE_GRADE_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  type InboxFilters,
} from './triage.schema.ts';

registerStaffNav(
  { href: '/staff/inbox', text: 'Inbox', permission: 'report:read', order: 10 },
  { href: '/staff/cases', text: 'Cases', permission: 'case:read', order: 20 },
  { href: '/staff/mace', text: 'MACE', permission: 'case:read', order: 30 },
  { href: '/staff/retention', text: 'Retention', permission: 'retention:review', order: 70 },
);

const LABELS = { urgency: URGENCY_LABELS, status: STATUS_LABELS, source: SOURCE_LABELS, sourceGrade: SOURCE_GRADE_LABELS, intelGrade: INTEL_GRADE_LABELS, handling: HANDLING_LABELS, nrm: NRM_LABELS };

type Body = Record<string, unknown>;
const bodyOf = (req: FastifyRequest): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});
const idOf = (req: FastifyRequest): string => String((req.params as { id?: string }).id ?? '');
const errorListOf = (errors: FieldError[]) => errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
const fieldErrorsOf = (errors: FieldError[]) => Object.fromEntries(errors.map((e) => [e.field, e.message]));

/** Values as typed, minus the CSRF token, for re-rendering a form. */
function typed(body: Body): Record<string, unknown> {
  const { _csrf: _ignored, ...rest } = body;
  return rest;
}

export async function triageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const triage = deps.services.triage;
  const { inbox, cases, retention } = triage;
  const agencyNames = async (actor: StaffActor) => {
    const { agencies } = await inbox.options(actor);
    const m = new Map(agencies.map((a) => [a.id, a.name]));
    return (id: string) => m.get(id) ?? id;
  };

  // ---- inbox -------------------------------------------------------------------------------

  const inboxQuery = (f: InboxFilters): string => {
    const p = new URLSearchParams();
    for (const k of ['q', 'area', 'status', 'urgency', 'indicator', 'agency'] as const) if (f[k]) p.set(k, f[k]);
    if (f.matches) p.set('matches', 'yes');
    return p.toString();
  };

  app.get('/staff/inbox', { preHandler: requireStaff('report:read') }, async (req, reply) => {
    const actor = actorOf(req);
    const query = req.query as Record<string, unknown>;
    const { filters, errors } = parseInboxFilters(query, await inbox.knownFilterValues(actor));
    const options = await inbox.options(actor);
    const ctx = { title: 'Inbox', filters, raw: query, options, indicators: triage.indicators, labels: LABELS, canExport: can(actor, 'report:export') };
    if (errors.length) return reply.code(400).view('triage/views/inbox.njk', { ...ctx, items: [], total: 0, errorList: errorListOf(errors), fieldErrors: fieldErrorsOf(errors) });
    const page = await inbox.list(actor, filters);
    const agencyName = await agencyNames(actor);
    return reply.view('triage/views/inbox.njk', { ...ctx, ...page, agencyName, query: inboxQuery(filters), fieldErrors: {} });
  });

  app.get('/staff/inbox/export.csv', { preHandler: requireStaff('report:export') }, async (req, reply) => {
    const actor = actorOf(req);
    const { filters, errors } = parseInboxFilters(req.query as Record<string, unknown>, await inbox.knownFilterValues(actor));
    if (errors.length) throw new ValidationError(errors);
    const rows = await inbox.exportRows(actor, filters);
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="lookout-inbox.csv"')
      .send(inboxCsv(rows, await agencyNames(actor)));
  });

  async function renderItem(req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const actor = actorOf(req);
    const view = await inbox.get(actor, idOf(req));
    const options = await inbox.options(actor);
    const agencyName = await agencyNames(actor);
    const done = String((req.query as Record<string, unknown>).done ?? '');
    return reply.code(status).view('triage/views/item.njk', {
      title: `Inbox item ${view.item.reference}`,
      ...view,
      options,
      agencyName,
      indicators: triage.indicators,
      labels: LABELS,
      done: /^[a-z]+$/.test(done) ? done : '',
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get('/staff/inbox/:id', { preHandler: requireStaff('report:read') }, async (req, reply) => renderItem(req, reply));

  const itemActions = {
    urgency: inbox.setUrgency,
    grade: inbox.grade,
    sanitise: inbox.sanitise,
    assign: inbox.assign,
    share: inbox.share,
    link: inbox.linkCase,
    close: inbox.close,
  } as const;
  for (const [name, run] of Object.entries(itemActions)) {
    app.post(`/staff/inbox/:id/${name}`, { preHandler: requireStaff('report:triage') }, async (req, reply) => {
      const body = bodyOf(req);
      try {
        await run(actorOf(req), idOf(req), body);
        return reply.redirect(`/staff/inbox/${encodeURIComponent(idOf(req))}?done=${name}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) return renderItem(req, reply, { active: name, values: typed(body), errorList: errorListOf(err.errors), fieldErrors: fieldErrorsOf(err.errors) }, 400);
        if (err instanceof ConflictError) return renderItem(req, reply, { active: name, values: typed(body), conflict: err.message }, 409);
        throw err;
      }
    });
  }

  // ---- cases -------------------------------------------------------------------------------

  app.get('/staff/cases', { preHandler: requireStaff('case:read') }, async (req, reply) => {
    const actor = actorOf(req);
    const mine = Object.prototype.hasOwnProperty.call(req.query ?? {}, 'mine');
    const { cases: list, tasks } = await cases.list(actor, { mine });
    return reply.view('triage/views/cases.njk', { title: mine ? 'My cases' : 'Cases', mine, cases: list, tasks, canWrite: can(actor, 'case:write'), labels: LABELS });
  });

  const newCasePage = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const options = await cases.options(actor);
    const itemId = String((req.query as Record<string, unknown>).item ?? '');
    return reply.code(status).view('triage/views/case-new.njk', { title: 'Open a case', options, values: { itemId }, fieldErrors: {}, ...extra });
  };

  app.get('/staff/cases/new', { preHandler: requireStaff('case:write') }, async (req, reply) => newCasePage(req, reply));

  app.post('/staff/cases', { preHandler: requireStaff('case:write') }, async (req, reply) => {
    const body = bodyOf(req);
    try {
      const { id } = await cases.create(actorOf(req), body);
      return reply.redirect(`/staff/cases/${id}?done=opened`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return newCasePage(req, reply, { values: typed(body), errorList: errorListOf(err.errors), fieldErrors: fieldErrorsOf(err.errors) }, 400);
    }
  });

  app.get('/staff/mace', { preHandler: requireStaff('case:read') }, async (req, reply) => {
    const actor = actorOf(req);
    const view = await cases.mace(actor);
    return reply.view('triage/views/mace.njk', { title: 'MACE: people, places and lines', ...view, labels: LABELS });
  });

  async function renderCase(req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const actor = actorOf(req);
    const detail = await cases.get(actor, idOf(req));
    const options = await cases.options(actor);
    const agencyName = await agencyNames(actor);
    const done = String((req.query as Record<string, unknown>).done ?? '');
    return reply.code(status).view('triage/views/case.njk', {
      title: `Case ${detail.case.reference}`,
      ...detail,
      options,
      agencyName,
      indicators: triage.indicators,
      labels: LABELS,
      done: /^[a-z-]+$/.test(done) ? done : '',
      values: {},
      fieldErrors: {},
      canExport: can(actor, 'case:export'),
      ...extra,
    });
  }

  app.get('/staff/cases/:id', { preHandler: requireStaff('case:read') }, async (req, reply) => renderCase(req, reply));

  app.get('/staff/cases/:id/summary.pdf', { preHandler: requireStaff('case:export') }, async (req, reply) => {
    const actor = actorOf(req);
    const detail = await cases.exportSummary(actor, idOf(req));
    const options = await cases.options(actor);
    const pdf = await renderCaseSummaryPdf(detail, {
      generatedAt: deps.platform.clock(),
      agencyName: await agencyNames(actor),
      vulnerabilityLabel: (id) => options.vulnerabilities.find((v) => v.id === id)?.label ?? id,
    });
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="case-${detail.case.reference}.pdf"`)
      .send(pdf);
  });

  const caseActions: Record<string, (actor: StaffActor, id: string, body: Body) => Promise<unknown>> = {
    notes: (a, id, b) => cases.addNote(a, id, b),
    missing: (a, id, b) => cases.addMissingEpisode(a, id, b),
    arrests: (a, id, b) => cases.addArrest(a, id, b),
    risk: (a, id, b) => cases.assessRisk(a, id, b),
    'potential-victim': (a, id, b) => cases.markPotentialVictim(a, id, b),
    review: (a, id, b) => cases.setReview(a, id, b),
    tasks: (a, id, b) => cases.addTask(a, id, b),
    share: (a, id, b) => cases.share(a, id, b),
    close: (a, id, b) => cases.setStatus(a, id, b, 'closed'),
    reopen: (a, id, b) => cases.setStatus(a, id, b, 'open'),
  };
  for (const [name, run] of Object.entries(caseActions)) {
    app.post(`/staff/cases/:id/${name}`, { preHandler: requireStaff('case:write') }, async (req, reply) => {
      const body = bodyOf(req);
      try {
        await run(actorOf(req), idOf(req), body);
        return reply.redirect(`/staff/cases/${encodeURIComponent(idOf(req))}?done=${name}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) return renderCase(req, reply, { active: name, values: typed(body), errorList: errorListOf(err.errors), fieldErrors: fieldErrorsOf(err.errors) }, 400);
        if (err instanceof ConflictError) return renderCase(req, reply, { active: name, values: typed(body), conflict: err.message }, 409);
        throw err;
      }
    });
  }

  app.post('/staff/cases/:id/tasks/:taskId/complete', { preHandler: requireStaff('case:write') }, async (req, reply) => {
    const { taskId } = req.params as { taskId: string };
    await cases.completeTask(actorOf(req), idOf(req), taskId);
    return reply.redirect(`/staff/cases/${encodeURIComponent(idOf(req))}?done=task-done#tasks`, 303);
  });

  // ---- retention ---------------------------------------------------------------------------

  const renderRetention = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const q = await retention.queue(actor);
    const done = String((req.query as Record<string, unknown>).done ?? '');
    return reply.code(status).view('triage/views/retention.njk', {
      title: 'Retention review',
      ...q,
      canDelete: can(actor, 'retention:delete'),
      done: /^[a-z]+$/.test(done) ? done : '',
      values: {},
      ...extra,
    });
  };

  app.get('/staff/retention', { preHandler: requireStaff('retention:review') }, async (req, reply) => renderRetention(req, reply));

  const recordOf = (req: FastifyRequest) => {
    const { type, id } = req.params as { type: string; id: string };
    if (!isRetentionType(type)) throw new NotFoundError('record', id);
    return { type, id };
  };

  app.post('/staff/retention/:type/:id/keep', { preHandler: requireStaff('retention:review') }, async (req, reply) => {
    const { type, id } = recordOf(req);
    await retention.keep(actorOf(req), type, id);
    return reply.redirect('/staff/retention?done=kept', 303);
  });

  app.post('/staff/retention/:type/:id/delete', { preHandler: requireStaff('retention:delete') }, async (req, reply) => {
    const { type, id } = recordOf(req);
    const body = bodyOf(req);
    try {
      await retention.delete(actorOf(req), type, id, body);
      return reply.redirect('/staff/retention?done=deleted', 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderRetention(req, reply, { active: id, values: typed(body), errorList: errorListOf(err.errors.map((e) => ({ ...e, field: `reason-${id}` }))) }, 400);
    }
  });
}
