/**
 * A hash table keyed by words that are read straight from a text's code units: looking up
 * text[s, e) needs no slice (a new string per word) and no string hash, only the hash the
 * caller accumulated while it scanned the word (`wordHash`). Entries are compared code unit by
 * code unit, so a hash collision costs a comparison, never a wrong answer.
 */

/** The hash of one more code unit: `h = hashStep(h, c)` over a word, starting from HASH_SEED. */
export const HASH_SEED = 7;
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/** The hash of s[from, to) (what a caller accumulates with hashStep). */
export function wordHash(s: string, from = 0, to = s.length): number {
  let h = HASH_SEED;
  for (let i = from; i < to; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

export class WordTable<T> {
  private words: string[] = [];
  private values: T[] = [];
  private hashes: number[] = [];
  /** Open addressing: entry index + 1, 0 for an empty slot. */
  private slots = new Int32Array(1024);

  get size(): number {
    return this.words.length;
  }

  /** The value stored for text[s, e), whose hash is `h`. */
  get(text: string, s: number, e: number, h: number): T | undefined {
    const mask = this.slots.length - 1;
    const len = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at === 0) return undefined;
      if (this.hashes[at - 1] !== h) continue;
      const w = this.words[at - 1]!;
      if (w.length !== len) continue;
      let same = true;
      for (let k = 0; k < len && same; k++) same = w.charCodeAt(k) === text.charCodeAt(s + k);
      if (same) return this.values[at - 1];
    }
  }

  /** Adds `word` (not yet in the table), whose hash is `h`. */
  add(word: string, h: number, value: T): void {
    if ((this.words.length + 1) * 2 > this.slots.length) this.grow();
    this.words.push(word);
    this.values.push(value);
    this.hashes.push(h);
    this.place(this.slots, h, this.words.length);
  }

  clear(): void {
    this.words = [];
    this.values = [];
    this.hashes = [];
    this.slots = new Int32Array(1024);
  }

  private place(slots: Int32Array, h: number, entry: number): void {
    const mask = slots.length - 1;
    let slot = h & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = entry;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    for (let k = 0; k < this.hashes.length; k++) this.place(slots, this.hashes[k]!, k + 1);
    this.slots = slots;
  }
}
