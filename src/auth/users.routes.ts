/** Admin pages: the users of the admin's own agency, adding users, disabling and ending sessions. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/app.ts';
import { registerStaffNav } from '../http/staff-nav.ts';
import { ValidationError } from '../errors.ts';
import { actorOf, requireStaff } from './guard.ts';
import { ROLES } from './permissions.ts';
import { idParam, newUserForm } from './auth.schema.ts';

registerStaffNav({ href: '/staff/users', text: 'Users', permission: 'user:manage', order: 80 });

const STATUS_LABELS = { active: 'Active', invited: 'Invited', disabled: 'Disabled' };
const STATUS_CLASSES = { active: 'govuk-tag--green', invited: 'govuk-tag--blue', disabled: 'govuk-tag--grey' };
const DONE: Record<string, string> = {
  disabled: 'The account is disabled and its sessions have ended.',
  enabled: 'The account is enabled.',
  'sessions-ended': 'All sessions have ended.',
};
const ROLE_HINTS: Record<string, string> = {
  admin: 'Manage users of your agency, search the audit log, retention',
  triage: 'Triage the inbox, grade, share and export reports',
  caseworker: 'Open and update cases for people at risk',
  analyst: 'Intelligence: deal lines, entities, network and map, exports',
  campaigns: 'Live awareness sessions and campaign results',
  viewer: 'Read reports, cases and intelligence',
};

export async function usersRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { users } = deps.services.auth;
  const guard = { preHandler: requireStaff('user:manage') };
  const roleItems = (selected: string[]) => ROLES.map((r) => ({ value: r, text: r, hint: { text: ROLE_HINTS[r] }, checked: selected.includes(r) }));

  app.get('/staff/users', guard, async (req, reply) => {
    const { users: list, agency } = await users.list(actorOf(req));
    return reply.view('auth/views/users.njk', { users: list, agency, statusLabels: STATUS_LABELS, statusClasses: STATUS_CLASSES });
  });

  app.get('/staff/users/new', guard, async (req, reply) => {
    const { agency } = await users.profile(actorOf(req));
    return reply.view('auth/views/user-new.njk', { agency, values: {}, roleItems: roleItems([]), fieldErrors: {} });
  });

  app.post('/staff/users/new', guard, async (req, reply) => {
    const actor = actorOf(req);
    const input = newUserForm.parse(req.body ?? {});
    try {
      const added = await users.add(actor, input);
      return reply.view('auth/views/user-added.njk', added);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { agency } = await users.profile(actor);
      return reply.code(400).view('auth/views/user-new.njk', {
        agency,
        values: input,
        roleItems: roleItems(input.roles),
        errorList: err.errors.map((e) => ({ text: e.message, href: e.field === 'roles' ? '#roles' : `#${e.field}` })),
        fieldErrors: Object.fromEntries(err.errors.map((e) => [e.field, e.message])),
      });
    }
  });

  app.get('/staff/users/:id', guard, async (req, reply) => {
    const actor = actorOf(req);
    const { id } = idParam.parse(req.params);
    const user = await users.get(actor, id);
    const done = DONE[String((req.query as Record<string, unknown>).done ?? '')];
    return reply.view('auth/views/user.njk', { user, done, isSelf: user.id === actor.userId, statusLabels: STATUS_LABELS });
  });

  const actions = {
    disable: { run: users.disable, done: 'disabled' },
    enable: { run: users.enable, done: 'enabled' },
    'end-sessions': { run: users.endSessions, done: 'sessions-ended' },
  } as const;
  for (const [name, action] of Object.entries(actions)) {
    app.post(`/staff/users/:id/${name}`, guard, async (req, reply) => {
      const { id } = idParam.parse(req.params);
      await action.run(actorOf(req), id);
      return reply.redirect(`/staff/users/${encodeURIComponent(id)}?done=${action.done}`, 303);
    });
  }
}
