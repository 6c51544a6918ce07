/**
 * In-app notifications (table `notifications`), shared with triage: `notify(tx, drafts)` inside
 * the transaction that caused them; staff read theirs on /staff/notifications. A notification
 * addressed to no user (user_id null) is for everyone in the agency.
 */
import type { Queryable } from '../../db/database.ts';
import type { Platform } from '../../platform.ts';
import type { StaffActor } from '../../auth/access.ts';
import { NotFoundError } from '../../errors.ts';
import type { Notification, NotificationDraft } from './intel.types.ts';
import * as repo from './register.repository.ts';

export function createNotificationsService(platform: Platform) {
  const { db, clock, events } = platform;
  async function announce(tx: Queryable, drafts: readonly NotificationDraft[]): Promise<void> {
    for (const userId of new Set(drafts.map((d) => d.userId).filter((u): u is string => !!u))) {
      await events.publish('notification.created', { userId }, tx);
    }
  }
  return {
    /** Creates notifications in the caller's transaction and tells listening pages (by user id only). */
    async notify(tx: Queryable, drafts: readonly NotificationDraft[]): Promise<number[]> {
      const ids = await repo.insertNotifications(tx, drafts, clock());
      await announce(tx, drafts);
      return ids;
    },

    /** Tells listening pages about notifications already inserted in `tx` (ingest writes them with its suggestions). */
    announce,

    /** The signed-in user's notifications, newest first. Any staff member may read their own. */
    async list(actor: StaffActor): Promise<{ items: Notification[]; unread: number }> {
      const items = await repo.notificationsFor(db, actor.userId, actor.agencyId);
      return { items, unread: items.filter((n) => !n.readAt).length };
    },

    async unreadCount(actor: StaffActor): Promise<number> {
      return repo.unreadCount(db, actor.userId, actor.agencyId);
    },

    async markRead(actor: StaffActor, id: number): Promise<void> {
      const ok = await repo.markRead(db, id, actor.userId, actor.agencyId, clock());
      if (!ok) throw new NotFoundError('notification', String(id));
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
