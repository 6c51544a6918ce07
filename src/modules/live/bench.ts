/**
 * `lookout bench live`: a real app on a loopback port (the configured engine: PGlite in memory,
 * or a throwaway schema on DATABASE_URL), one session, N attendees holding REAL server-sent event
 * connections, each voting once. Measures:
 *  - vote-to-presenter latency: from sending a vote to the presenter's stream showing a count that
 *    includes it (the vote's reply says the option's new count; the first presenter update with at
 *    least that count for the option includes the vote, since counts only grow);
 *  - fan-out: from the presenter locking voting to every attendee stream hearing of it;
 *  - the attendees held: connections that stayed open, without error, through the whole run.
 * Attendees come from distinct loopback addresses (127.1.x.y) as phones would, so the per-address
 * vote rate limit sees one voter each. After the measurement, more attendees are opened in waves
 * until one fails or a limit is reached: the most attendees held without errors.
 * Options: --attendees N, --vote-seconds S, --max-attendees M (default 20,000).
 * Each attendee needs two file descriptors here (client and server in one process).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchReport } from '../../bench/bench.ts';
import type { StaffActor } from '../../auth/access.ts';
import { actorHeader, createSchema, startInstance, staffActor } from './testing.ts';

interface Attendee {
  req: http.ClientRequest;
  res?: http.IncomingMessage;
  connected: boolean;
  failed: boolean;
  closed: boolean;
  lockedAt?: number;
  buffer: string;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function argNumber(argv: string[], name: string): number | undefined {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

function fdLimit(): number | undefined {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

const addressOf = (i: number): string => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Parses SSE frames from a growing buffer; calls back with each (event, data) pair. */
function drain(a: { buffer: string }, chunk: string, on: (event: string, data: string) => void): void {
  a.buffer += chunk;
  let i: number;
  while ((i = a.buffer.indexOf('\n\n')) >= 0) {
    const block = a.buffer.slice(0, i);
    a.buffer = a.buffer.slice(i + 2);
    const ev = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (ev && data !== undefined) on(ev, data);
  }
}

export const benchmark: Benchmark = {
  name: 'live',
  description: 'Live event: N attendees on real SSE connections vote; vote-to-presenter latency p50/p99 and attendees held',
  async run({ quick, config, argv, log }): Promise<BenchReport> {
    const target = argNumber(argv, '--attendees') ?? (quick ? 50 : 5000);
    const voteSeconds = argNumber(argv, '--vote-seconds') ?? (quick ? 1 : 10);
    const notes: string[] = [];
    const limit = fdLimit();
    if (limit !== undefined && limit < target * 2 + 500) {
      notes.push(`Open-file limit ${limit} is below the ${target * 2 + 500} descriptors ${target} attendees need here: raise it (ulimit -n) for a full run.`);
      log(`  warning: ${notes[notes.length - 1]}`);
    }
    const secret = randomBytes(16).toString('hex');
    const schema = config.databaseUrl ? await createSchema(config.databaseUrl) : undefined;
    const instance = await startInstance({
      ...(schema && config.databaseUrl ? { schema: schema.schema, databaseUrl: config.databaseUrl } : { memory: true }),
      actorSecret: secret,
      env: { LOG_LEVEL: 'warn' },
      config: { databasePoolSize: Math.max(config.databasePoolSize, 10) },
    });
    const attendees: Attendee[] = [];
    let presenterReq: http.ClientRequest | undefined;
    try {
      await instance.app.listen({ port: 0, host: '127.0.0.1' });
      const addr = instance.app.server.address();
      if (!addr || typeof addr === 'string') throw new Error('server did not start');
      const port = addr.port;
      const actor: StaffActor = staffActor({ userId: 'bench-facilitator', agencyId: 'bench-agency' });
      const live = instance.container.services.live;
      const session = await live.createSession(actor, { deckId: 'parents-and-carers' });
      await live.control(actor, session.id, 'next'); // the first question
      const question = 'confidence-before';
      log(`  engine ${instance.container.platform.db.engine}; session ${session.code}; ${target} attendees; votes spread over ${voteSeconds} s`);

      // The presenter: one stream, every counts update timed on arrival.
      const updates: { at: number; counts: Record<string, number> }[] = [];
      await new Promise<void>((resolve, reject) => {
        const p = { buffer: '' };
        presenterReq = http.get({ host: '127.0.0.1', port, path: `/staff/live/${session.id}/events`, agent: false, headers: actorHeader(actor, secret) }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`presenter stream answered ${res.statusCode}`));
          res.setEncoding('utf8');
          res.on('data', (c: string) =>
            drain(p, c, (ev, data) => {
              if (ev !== 'counts') return;
              const d = JSON.parse(data) as { questionId: string; counts: Record<string, number> };
              if (d.questionId === question) updates.push({ at: performance.now(), counts: d.counts });
              resolve();
            }),
          );
        });
        presenterReq.on('error', reject);
      });

      // Attendees connect in batches; each is "connected" once its first state event arrives.
      const connectStart = performance.now();
      const batch = 250;
      const connect = (i: number) =>
        new Promise<void>((resolve) => {
          const a: Attendee = { req: undefined as unknown as http.ClientRequest, connected: false, failed: false, closed: false, buffer: '' };
          attendees.push(a);
          const fail = () => {
            if (!a.failed) a.failed = true;
            resolve();
          };
          a.req = http.get({ host: '127.0.0.1', port, path: `/live/${session.code}/events`, agent: false, localAddress: addressOf(i) }, (res) => {
            a.res = res;
            if (res.statusCode !== 200) return fail();
            res.setEncoding('utf8');
            res.on('data', (c: string) =>
              drain(a, c, (ev, data) => {
                if (ev !== 'state') return;
                const d = JSON.parse(data) as { locked: boolean };
                if (!a.connected) {
                  a.connected = true;
                  resolve();
                }
                if (d.locked && a.lockedAt === undefined) a.lockedAt = performance.now();
              }),
            );
            res.on('error', fail);
            res.on('close', () => {
              a.closed = true;
              if (!a.failed && a.lockedAt === undefined) a.failed = true;
            });
          });
          a.req.on('error', fail);
          a.req.setTimeout(30_000, fail);
        });
      /** Opens attendees [from, to) in waves; resolves to how many of them failed. */
      const connectRange = async (from: number, to: number): Promise<number> => {
        let failed = 0;
        for (let start = from; start < to; start += batch) {
          const wave: Promise<void>[] = [];
          for (let i = start; i < Math.min(to, start + batch); i++) wave.push(connect(i));
          await Promise.all(wave);
          failed += attendees.slice(start, Math.min(to, start + batch)).filter((a) => a.failed || !a.connected).length;
        }
        return failed;
      };
      await connectRange(0, target);
      const connectMs = performance.now() - connectStart;
      const connected = attendees.filter((a) => a.connected && !a.failed).length;
      log(`  ${connected}/${target} attendee streams open in ${Math.round(connectMs)} ms (server sees ${live.hub.stats().attendees})`);

      // Votes, paced evenly over the window; each records its send time and the option's new count.
      const votes: { option: string; sentAt: number; count?: number; error?: string }[] = [];
      const gap = (voteSeconds * 1000) / Math.max(1, connected);
      const voters = attendees.map((a, i) => ({ a, i })).filter(({ a }) => a.connected && !a.failed);
      const started = performance.now();
      await Promise.all(
        voters.map(
          ({ i }, k) =>
            new Promise<void>((resolve) => {
              const option = String((i % 5) + 1);
              const due = started + k * gap;
              setTimeout(() => {
                const v: (typeof votes)[number] = { option, sentAt: performance.now() };
                votes.push(v);
                const body = JSON.stringify({ questionId: question, option });
                const token = randomBytes(16).toString('base64url');
                const req = http.request(
                  {
                    host: '127.0.0.1',
                    port,
                    method: 'POST',
                    path: `/live/${session.code}/${token}/vote`,
                    agent: false,
                    localAddress: addressOf(i),
                    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
                  },
                  (res) => {
                    let text = '';
                    res.setEncoding('utf8');
                    res.on('data', (c: string) => (text += c));
                    res.on('end', () => {
                      if (res.statusCode === 200) v.count = (JSON.parse(text) as { votes: number }).votes;
                      else v.error = `HTTP ${res.statusCode}`;
                      resolve();
                    });
                  },
                );
                req.on('error', (e) => {
                  v.error = e.message;
                  resolve();
                });
                req.end(body);
              }, Math.max(0, due - performance.now()));
            }),
        ),
      );
      const voteWall = performance.now() - started;
      const ok = votes.filter((v) => v.count !== undefined);
      // Wait for the presenter to show every counted vote (or give up after 10 s).
      const expected = ok.length;
      const waitUntil = performance.now() + 10_000;
      const totalOf = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);
      while (performance.now() < waitUntil && totalOf(updates[updates.length - 1]?.counts ?? {}) < expected) await new Promise((r) => setTimeout(r, 20));
      const latencies: number[] = [];
      let unseen = 0;
      for (const v of ok) {
        const hit = updates.find((u) => u.at >= v.sentAt && (u.counts[v.option] ?? 0) >= (v.count ?? Infinity));
        if (hit) latencies.push(hit.at - v.sentAt);
        else unseen += 1;
      }
      latencies.sort((x, y) => x - y);

      // Fan-out: lock voting and time every attendee stream hearing it.
      const lockAt = performance.now();
      await live.control(actor, session.id, 'lock');
      const fanWait = performance.now() + 15_000;
      const holding = () => attendees.filter((a) => a.connected && !a.failed);
      while (performance.now() < fanWait && holding().some((a) => a.lockedAt === undefined)) await new Promise((r) => setTimeout(r, 10));
      const fan = holding()
        .filter((a) => a.lockedAt !== undefined)
        .map((a) => (a.lockedAt ?? 0) - lockAt)
        .sort((x, y) => x - y);
      const held = fan.length;

      // The most attendees held: keep opening streams (already locked, so no votes) until one
      // fails, the open-file limit is near (each attendee costs two descriptors here: client and
      // server share this process) or the cap (--max-attendees) is reached.
      let most = held;
      let rampStop = 'not run in quick mode';
      if (!quick && held === target) {
        const cap = argNumber(argv, '--max-attendees') ?? 20_000;
        const fdCap = limit !== undefined ? Math.floor((limit - 500) / 2) : cap;
        let opened = target;
        rampStop = `cap of ${cap}`;
        while (opened < cap) {
          if (opened + batch > fdCap) {
            rampStop = `open-file limit (${limit}) of this process`;
            break;
          }
          const failed = await connectRange(opened, opened + batch);
          opened += batch;
          if (failed > 0) {
            rampStop = `${failed} connection(s) failed at ${opened}`;
            break;
          }
        }
        most = attendees.filter((a) => a.connected && !a.failed && !a.closed).length;
        log(`  most attendees held without error: ${most} (stopped by the ${rampStop}; server sees ${live.hub.stats().attendees})`);
      }

      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      const errors = votes.length - ok.length;
      const kinds = new Map<string, number>();
      for (const v of votes) if (v.error) kinds.set(v.error, (kinds.get(v.error) ?? 0) + 1);
      const errorKinds = [...kinds].map(([k, n]) => `${k} x${n}`).join('; ') || 'none';
      const report: BenchReport = {
        figures: {
          engine: instance.container.platform.db.engine,
          attendees_target: target,
          attendees_connected: connected,
          attendees_held_without_error: held,
          attendees_most_held: most,
          attendees_ramp_stopped_by: rampStop,
          connect_all_ms: Math.round(connectMs),
          votes_sent: votes.length,
          votes_counted: ok.length,
          vote_errors: errors,
          vote_error_kinds: errorKinds,
          votes_not_seen_by_presenter: unseen,
          votes_per_second: ok.length / (voteWall / 1000),
          presenter_updates: updates.length,
          vote_to_presenter_p50_ms: p50,
          vote_to_presenter_p99_ms: p99,
          vote_to_presenter_max_ms: latencies[latencies.length - 1] ?? Number.NaN,
          lock_fanout_p50_ms: percentile(fan, 50),
          lock_fanout_p99_ms: percentile(fan, 99),
          lock_fanout_all_ms: fan[fan.length - 1] ?? Number.NaN,
        },
        targets: [
          { name: 'attendees held on one instance', target: `>= ${target}${quick ? ' (quick mode; the real target is 5000)' : ''}`, met: held >= target },
          { name: 'vote-to-presenter p99', target: '< 250 ms', met: Number.isFinite(p99) && p99 < 250 && errors === 0 && unseen === 0 },
        ],
        notes: [
          ...notes,
          'Attendee clients, the presenter client and the server share one Node process (and its event loop), so figures include client-side work.',
          `Votes were paced evenly over ${voteSeconds} s; updates to the presenter are coalesced to at most one per 50 ms per session.`,
        ],
      };
      return report;
    } finally {
      presenterReq?.destroy();
      for (const a of attendees) a.req.destroy();
      await instance.close();
      await schema?.drop();
    }
  },
};
