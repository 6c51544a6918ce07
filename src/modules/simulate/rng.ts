/**
 * A small seeded PRNG (sfc32, from PractRand) so the simulator is a pure function of its options:
 * same seed, same world, byte for byte. Never use Math.random in the simulator.
 */

/** FNV-1a over a string: turns "seed + label" into a 32-bit state word. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic random source; `fork` gives independent sub-streams by label. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly key: string;

  constructor(seed: number | string) {
    this.key = String(seed);
    this.a = hash32(`a:${this.key}`);
    this.b = hash32(`b:${this.key}`);
    this.c = hash32(`c:${this.key}`);
    this.d = 1;
    // Warm up: sfc32's first outputs are correlated with the seed words.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** An independent generator for a named sub-task, so adding draws in one part leaves others unchanged. */
  fork(label: string | number): Rng {
    return new Rng(`${this.key}/${label}`);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight; weights must be non-negative with a positive sum. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Picks from [value, weight] pairs. */
  choose<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const p of pairs) total += p[1];
    let r = this.next() * total;
    for (const p of pairs) {
      r -= p[1];
      if (r < 0) return p[0];
    }
    const last = pairs[pairs.length - 1];
    if (!last) throw new Error('Rng.choose from an empty list');
    return last[0];
  }

  /** A new array in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** Approximately normal (mean 0, sd 1): sum of uniforms, cheap and deterministic. */
  normal(): number {
    // Six uniforms have variance 1/2, hence the sqrt(2).
    return (this.next() + this.next() + this.next() + this.next() + this.next() + this.next() - 3) * Math.SQRT2;
  }
}
