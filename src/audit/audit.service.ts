/**
 * Searching the audit trail (admins). An admin sees events done by people of their own agency and
 * events about their agency's user accounts (such as failed sign-ins). The search is audited too.
 */
import type { Platform } from '../platform.ts';
import { ValidationError } from '../errors.ts';
import { access, type StaffActor } from '../auth/access.ts';
import { mapAuditRow, type AuditRow } from './audit.ts';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditSearch {
  /** Email address of the person who acted (own agency). */
  user?: string | undefined;
  /** Subject id, or "type:id" (e.g. "user:2f1c..."). */
  subject?: string | undefined;
  /** Inclusive dates, YYYY-MM-DD (Europe/London days are close enough to UTC days for a search). */
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
}

export interface AuditEntry extends AuditRow {
  actorName: string | null;
}

export interface AuditPage {
  rows: AuditEntry[];
  total: number;
  page: number;
  pages: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function createAuditLogService(platform: Platform) {
  const { db, audit } = platform;
  return {
    async search(actor: StaffActor, input: AuditSearch): Promise<AuditPage> {
      access.require(actor, 'audit:read');
      const errors: { field: string; message: string }[] = [];
      const from = input.from?.trim() || undefined;
      const to = input.to?.trim() || undefined;
      if (from && (!DATE_RE.test(from) || Number.isNaN(Date.parse(from)))) errors.push({ field: 'from', message: 'Enter the start date as YYYY-MM-DD' });
      if (to && (!DATE_RE.test(to) || Number.isNaN(Date.parse(to)))) errors.push({ field: 'to', message: 'Enter the end date as YYYY-MM-DD' });
      if (errors.length) throw new ValidationError(errors);
      const page = Math.max(1, Math.min(100_000, Math.floor(input.page ?? 1)));

      const where: string[] = [
        `(a.actor_agency = $1 OR (a.subject_type = 'user' AND a.subject_id IN (SELECT id::text FROM users WHERE agency_id = $1::uuid)))`,
      ];
      const params: unknown[] = [actor.agencyId];
      const user = input.user?.trim().toLowerCase();
      if (user) {
        params.push(user);
        where.push(`a.actor_id IN (SELECT id::text FROM users WHERE email = $${params.length} AND agency_id = $1::uuid)`);
      }
      const subject = input.subject?.trim();
      if (subject) {
        const m = /^([a-z_]+):(.+)$/.exec(subject);
        if (m) {
          params.push(m[1], m[2]);
          where.push(`a.subject_type = $${params.length - 1} AND a.subject_id = $${params.length}`);
        } else {
          params.push(subject);
          where.push(`a.subject_id = $${params.length}`);
        }
      }
      if (from) {
        params.push(`${from}T00:00:00Z`);
        where.push(`a.at >= $${params.length}::timestamptz`);
      }
      if (to) {
        params.push(`${to}T00:00:00Z`);
        where.push(`a.at < $${params.length}::timestamptz + interval '1 day'`);
      }
      const clause = where.join(' AND ');
      return db.transaction(async (tx) => {
        const count = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events a WHERE ${clause}`, params);
        const total = count.rows[0]?.n ?? 0;
        const { rows } = await tx.query<Parameters<typeof mapAuditRow>[0] & { actor_name: string | null }>(
          `SELECT a.*, u.name AS actor_name FROM audit_events a LEFT JOIN users u ON u.id::text = a.actor_id
           WHERE ${clause} ORDER BY a.seq DESC LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${(page - 1) * AUDIT_PAGE_SIZE}`,
          params,
        );
        await audit.record(tx, actor, {
          action: 'audit.view',
          detail: { user: user || null, subject: subject || null, from: from ?? null, to: to ?? null, page },
        });
        return {
          rows: rows.map((r) => ({ ...mapAuditRow(r), actorName: r.actor_name })),
          total,
          page,
          pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
        };
      });
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
