/**
 * Reused per-code-unit marks for the finders ("this span is already claimed"). A new typed array
 * per report cost more than the checks it held; the finders are synchronous and never call one
 * another with the same slot, so one buffer per slot is enough. Each call returns `n` zeroed
 * marks (the buffer may be longer: callers index below `n` only).
 */
const buffers: Uint8Array[] = [];

/** One slot per caller. */
export const SLOT = { extract: 0, handles: 1, lines: 2, vehicles: 3 } as const;

export function scratchMarks(slot: (typeof SLOT)[keyof typeof SLOT], n: number): Uint8Array {
  let b = buffers[slot];
  if (b === undefined || b.length < n) buffers[slot] = b = new Uint8Array(Math.max(n, 1024, (b?.length ?? 0) * 2));
  b.fill(0, 0, n);
  return b;
}
