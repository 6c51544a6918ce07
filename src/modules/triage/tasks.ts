/**
 * Overdue work: a job that finds inbox items past their due time and open case tasks past their
 * due date, and tells their owners in the app (the shared `notifications` table). It runs every
 * few minutes by re-enqueueing itself; intake and new tasks make sure one is queued, so the
 * sweep starts as soon as there is anything to watch and survives restarts (jobs live in SQL).
 *
 * Email: when SMTP_URL is configured, the sweep also queues one `triage.overdue_email` job per
 * recipient in the same transaction as the in-app notifications, so a failing mail server never
 * loses a notification and a failed email is retried by the job queue. An item or task addressed
 * to a person goes to that person; one addressed to a whole agency goes to the agency's active
 * users (not disabled, set-up finished) who can act on it: `report:triage` for inbox items,
 * `case:write` for tasks. The email carries references, counts and due times and a link to
 * /staff: never a narrative, a task title, a name or anything about a reporter. The job payload
 * holds the user id, not the address, and nothing logs an address.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../../db/database.ts';
import { isUuid } from '../../db/ids.ts';
import type { Platform } from '../../platform.ts';
import { permissionsFor, isRole, type Permission } from '../../auth/permissions.ts';
import { MailError } from '../../mail.ts';
import { markTaskNotified, overdueTasks } from './cases.repository.ts';
import { markItemNotified, overdueItems } from './inbox.repository.ts';

export const OVERDUE_JOB = 'triage.overdue';
export const OVERDUE_EVERY_MS = 5 * 60_000;
export const OVERDUE_EMAIL_JOB = 'triage.overdue_email';
/** Lines listed in one email; the rest are counted ("and 12 more"). */
const EMAIL_LINES = 50;
const BATCH = 500;

/** Queues the sweep unless one is already waiting (inside the caller's transaction). */
export async function ensureOverdueSweep(platform: Platform, tx: Queryable, runAt?: Date): Promise<void> {
  const { rows } = await tx.query(`SELECT 1 FROM jobs WHERE kind = $1 AND done_at IS NULL AND attempts < max_attempts LIMIT 1`, [OVERDUE_JOB]);
  if (rows.length === 0) await platform.jobs.enqueue(tx, OVERDUE_JOB, {}, runAt ? { runAt } : {});
}

async function notify(tx: Queryable, n: { userId: string | null; agencyId: string; kind: string; subjectType: string; subjectId: string; href: string; message: string; now: Date }): Promise<void> {
  await tx.query(
    `INSERT INTO notifications (user_id, agency_id, kind, subject_type, subject_id, href, message, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [n.userId, n.agencyId, n.kind, n.subjectType, n.subjectId, n.href, n.message, n.now],
  );
}

/** One line of an overdue email: what it is (by reference), never what it is about. */
const emailLine = z.object({
  kind: z.enum(['item', 'task']),
  reference: z.string().max(64).nullable(),
  dueAt: z.iso.datetime(),
});
type EmailLine = z.infer<typeof emailLine>;
const emailPayload = z.object({ userId: z.string().min(1).max(64), lines: z.array(emailLine).max(EMAIL_LINES), total: z.number().int().min(1) });
type EmailPayload = z.infer<typeof emailPayload>;

/** What each kind of overdue work asks of the people it is addressed to. */
const ACTS_ON: Record<EmailLine['kind'], Permission> = { item: 'report:triage', task: 'case:write' };

/**
 * Who gets an email about each line: the named user, or the agency's active users who can act on
 * it. Disabled users and users who never finished set-up get none. Returns lines per user id.
 */
async function emailRecipients(
  tx: Queryable,
  wanted: ReadonlyArray<{ userId: string | null; agencyId: string; line: EmailLine }>,
): Promise<Map<string, EmailLine[]>> {
  const userIds = [...new Set(wanted.flatMap((w) => (w.userId ? [w.userId] : [])))];
  const agencyIds = [...new Set(wanted.flatMap((w) => (w.userId ? [] : [w.agencyId])))];
  const { rows } = await tx.query<{ id: string; agency_id: string; roles: string[] }>(
    `SELECT id::text AS id, agency_id::text AS agency_id, roles FROM users
     WHERE NOT disabled AND password_hash IS NOT NULL AND (id::text = ANY ($1::text[]) OR agency_id::text = ANY ($2::text[]))`,
    [userIds, agencyIds],
  );
  const active = new Map(rows.map((u) => [u.id, { agencyId: u.agency_id, permissions: permissionsFor(u.roles.filter(isRole)) }]));
  const byAgency = new Map<string, string[]>();
  for (const [id, u] of active) byAgency.set(u.agencyId, [...(byAgency.get(u.agencyId) ?? []), id]);
  const out = new Map<string, EmailLine[]>();
  const add = (userId: string, line: EmailLine) => out.set(userId, [...(out.get(userId) ?? []), line]);
  for (const w of wanted) {
    if (w.userId) {
      if (active.has(w.userId)) add(w.userId, w.line);
      continue;
    }
    for (const id of byAgency.get(w.agencyId) ?? []) if (active.get(id)?.permissions.has(ACTS_ON[w.line.kind])) add(id, w.line);
  }
  return out;
}

const dueFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** The email for one recipient: subject and plain text, references and due times only. */
export function overdueEmail(payload: EmailPayload, baseUrl: string): { subject: string; text: string } {
  const { lines, total } = payload;
  const subject = `Lookout: ${total} overdue ${total === 1 ? 'item needs' : 'items need'} attention`;
  const describe = (l: EmailLine): string =>
    l.kind === 'item' ? `Inbox item ${l.reference ?? ''}`.trim() : l.reference ? `A task on case ${l.reference}` : 'A task';
  const body = [
    `${total === 1 ? 'This is' : `These ${total} are`} now overdue in Lookout:`,
    '',
    ...lines.map((l) => `- ${describe(l)}: was due ${dueFormat.format(new Date(l.dueAt))}`),
    ...(total > lines.length ? [`- and ${total - lines.length} more`] : []),
    '',
    `Sign in to Lookout to see ${total === 1 ? 'it' : 'them'}: ${baseUrl}/staff`,
    '',
    'For safety this email gives references and due times only: the details are in Lookout.',
    'You get this email because the work is assigned to you or to your agency. Do not reply to it.',
  ];
  return { subject, text: `${body.join('\n')}\n` };
}

/** One sweep: notifies owners of newly overdue items and tasks. Returns how many were notified. */
export async function sweepOverdue(platform: Platform): Promise<{ items: number; tasks: number }> {
  const { db, clock, audit, jobs, mailer } = platform;
  const now = clock();
  const actor = { kind: 'system' as const, name: OVERDUE_JOB, correlationId: randomUUID() };
  const items = await overdueItems(db, now, BATCH);
  const tasks = await overdueTasks(db, now, BATCH);
  if (items.length === 0 && tasks.length === 0) return { items: 0, tasks: 0 };
  await db.transaction(async (tx) => {
    const wanted: Array<{ userId: string | null; agencyId: string; line: EmailLine }> = [];
    for (const i of items) {
      const agencyId = i.assigned_agency_id ?? i.owner_agency_id;
      // The message names the kind of thing, never its content.
      await notify(tx, {
        userId: i.assigned_user_id,
        agencyId,
        kind: 'triage.item_overdue',
        subjectType: 'item',
        subjectId: i.id,
        href: `/staff/inbox/${i.id}`,
        message: `Inbox item ${i.reference} is overdue`,
        now,
      });
      await markItemNotified(tx, i.id, now);
      wanted.push({ userId: i.assigned_user_id, agencyId, line: { kind: 'item', reference: i.reference, dueAt: i.due_at.toISOString() } });
    }
    for (const t of tasks) {
      await notify(tx, {
        userId: t.owner_user_id,
        agencyId: t.owner_agency_id,
        kind: 'triage.task_overdue',
        subjectType: 'task',
        subjectId: t.id,
        href: t.case_id ? `/staff/cases/${t.case_id}#tasks` : '/staff/cases?mine',
        message: t.case_reference ? `A task on case ${t.case_reference} is overdue` : 'A task is overdue',
        now,
      });
      await markTaskNotified(tx, t.id, now);
      // The task's title is free text a case worker typed: it stays out of email.
      wanted.push({ userId: t.owner_user_id, agencyId: t.owner_agency_id, line: { kind: 'task', reference: t.case_reference, dueAt: t.due_at.toISOString() } });
    }
    let emails = 0;
    if (mailer.enabled) {
      for (const [userId, lines] of await emailRecipients(tx, wanted)) {
        const payload: EmailPayload = { userId, lines: lines.slice(0, EMAIL_LINES), total: lines.length };
        await jobs.enqueue(tx, OVERDUE_EMAIL_JOB, payload);
        emails += 1;
      }
    }
    await audit.record(tx, actor, { action: 'triage.overdue.notify', subjectType: 'item', detail: { items: items.length, tasks: tasks.length, emails } });
  });
  return { items: items.length, tasks: tasks.length };
}

/** Sends one queued overdue email. A failure is logged without the address and retried by the queue. */
async function sendOverdueEmail(platform: Platform, raw: Record<string, unknown>, attempt: number): Promise<void> {
  const { mailer, logger, db, config } = platform;
  if (!mailer.enabled) return; // SMTP_URL was removed since the email was queued: in-app only.
  const parsed = emailPayload.safeParse(raw);
  if (!parsed.success) {
    logger.warn({ job: OVERDUE_EMAIL_JOB }, 'overdue email dropped: malformed payload');
    return;
  }
  // The address is looked up at send time (never stored in the queue) and the user checked again.
  if (!isUuid(parsed.data.userId)) return;
  const { rows } = await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1::uuid AND NOT disabled', [parsed.data.userId]);
  const to = rows[0]?.email;
  if (!to) return;
  try {
    await mailer.send({ to, ...overdueEmail(parsed.data, config.baseUrl) });
  } catch (err) {
    const e = err instanceof MailError ? err : new MailError('EUNKNOWN', undefined);
    logger.warn({ job: OVERDUE_EMAIL_JOB, attempt, errorCode: e.errorCode, responseCode: e.responseCode }, 'overdue email not sent; the in-app notification stands and the email will be retried');
    throw e;
  }
}

/** Registers the sweep (each run queues the next one OVERDUE_EVERY_MS later) and the email sender. */
export function registerOverdueJob(platform: Platform): void {
  platform.jobs.register(OVERDUE_EMAIL_JOB, (payload, ctx) => sendOverdueEmail(platform, payload, ctx.attempt));
  platform.jobs.register(OVERDUE_JOB, async () => {
    try {
      await sweepOverdue(platform);
    } finally {
      await platform.db.transaction(async (tx) => {
        await platform.jobs.enqueue(tx, OVERDUE_JOB, {}, { runAt: new Date(Date.now() + OVERDUE_EVERY_MS) });
      });
    }
  });
}
