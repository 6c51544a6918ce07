/**
 * Overdue work: a job that finds inbox items past their due time and open case tasks past their
 * due date, and tells their owners in the app (the shared `notifications` table). It runs every
 * few minutes by re-enqueueing itself; intake and new tasks make sure one is queued, so the
 * sweep starts as soon as there is anything to watch and survives restarts (jobs live in SQL).
 *
 * Email: when SMTP_URL is configured an email would be sent too; Lookout has no SMTP client
 * dependency yet, so the job logs that email was skipped (see the triage README note).
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';
import type { Platform } from '../../platform.ts';
import { markTaskNotified, overdueTasks } from './cases.repository.ts';
import { markItemNotified, overdueItems } from './inbox.repository.ts';

export const OVERDUE_JOB = 'triage.overdue';
export const OVERDUE_EVERY_MS = 5 * 60_000;
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

/** One sweep: notifies owners of newly overdue items and tasks. Returns how many were notified. */
export async function sweepOverdue(platform: Platform): Promise<{ items: number; tasks: number }> {
  const { db, clock, audit, logger, config } = platform;
  const now = clock();
  const actor = { kind: 'system' as const, name: OVERDUE_JOB, correlationId: randomUUID() };
  const items = await overdueItems(db, now, BATCH);
  const tasks = await overdueTasks(db, now, BATCH);
  if (items.length === 0 && tasks.length === 0) return { items: 0, tasks: 0 };
  await db.transaction(async (tx) => {
    for (const i of items) {
      // The message names the kind of thing, never its content.
      await notify(tx, {
        userId: i.assigned_user_id,
        agencyId: i.assigned_agency_id ?? i.owner_agency_id,
        kind: 'triage.item_overdue',
        subjectType: 'item',
        subjectId: i.id,
        href: `/staff/inbox/${i.id}`,
        message: `Inbox item ${i.reference} is overdue`,
        now,
      });
      await markItemNotified(tx, i.id, now);
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
    }
    await audit.record(tx, actor, { action: 'triage.overdue.notify', subjectType: 'item', detail: { items: items.length, tasks: tasks.length } });
  });
  if (config.smtpUrl) logger.warn({ items: items.length, tasks: tasks.length }, 'overdue email skipped: no SMTP client is installed; owners were notified in the app');
  return { items: items.length, tasks: tasks.length };
}

/** Registers the sweep; each run queues the next one OVERDUE_EVERY_MS later. */
export function registerOverdueJob(platform: Platform): void {
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
