/**
 * One timer for many devices: periodic Call Home messages of a 1,000-device lab are kept in a
 * min-heap and served by a single `setTimeout` armed for the earliest task (C66), instead of one
 * interval per device and subscription.
 */

/** Cancels a scheduled task; calling it twice is harmless. */
export type CancelTask = () => void;

/** Runs tasks after a delay. */
export type Scheduler = {
  /** Runs `task` once, `delayMs` from now on this scheduler's clock. */
  after(delayMs: number, task: () => void): CancelTask;
};

type Entry = { at: number; seq: number; task: () => void; cancelled: boolean };

/** A binary min-heap ordered by (at, seq). */
class TaskHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (p === undefined || !before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      let smallestEntry: Entry = last;
      const l = items[left];
      if (l !== undefined && before(l, smallestEntry)) {
        smallest = left;
        smallestEntry = l;
      }
      const r = items[right];
      if (r !== undefined && before(r, smallestEntry)) {
        smallest = right;
        smallestEntry = r;
      }
      if (smallest === i) break;
      items[i] = smallestEntry;
      i = smallest;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Runs every due task in order; a throwing task does not stop the others. */
function runDue(heap: TaskHeap, now: number): void {
  for (let top = heap.peek(); top !== undefined && top.at <= now; top = heap.peek()) {
    heap.pop();
    if (top.cancelled) continue;
    try {
      top.task();
    } catch {
      // A periodic task's own failure is logged by the task; the scheduler keeps serving others.
    }
  }
}

// setTimeout holds at most 2^31-1 ms; a monthly task further away is re-armed when that fires.
const MAX_TIMER_MS = 2_147_483_647;

/** A real-time scheduler with one unref'd timer for all of its tasks. */
export function createTimerScheduler(): Scheduler {
  const heap = new TaskHeap();
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let armedAt = Number.POSITIVE_INFINITY;

  const arm = (): void => {
    while (heap.peek()?.cancelled) heap.pop();
    const top = heap.peek();
    if (top === undefined) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      armedAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (timer && armedAt <= top.at) return;
    if (timer) clearTimeout(timer);
    armedAt = top.at;
    timer = setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, top.at - Date.now())));
    timer.unref();
  };
  const fire = (): void => {
    timer = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    runDue(heap, Date.now());
    arm();
  };
  return {
    after(delayMs, task) {
      const entry: Entry = { at: Date.now() + Math.max(0, delayMs), seq: seq++, task, cancelled: false };
      heap.push(entry);
      arm();
      return () => {
        entry.cancelled = true;
      };
    },
  };
}

/** A scheduler driven by hand, for tests: time moves only through `advance`. */
export type ManualScheduler = Scheduler & {
  /** Current time of the manual clock (ms since the epoch). */
  now(): number;
  /** Moves the clock forward and runs every task that falls due, in time order. */
  advance(ms: number): void;
  /** Number of tasks waiting (cancelled ones included until they come due). */
  pending(): number;
};

/** Creates a manual scheduler whose clock starts at `startMs`. */
export function createManualScheduler(startMs: number): ManualScheduler {
  const heap = new TaskHeap();
  let seq = 0;
  let now = startMs;
  return {
    now: () => now,
    pending: () => heap.size,
    after(delayMs, task) {
      const entry: Entry = { at: now + Math.max(0, delayMs), seq: seq++, task, cancelled: false };
      heap.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    advance(ms) {
      const target = now + ms;
      // Step through due tasks one at a time so that a task scheduling a follow-up sees its own time.
      for (let top = heap.peek(); top !== undefined && top.at <= target; top = heap.peek()) {
        now = Math.max(now, top.at);
        runDue(heap, now);
      }
      now = target;
    },
  };
}

let shared: Scheduler | undefined;

/** The scheduler every engine shares unless a test injects its own. */
export function sharedScheduler(): Scheduler {
  shared ??= createTimerScheduler();
  return shared;
}
