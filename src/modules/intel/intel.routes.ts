/** Staff pages for intelligence: overview, deal-line register, suggestions, entities, network, map, exports, notifications. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { actorOf, requireStaff } from '../../auth/guard.ts';
import { can, type StaffActor } from '../../auth/access.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { AppDeps } from '../../http/app.ts';
import { registerStaffNav } from '../../http/staff-nav.ts';
import {
  addNumberSchema,
  createLineSchema,
  EXPORT_FORMATS,
  lineFilterSchema,
  networkQuerySchema,
  parseOrThrow,
  updateLineSchema,
} from './intel.schema.ts';
import { LINE_STATUS_LABELS, LINE_STATUSES } from './intel.types.ts';
import { STALE_MESSAGE } from './register.service.ts';

const idSchema = z.object({ id: z.string().regex(/^\d{1,15}$/).transform(Number) });
/** Ids in paths: anything that is not one is simply not found. */
const idParam = {
  parse(params: unknown): { id: number } {
    const r = idSchema.safeParse(params);
    if (!r.success) throw new NotFoundError('page');
    return r.data;
  },
};
registerStaffNav(
  { href: '/staff/intel', text: 'Intelligence', permission: 'intel:read', order: 40 },
  { href: '/staff/notifications', text: 'Notifications', permission: null, order: 100 },
);
const TYPE_LABELS: Record<string, string> = { phone: 'Phone number', vehicle: 'Vehicle', postcode: 'Postcode', handle: 'Handle', line_name: 'Line name', place: 'Place' };

function errorList(err: ValidationError) {
  return err.errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
}

function fieldErrors(err: ValidationError): Record<string, string> {
  return Object.fromEntries(err.errors.map((e) => [e.field, e.message]));
}

function body(req: { body?: unknown }): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function common(actor: StaffActor, section: string) {
  return { section, typeLabels: TYPE_LABELS, statusLabels: LINE_STATUS_LABELS, canWrite: can(actor, 'intel:write'), canExport: can(actor, 'intel:export') };
}

export async function intelRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const intel = deps.services.intel;
  const { register, notifications } = intel;
  const read = { preHandler: requireStaff('intel:read') };
  const write = { preHandler: requireStaff('intel:write') };

  app.get('/staff/intel', read, async (req, reply) => {
    const actor = actorOf(req);
    return reply.view('intel/views/overview.njk', { ...common(actor, 'overview'), overview: await intel.overview(actor) });
  });

  async function linesPage(reply: FastifyReply, actor: StaffActor, query: unknown, extra: Record<string, unknown> = {}) {
    const filter = lineFilterSchema.parse(query ?? {});
    const lines = await register.listLines(actor, filter);
    return reply.view('intel/views/lines.njk', { ...common(actor, 'lines'), lines, filter, statuses: LINE_STATUSES, values: {}, fieldErrors: {}, ...extra });
  }

  app.get('/staff/intel/lines', read, async (req, reply) => linesPage(reply, actorOf(req), req.query, { created: (req.query as Record<string, unknown>).created }));

  app.post('/staff/intel/lines', write, async (req, reply) => {
    const actor = actorOf(req);
    try {
      const line = await register.createLine(actor, parseOrThrow(createLineSchema, body(req)));
      return reply.redirect(`/staff/intel/lines/${line.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      reply.code(400);
      return linesPage(reply, actor, {}, { values: body(req), errorList: errorList(err), fieldErrors: fieldErrors(err) });
    }
  });

  async function linePage(reply: FastifyReply, actor: StaffActor, id: number, extra: Record<string, unknown> = {}) {
    const detail = await register.getLine(actor, id);
    const l = detail.line;
    const values = { version: l.version, status: l.status, displayName: l.displayName, exportingArea: l.exportingArea ?? '', importingAreas: l.importingAreas.join(', ') };
    return reply.view('intel/views/line.njk', { ...common(actor, 'lines'), ...detail, values, statuses: LINE_STATUSES, fieldErrors: {}, numberValues: {}, ...extra });
  }

  app.get('/staff/intel/lines/:id', read, async (req, reply) => {
    const { id } = idParam.parse(req.params);
    const done = String((req.query as Record<string, unknown>).done ?? '');
    return linePage(reply, actorOf(req), id, { done: { updated: 'The line was updated.', number: 'The number was added.' }[done] });
  });

  app.post('/staff/intel/lines/:id', write, async (req, reply) => {
    const actor = actorOf(req);
    const { id } = idParam.parse(req.params);
    try {
      await register.updateLine(actor, id, parseOrThrow(updateLineSchema, body(req)));
      return reply.redirect(`/staff/intel/lines/${id}?done=updated`, 303);
    } catch (err) {
      // Keep what the user typed: on a conflict the form shows their input against the new version.
      if (err instanceof ConflictError) {
        const fresh = await register.getLine(actor, id);
        reply.code(409);
        return linePage(reply, actor, id, {
          values: { ...body(req), version: fresh.line.version },
          conflict: STALE_MESSAGE,
          errorList: [{ text: STALE_MESSAGE, href: '#status' }],
        });
      }
      if (!(err instanceof ValidationError)) throw err;
      reply.code(400);
      return linePage(reply, actor, id, { values: body(req), errorList: errorList(err), fieldErrors: fieldErrors(err) });
    }
  });

  app.post('/staff/intel/lines/:id/numbers', write, async (req, reply) => {
    const actor = actorOf(req);
    const { id } = idParam.parse(req.params);
    try {
      await register.addNumber(actor, id, parseOrThrow(addNumberSchema, body(req)));
      return reply.redirect(`/staff/intel/lines/${id}?done=number`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      reply.code(400);
      return linePage(reply, actor, id, { numberValues: body(req), errorList: errorList(err), fieldErrors: fieldErrors(err) });
    }
  });

  app.get('/staff/intel/suggestions', read, async (req, reply) => {
    const actor = actorOf(req);
    const status = z.enum(['pending', 'accepted', 'rejected']).catch('pending').parse((req.query as Record<string, unknown>).status);
    const done = String((req.query as Record<string, unknown>).done ?? '');
    return reply.view('intel/views/suggestions.njk', {
      ...common(actor, 'suggestions'),
      status,
      suggestions: await register.listSuggestions(actor, status),
      done: { accepted: 'Suggestion accepted and applied to the register.', rejected: 'Suggestion rejected.' }[done],
    });
  });

  for (const decision of ['accept', 'reject'] as const) {
    app.post(`/staff/intel/suggestions/:id/${decision}`, write, async (req, reply) => {
      const { id } = idParam.parse(req.params);
      await register.decideSuggestion(actorOf(req), id, decision);
      return reply.redirect(`/staff/intel/suggestions?done=${decision}ed`, 303);
    });
  }

  app.get('/staff/intel/entities/:id', read, async (req, reply) => {
    const actor = actorOf(req);
    const { id } = idParam.parse(req.params);
    const view = await intel.entity(actor, id);
    const lineChoices = can(actor, 'intel:write') ? await register.activeLinesFor(actor) : [];
    return reply.view('intel/views/entity.njk', { ...common(actor, 'entities'), ...view, lineChoices, linked: (req.query as Record<string, unknown>).done === 'linked' });
  });

  app.post('/staff/intel/entities/:id/link', write, async (req, reply) => {
    const { id } = idParam.parse(req.params);
    const lineId = z.coerce.number().int().min(1).safeParse(body(req).lineId);
    if (!lineId.success) throw new ValidationError([{ field: 'lineId', message: 'Select a line' }]);
    await register.linkEntity(actorOf(req), lineId.data, id);
    return reply.redirect(`/staff/intel/entities/${id}?done=linked`, 303);
  });

  app.get('/staff/intel/network', read, async (req, reply) => {
    const actor = actorOf(req);
    const query = networkQuerySchema.parse(req.query ?? {});
    const net = await intel.network(actor, query);
    const order = [...net.nodes].sort((a, b) => b.pagerank - a.pagerank || b.degree - a.degree);
    const communities = new Map<number, number>();
    for (const n of net.nodes) communities.set(n.community, (communities.get(n.community) ?? 0) + 1);
    const label = new Map(net.nodes.map((n) => [n.id, n.label]));
    return reply.view('intel/views/network.njk', {
      ...common(actor, 'network'),
      query,
      net,
      tableNodes: order.slice(0, 200),
      tableEdges: [...net.edges].sort((a, b) => b.weight - a.weight).slice(0, 200).map((e) => ({ ...e, sourceLabel: label.get(e.source), targetLabel: label.get(e.target) })),
      communitySizes: [...communities.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20),
      jsonUrl: `/staff/intel/network.json?${new URLSearchParams({ ...(query.focus ? { focus: query.focus } : {}), hops: String(query.hops) }).toString()}`,
      exportQuery: new URLSearchParams({ ...(query.focus ? { focus: query.focus } : {}), hops: String(query.hops) }).toString(),
    });
  });

  app.get('/staff/intel/network.json', read, async (req) => {
    const net = await intel.network(actorOf(req), networkQuerySchema.parse(req.query ?? {}));
    const index = new Map(net.nodes.map((n, i) => [n.id, i]));
    // Compact arrays keep a few thousand nodes small: [id, label, type, x, y, community, degree, pagerank].
    return {
      nodes: net.nodes.map((n) => [n.id, n.label, n.type, n.x, n.y, n.community, n.degree, Number(n.pagerank.toPrecision(4))]),
      edges: net.edges.map((e) => [index.get(e.source), index.get(e.target), e.weight]),
      seeds: net.seeds,
      communityCount: net.communityCount,
      truncated: net.truncated,
    };
  });

  app.get('/staff/intel/map', read, async (req, reply) => {
    const actor = actorOf(req);
    const view = z.string().max(20).optional().catch(undefined).parse((req.query as Record<string, unknown>).view);
    return reply.view('intel/views/map.njk', { ...common(actor, 'map'), map: await intel.map(actor, view) });
  });

  app.get('/staff/intel/export/:format', { preHandler: requireStaff('intel:export') }, async (req, reply) => {
    const format = z.enum(EXPORT_FORMATS).safeParse((req.params as Record<string, unknown>).format);
    if (!format.success) throw new NotFoundError('export');
    const file = await intel.exportData(actorOf(req), format.data, networkQuerySchema.parse(req.query ?? {}));
    return reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });

  app.get('/staff/notifications', { preHandler: requireStaff() }, async (req, reply) => {
    const actor = actorOf(req);
    return reply.view('intel/views/notifications.njk', { ...(await notifications.list(actor)) });
  });

  app.post('/staff/notifications/:id/read', { preHandler: requireStaff() }, async (req, reply) => {
    const { id } = idParam.parse(req.params);
    await notifications.markRead(actorOf(req), id);
    return reply.redirect('/staff/notifications', 303);
  });
}
