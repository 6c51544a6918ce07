/**
 * An HTTP load generator on its own thread, as wrk or autocannon would be on their own process:
 * the clients' request building and response parsing must not be charged to the event loop of
 * the server under test. N keep-alive clients send the same request back to back for a duration;
 * every response counts once, a non-expected status or a socket error counts as an error.
 * Plain JavaScript (eval'd into a worker_thread) so it needs no TypeScript loader.
 */
import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer;
  concurrency: number;
  seconds: number;
  expectStatus: number;
}

export interface LoadFigures {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const WORKER = `
const { parentPort, workerData: o } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
const body = o.body ? Buffer.from(o.body) : undefined;
const headers = Object.assign({}, o.headers, body ? { 'content-length': body.length } : {});
const latencies = [];
let errors = 0;
function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ agent, host: '127.0.0.1', port: o.port, method: o.method, path: o.path, headers }, (res) => {
      res.resume();
      res.on('end', () => { latencies.push(performance.now() - t0); if (res.statusCode !== o.expectStatus) errors++; resolve(); });
    });
    req.on('error', () => { latencies.push(performance.now() - t0); errors++; resolve(); });
    req.end(body);
  });
}
(async () => {
  const started = performance.now();
  const end = started + o.seconds * 1000;
  await Promise.all(Array.from({ length: o.concurrency }, async () => { while (performance.now() < end) await once(); }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies), errors, elapsed });
})();
`;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the load and resolves with throughput (successful responses a second) and latency. */
export function httpLoad(o: LoadOptions): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { ...o, method: o.method ?? 'GET', headers: o.headers ?? {}, body: o.body ? new Uint8Array(o.body) : undefined },
    });
    worker.once('error', reject);
    worker.once('message', (m: { latencies: Float64Array; errors: number; elapsed: number }) => {
      const sorted = m.latencies.sort();
      resolve({
        requests: sorted.length,
        errors: m.errors,
        perSecond: (sorted.length - m.errors) / m.elapsed,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
      });
      void worker.terminate();
    });
  });
}
