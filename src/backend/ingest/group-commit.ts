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

/** Creates a committer around a synchronous batch runner (one transaction per call). */
export function createGroupCommitter<I, O>(
  runBatch: (items: readonly I[]) => BatchResult<O>[],
  options: GroupCommitOptions = {},
): GroupCommitter<I, O> {
  const maxDelayMs = options.maxDelayMs ?? 2;
  const maxBatch = options.maxBatch ?? 256;
  let queue: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | null = null;

  const run = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let results: BatchResult<O>[];
    try {
      results = runBatch(batch.map((p) => p.item));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i];
      if (r?.ok) p.resolve(r.value);
      else p.reject(r ? r.error : new Error('batch runner returned no result for an item'));
    });
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= maxBatch) run();
        else timer ??= setTimeout(run, maxDelayMs);
      });
    },
    async flush() {
      run();
      await Promise.resolve();
    },
  };
}
