/**
 * Group commit: requests queue here and are committed together, every `maxDelayMs` or every
 * `maxBatch` items, whichever comes first. Each caller's promise settles only after the batch's
 * transaction has committed (and so, with synchronous=FULL, is on disk).
 */

export type GroupCommitOptions = { readonly maxDelayMs?: number; readonly maxBatch?: number };

/** Per-item outcome of a batch run: a value, or an error for that item only. */
export type BatchResult<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

export type GroupCommitter<I, O> = {
  submit(item: I): Promise<O>;
  /** Commits whatever is queued now; resolves when it is durable. */
  flush(): Promise<void>;
};

type Pending<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };

/**
 * Creates a committer around a batch runner (one transaction per call). One batch runs at a time;
 * what arrives meanwhile waits and forms the next batch.
 */
export function createGroupCommitter<I, O>(
  runBatch: (items: readonly I[]) => Promise<BatchResult<O>[]>,
  options: GroupCommitOptions = {},
): GroupCommitter<I, O> {
  const maxDelayMs = options.maxDelayMs ?? 2;
  const maxBatch = options.maxBatch ?? 256;
  const queue: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** The batch being committed, if any. */
  let running: Promise<void> | null = null;

  const run = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (running) return running;
    const batch = queue.splice(0, maxBatch);
    if (batch.length === 0) return Promise.resolve();
    running = (async () => {
      let results: BatchResult<O>[];
      try {
        results = await runBatch(batch.map((p) => p.item));
      } catch (e) {
        for (const p of batch) p.reject(e);
        return;
      }
      batch.forEach((p, i) => {
        const r = results[i];
        if (r?.ok) p.resolve(r.value);
        else p.reject(r ? r.error : new Error('batch runner returned no result for an item'));
      });
    })().finally(() => {
      running = null;
      // What queued during this batch goes next, without waiting for another delay.
      if (queue.length > 0) void run();
    });
    return running;
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (running) return;
        if (queue.length >= maxBatch) void run();
        else timer ??= setTimeout(() => void run(), maxDelayMs);
      });
    },
    async flush() {
      while (running || queue.length > 0) await run();
    },
  };
}
