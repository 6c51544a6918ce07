/**
 * Benchmarks: each capability exports a `Benchmark`; `lookout bench` runs them all (or one) and
 * writes a JSON and a Markdown summary with the machine, engine, versions and date.
 * Benchmarks are never timed tests: CI runs each once in quick smoke mode.
 */
import type { Config } from '../config.ts';

export interface BenchTarget {
  name: string;
  target: string;
  met: boolean;
}

export interface BenchReport {
  /** Measured figures, e.g. { "reports_per_second": 1234, "p99_ms": 21.3 }. */
  figures: Record<string, number | string>;
  targets?: BenchTarget[];
  notes?: string[];
}

export interface BenchOptions {
  quick: boolean;
  config: Config;
  argv: string[];
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  description: string;
  run(opts: BenchOptions): Promise<BenchReport>;
}
