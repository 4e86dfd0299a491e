/**
 * pgexport (issue 14): reports and exports do their synchronous work (building rows, JSON / CSV / sheet text)
 * in slices bounded in time, not in rows, and give the event loop back between slices. On PostgreSQL an ingest
 * transaction is a chain of round trips on the same thread, each of which waits for the slice in progress:
 * fifteen statements behind slices of a 500-row page (5–10 ms each) doubled a device's post p99 during a
 * full history export. A row costs 2–10 µs to build and as much to write, so a slice is one or two hundred
 * rows on a quiet machine and fewer on a busy one; building a slice and writing it share one turn of the loop.
 */

/** The longest a report works synchronously before it gives the event loop back (one row at least). */
export const SLICE_MS = 1;

/** Gives the event loop back (I/O included): SQLite answers and the writers are synchronous. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `work` on consecutive parts of `items` (`step` items each) from index `from`, until the end or until
 * `ms` have passed (one part at least); returns the index reached, where the next slice starts.
 */
export function workSlice<T>(items: readonly T[], from: number, work: (part: readonly T[]) => void, step = 1, ms = SLICE_MS): number {
  const until = performance.now() + ms;
  let i = from;
  do {
    work(items.slice(i, i + step));
    i += step;
  } while (i < items.length && performance.now() < until);
  return Math.min(i, items.length);
}
