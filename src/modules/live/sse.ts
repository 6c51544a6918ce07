/**
 * Server-sent events for live sessions. One hub per app instance, subscribed ONCE to the event
 * bus (LISTEN/NOTIFY across instances; in process on PGlite). Each session with open streams has
 * one in-memory channel that coalesces bursts of events: at most one database read and one write
 * per connection every `coalesceMs`, however many votes arrive. The first event after a quiet spell
 * is sent at once (leading edge), so a single vote is not delayed by the throttle.
 */
import type { ServerResponse } from 'node:http';
import type { EventBus, EventEnvelope } from '../../events.ts';
import type { Logger } from '../../logger.ts';

/** What attendees are told: enough to know when to show the next slide. */
export interface StreamState {
  sessionId: string;
  slideId: string;
  slideIndex: number;
  kind: string;
  locked: boolean;
  revealed: boolean;
  ended: boolean;
  version: number;
}

export interface StreamCounts {
  questionId: string;
  counts: Record<string, number>;
  total: number;
}

export type StreamRole = 'attendee' | 'presenter';

export interface LiveHubDeps {
  events: EventBus;
  logger: Logger;
  loadState(sessionId: string): Promise<StreamState | undefined>;
  loadCounts(sessionId: string, questionId: string): Promise<StreamCounts>;
  isQuestion(state: StreamState): boolean;
  coalesceMs?: number;
  heartbeatMs?: number;
}

export interface LiveHub {
  /** Takes over `res` as an event stream for this session until the client goes away. */
  attach(sessionId: string, role: StreamRole, res: ServerResponse): Promise<void>;
  /** Ends every stream (server shutdown), so closing the HTTP server does not wait on them. */
  closeAll(): void;
  stop(): void;
  stats(): { sessions: number; attendees: number; presenters: number };
}

interface Channel {
  id: string;
  attendees: Set<ServerResponse>;
  presenters: Set<ServerResponse>;
  state: StreamState | undefined;
  stateDirty: boolean;
  countsDirty: Set<string>;
  timer: NodeJS.Timeout | undefined;
  flushing: boolean;
  lastFlush: number;
}

// A client that stops reading is dropped rather than buffering without bound.
const MAX_BUFFERED = 256 * 1024;

export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const coalesceMs = deps.coalesceMs ?? 50;
  const heartbeatMs = deps.heartbeatMs ?? 20_000;
  const channels = new Map<string, Channel>();
  let heartbeat: NodeJS.Timeout | undefined;

  function write(res: ServerResponse, chunk: string, ch?: Channel): void {
    if (res.destroyed || res.writableEnded) return;
    if (res.writableLength > MAX_BUFFERED) {
      res.destroy();
      if (ch) detach(ch, res);
      return;
    }
    res.write(chunk);
  }

  function broadcast(set: Set<ServerResponse>, chunk: string, ch: Channel): void {
    for (const res of set) write(res, chunk, ch);
  }

  function detach(ch: Channel, res: ServerResponse): void {
    ch.attendees.delete(res);
    ch.presenters.delete(res);
    if (ch.attendees.size === 0 && ch.presenters.size === 0 && channels.get(ch.id) === ch) {
      if (ch.timer) clearTimeout(ch.timer);
      channels.delete(ch.id);
    }
    if (channels.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  function schedule(ch: Channel): void {
    if (ch.timer || ch.flushing) return;
    const wait = Math.max(0, ch.lastFlush + coalesceMs - Date.now());
    ch.timer = setTimeout(() => void flush(ch), wait);
  }

  async function flush(ch: Channel): Promise<void> {
    ch.timer = undefined;
    ch.flushing = true;
    ch.lastFlush = Date.now();
    try {
      if (ch.stateDirty) {
        ch.stateDirty = false;
        const state = await deps.loadState(ch.id);
        if (state) {
          ch.state = state;
          const chunk = frame('state', state);
          broadcast(ch.attendees, chunk, ch);
          broadcast(ch.presenters, chunk, ch);
          if (deps.isQuestion(state)) ch.countsDirty.add(state.slideId);
        }
      }
      if (ch.countsDirty.size && ch.presenters.size) {
        const current = ch.state?.slideId;
        const wanted = [...ch.countsDirty].filter((q) => q === current);
        ch.countsDirty.clear();
        for (const q of wanted) broadcast(ch.presenters, frame('counts', await deps.loadCounts(ch.id, q)), ch);
      } else ch.countsDirty.clear();
    } catch (err) {
      deps.logger.warn({ err: { message: err instanceof Error ? err.message : String(err) }, sessionId: ch.id }, 'live stream update failed');
    } finally {
      ch.flushing = false;
      if (ch.stateDirty || ch.countsDirty.size) schedule(ch);
    }
  }

  function onEvent(e: EventEnvelope): void {
    if (e.kind !== 'live.vote' && e.kind !== 'live.state') return;
    const ch = channels.get(e.payload.sessionId);
    if (!ch) return;
    if (e.kind === 'live.state') ch.stateDirty = true;
    else ch.countsDirty.add(e.payload.questionId);
    schedule(ch);
  }
  const unsubscribe = deps.events.subscribe(onEvent);

  return {
    async attach(sessionId, role, res) {
      let ch = channels.get(sessionId);
      if (!ch) {
        ch = { id: sessionId, attendees: new Set(), presenters: new Set(), state: undefined, stateDirty: false, countsDirty: new Set(), timer: undefined, flushing: false, lastFlush: 0 };
        channels.set(sessionId, ch);
      }
      const channel = ch;
      (role === 'presenter' ? channel.presenters : channel.attendees).add(res);
      res.on('close', () => detach(channel, res));
      if (!heartbeat) {
        heartbeat = setInterval(() => {
          for (const c of channels.values()) {
            broadcast(c.attendees, ': keep-alive\n\n', c);
            broadcast(c.presenters, ': keep-alive\n\n', c);
          }
        }, heartbeatMs);
        heartbeat.unref();
      }
      // Ask browsers to reconnect after 3 s if the connection drops.
      write(res, 'retry: 3000\n\n');
      // The cached state may be a few milliseconds old: pages compare `version` and ignore older.
      const state = channel.state ?? (channel.state = await deps.loadState(sessionId));
      if (!state) return;
      write(res, frame('state', state), channel);
      if (role === 'presenter' && deps.isQuestion(state)) write(res, frame('counts', await deps.loadCounts(sessionId, state.slideId)), channel);
    },
    closeAll() {
      for (const ch of [...channels.values()]) {
        for (const res of [...ch.attendees, ...ch.presenters]) res.end();
        if (ch.timer) clearTimeout(ch.timer);
      }
      channels.clear();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
    },
    stop() {
      unsubscribe();
      this.closeAll();
    },
    stats() {
      let attendees = 0;
      let presenters = 0;
      for (const ch of channels.values()) {
        attendees += ch.attendees.size;
        presenters += ch.presenters.size;
      }
      return { sessions: channels.size, attendees, presenters };
    },
  };
}
