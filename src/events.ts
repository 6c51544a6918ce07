/**
 * Cross-instance events over PostgreSQL LISTEN/NOTIFY (in process on PGlite). Every event kind
 * and its payload is named in EventMap; modules add their kinds here.
 */
import type { Database, Queryable } from './db/database.ts';

export interface EventMap {
  'live.vote': { sessionId: string; questionId: string };
  'live.state': { sessionId: string };
  'notification.created': { userId: string };
}

export type EventKind = keyof EventMap;
export type EventEnvelope = { [K in EventKind]: { kind: K; payload: EventMap[K] } }[EventKind];

const CHANNEL = 'lookout_events';
// NOTIFY payloads are limited to 8000 bytes: events carry ids, never content.
const MAX_PAYLOAD = 7900;

export interface EventBus {
  publish<K extends EventKind>(kind: K, payload: EventMap[K], tx?: Queryable): Promise<void>;
  subscribe(handler: (event: EventEnvelope) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEventBus(db: Database): EventBus {
  const handlers = new Set<(event: EventEnvelope) => void>();
  let unlisten: (() => Promise<void>) | undefined;
  return {
    async publish(kind, payload, tx) {
      const text = JSON.stringify({ kind, payload });
      if (text.length > MAX_PAYLOAD) throw new Error(`event ${kind} payload too large`);
      await (tx ?? db).query('SELECT pg_notify($1, $2)', [CHANNEL, text]);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async start() {
      if (unlisten) return;
      unlisten = await db.listen(CHANNEL, (raw) => {
        let event: EventEnvelope;
        try {
          event = JSON.parse(raw) as EventEnvelope;
        } catch {
          return;
        }
        for (const h of handlers) h(event);
      });
    },
    async stop() {
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
