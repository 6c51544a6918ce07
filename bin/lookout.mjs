#!/usr/bin/env node
// The `lookout` CLI. TypeScript sources run through tsx, so a fresh clone needs no build step.
import { availableParallelism } from 'node:os';
import { register } from 'tsx/esm/api';

// libuv's thread pool (argon2 receipt hashes, file reads) defaults to 4 threads. On a 2-core
// machine four hashing threads preempt the event loop and cost the report intake about a quarter
// of its throughput (lookout bench reporting: ~1,200 -> ~1,500 reports/s); one thread per core is
// enough. Read by libuv when the pool first starts, so it is set before anything can use it; an
// operator's own UV_THREADPOOL_SIZE wins.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
