/**
 * Staff accounts and agencies. Admins manage users of their own agency only (other agencies'
 * users are "not found"); the CLI acts as the system and names the agency.
 */
import { randomUUID } from 'node:crypto';
import type { Platform } from '../platform.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { access, type Actor, type StaffActor } from './access.ts';
import { isRole, ROLES, type Role } from './permissions.ts';
import type { AuthService } from './auth.service.ts';
import * as repo from './auth.repository.ts';
import { AGENCY_KINDS, type AgencyKind } from './auth.repository.ts';

export interface Agency {
  id: string;
  name: string;
  kind: AgencyKind;
  area: string;
}

export interface StaffUser {
  id: string;
  agencyId: string;
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  /** 'invited' until the set-up link has been used to choose a password and an authenticator. */
  status: 'active' | 'invited' | 'disabled';
  lastSignInAt: Date | null;
}

export interface NewUserInput {
  email: string;
  name: string;
  roles: string[];
  /** Required for the system actor; staff admins always add to their own agency. */
  agencyId?: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function toAgency(r: repo.AgencyRow): Agency {
  return { id: r.id, name: r.name, kind: r.kind, area: r.area };
}

function toUser(r: repo.UserRow): StaffUser {
  return {
    id: r.id,
    agencyId: r.agency_id,
    email: r.email,
    name: r.name,
    roles: r.roles.filter(isRole),
    disabled: r.disabled,
    status: r.disabled ? 'disabled' : r.totp_secret_enc ? 'active' : 'invited',
    lastSignInAt: r.last_sign_in_at,
  };
}

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  police: 'Police',
  childrens_social_care: "Children's social care",
  adult_social_care: 'Adult social care',
  education: 'Education',
  health: 'Health',
  youth_justice: 'Youth justice',
  voluntary_sector: 'Voluntary sector',
  reporting_intermediary: 'Reporting intermediary',
};

export function createUsersService(platform: Platform, deps: { auth: AuthService }) {
  const { db, clock, audit, config } = platform;

  /** The user, if the actor may manage them (own agency; the system may manage anyone). */
  async function manageable(actor: Actor, id: string): Promise<repo.UserRow> {
    const user = await repo.findUser(db, id);
    access.requireVisible(actor, user ? { ownerAgencyId: user.agency_id } : null, 'user', id);
    return user as repo.UserRow;
  }

  async function setDisabled(actor: Actor, id: string, disabled: boolean): Promise<StaffUser> {
    access.require(actor, 'user:manage');
    const user = await manageable(actor, id);
    if (disabled && actor.kind === 'staff' && actor.userId === user.id) {
      throw new ValidationError([{ field: 'disable', message: 'You cannot disable your own account' }]);
    }
    await db.transaction(async (tx) => {
      await repo.setDisabled(tx, user.id, disabled);
      // A disabled user's sessions end now (they would be refused anyway: see sessions.ts).
      const ended = disabled ? await repo.deleteSessionsOfUser(tx, user.id) : 0;
      await audit.record(tx, actor, { action: disabled ? 'user.disable' : 'user.enable', subjectType: 'user', subjectId: user.id, detail: disabled ? { sessionsEnded: ended } : {} });
    });
    return toUser({ ...user, disabled });
  }

  return {
    /** Who is signed in, with their agency (the staff home page). */
    async profile(actor: StaffActor): Promise<{ user: StaffUser; agency: Agency }> {
      const user = await repo.findUser(db, actor.userId);
      const agency = await repo.findAgency(db, actor.agencyId);
      if (!user || !agency) throw new NotFoundError('user', actor.userId);
      return { user: toUser(user), agency: toAgency(agency) };
    },

    /** Users of the admin's own agency. */
    async list(actor: StaffActor): Promise<{ users: StaffUser[]; agency: Agency }> {
      access.require(actor, 'user:manage');
      const agency = await repo.findAgency(db, actor.agencyId);
      if (!agency) throw new NotFoundError('agency', actor.agencyId);
      return db.transaction(async (tx) => {
        const users = (await repo.listUsersOfAgency(tx, actor.agencyId)).map(toUser);
        await audit.record(tx, actor, { action: 'user.list', subjectType: 'agency', subjectId: actor.agencyId });
        return { users, agency: toAgency(agency) };
      });
    },

    async get(actor: Actor, id: string): Promise<StaffUser & { liveSessions: number }> {
      access.require(actor, 'user:manage');
      const user = await manageable(actor, id);
      return db.transaction(async (tx) => {
        const liveSessions = await repo.countLiveSessions(tx, user.id, clock());
        await audit.record(tx, actor, { action: 'user.view', subjectType: 'user', subjectId: user.id });
        return { ...toUser(user), liveSessions };
      });
    },

    /** Adds a user and returns their one-time set-up link (valid 72 hours; only its hash is kept). */
    async add(actor: Actor, input: NewUserInput): Promise<{ user: StaffUser; setupUrl: string; expiresAt: Date }> {
      access.require(actor, 'user:manage');
      const agencyId = actor.kind === 'staff' ? actor.agencyId : input.agencyId;
      const errors: { field: string; message: string }[] = [];
      const email = input.email.trim().toLowerCase();
      const name = input.name.trim();
      if (!EMAIL_RE.test(email) || email.length > 254) errors.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' });
      if (!name || name.length > 200) errors.push({ field: 'name', message: 'Enter the full name, 200 characters or fewer' });
      const roles = [...new Set(input.roles)];
      if (roles.length === 0) errors.push({ field: 'roles', message: 'Select at least one role' });
      else if (!roles.every(isRole)) errors.push({ field: 'roles', message: `Roles must be from: ${ROLES.join(', ')}` });
      if (!agencyId) errors.push({ field: 'agency', message: 'Name the agency' });
      if (errors.length) throw new ValidationError(errors);
      const agency = await repo.findAgency(db, agencyId as string);
      if (!agency) throw new ValidationError([{ field: 'agency', message: 'No such agency' }]);
      if (await repo.findUserByEmail(db, email)) throw new ValidationError([{ field: 'email', message: 'A user with this email address already exists' }]);
      const setup = deps.auth.newSetupToken();
      const id = randomUUID();
      const now = clock();
      await db.transaction(async (tx) => {
        await repo.insertUser(tx, { id, agency_id: agency.id, email, name, roles, setup_token_hash: setup.hash, setup_expires_at: setup.expiresAt }, now);
        await audit.record(tx, actor, { action: 'user.add', subjectType: 'user', subjectId: id, detail: { agencyId: agency.id, roles } });
      });
      const user = await repo.findUser(db, id);
      return { user: toUser(user as repo.UserRow), setupUrl: `${config.baseUrl}/staff/set-up/${setup.token}`, expiresAt: setup.expiresAt };
    },

    disable: (actor: Actor, id: string) => setDisabled(actor, id, true),
    enable: (actor: Actor, id: string) => setDisabled(actor, id, false),

    /** For the CLI: the user's id by email (the system actor only). */
    async idByEmail(actor: Actor, email: string): Promise<string> {
      access.require(actor, 'user:manage');
      const user = await repo.findUserByEmail(db, email);
      access.requireVisible(actor, user ? { ownerAgencyId: user.agency_id } : null, 'user', email);
      return (user as repo.UserRow).id;
    },

    /** Ends every session of a user (lost device, suspected misuse). */
    async endSessions(actor: Actor, id: string): Promise<number> {
      access.require(actor, 'user:manage');
      const user = await manageable(actor, id);
      return db.transaction(async (tx) => {
        const ended = await repo.deleteSessionsOfUser(tx, user.id);
        await audit.record(tx, actor, { action: 'user.sessions.revoke', subjectType: 'user', subjectId: user.id, detail: { sessionsEnded: ended } });
        return ended;
      });
    },
  };
}

export function createAgenciesService(platform: Platform) {
  const { db, clock, audit } = platform;
  return {
    /** Adds an agency. Only the system (the CLI) may: agencies are set up by the service owner. */
    async add(actor: Actor, input: { name: string; kind: string; area: string }): Promise<Agency> {
      if (actor.kind !== 'system') throw new ForbiddenError('agency:add');
      const name = input.name.trim();
      const area = input.area.trim();
      const errors: { field: string; message: string }[] = [];
      if (!name) errors.push({ field: 'name', message: 'Enter the agency name' });
      if (!(AGENCY_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: 'kind', message: `Kind must be one of: ${AGENCY_KINDS.join(', ')}` });
      if (!area) errors.push({ field: 'area', message: 'Enter the area the agency covers' });
      if (errors.length) throw new ValidationError(errors);
      if (await repo.findAgencyByName(db, name)) throw new ValidationError([{ field: 'name', message: 'An agency with this name already exists' }]);
      const agency: Agency = { id: randomUUID(), name, kind: input.kind as AgencyKind, area };
      await db.transaction(async (tx) => {
        await repo.insertAgency(tx, agency, clock());
        await audit.record(tx, actor, { action: 'agency.add', subjectType: 'agency', subjectId: agency.id, detail: { name, kind: agency.kind, area } });
      });
      return agency;
    },

    /** Every agency (for sharing between agencies and for pickers). Not protected data. */
    async list(): Promise<Agency[]> {
      return (await repo.listAgencies(db)).map(toAgency);
    },

    /** By id, or by name (case-insensitive), for the CLI. */
    async find(idOrName: string): Promise<Agency | undefined> {
      const row = (await repo.findAgency(db, idOrName)) ?? (await repo.findAgencyByName(db, idOrName));
      return row ? toAgency(row) : undefined;
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
export type AgenciesService = ReturnType<typeof createAgenciesService>;
