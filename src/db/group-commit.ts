/**
 * Group commit: callers that each need "my row is committed" share one statement and one commit.
 *
 * While a write is under way, new items wait; when it finishes, everything waiting goes in the next
 * write (up to `maxBatch`). So an idle service writes each item at once (no timer, no added delay)
 * and a busy one writes many items per round trip and per commit, which is what lets the public
 * report intake keep up with a burst (issue #5: 1,000 reports/s at p99 < 50 ms on 2 cores).
 *
 * A failed batch is retried item by item, so one bad item fails alone and every other caller still
 * gets its commit: a report is never lost because another report in its batch was refused.
 * Each add() resolves only after the write that holds its item has committed.
 */
export interface GroupCommit<T> {
  /** Resolves once `item` is committed; rejects with the error of its own (single-item) write. */
  add(item: T): Promise<void>;
  /** Items waiting or being written (for metrics and tests). */
  pending(): number;
}

export interface GroupCommitOptions {
  /** Most items in one write. */
  maxBatch: number;
  /** Writes allowed under way at once (1 for a single-connection engine such as PGlite). */
  maxInFlight: number;
}

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createGroupCommit<T>(write: (items: readonly T[]) => Promise<void>, o: GroupCommitOptions): GroupCommit<T> {
  const maxBatch = Math.max(1, Math.floor(o.maxBatch));
  const maxInFlight = Math.max(1, Math.floor(o.maxInFlight));
  const queue: Waiter<T>[] = [];
  let inFlight = 0;
  let writing = 0;

  async function writeBatch(batch: Waiter<T>[]): Promise<void> {
    try {
      await write(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
    }
    // One item may have spoiled the batch: give every item its own write and its own answer.
    for (const w of batch) {
      try {
        await write([w.item]);
        w.resolve();
      } catch (err) {
        w.reject(err);
      }
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight += 1;
      writing += batch.length;
      void writeBatch(batch).finally(() => {
        inFlight -= 1;
        writing -= batch.length;
        pump();
      });
    }
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    pending: () => queue.length + writing,
  };
}
