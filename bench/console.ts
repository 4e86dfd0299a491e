/**
 * bench:console — feeds events through the real console store into a rendered Ink console (on a
 * fake terminal) and reports frames/s, event-to-frame latency p50/p99, heap (after GC) and RSS at
 * start and end, and the time from start to the first frame.
 *   npm run bench:console -- [--duration 60] [--rate 1000]
 * Goals: start → first frame < 500 ms; memory flat (heap after GC from a quarter of the run, when the
 * 1,000-message window is full, to the end grows < 5 MiB); ≥ 10 frames/s and event → frame p99 < 100 ms
 * (one frame at 10 frames/s).
 */
const t0 = performance.now();
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BackendEvent } from '../src/events/protocol.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, loadAverageText, machineNotes, percentile } from './support.js';

/** A full GC, so heap figures are live data, not garbage (exposed at run time, no node flag needed). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/** What one run measured, raw. */
type ConsoleRun = {
  readonly frameRate: number;
  /** Ascending. */
  readonly latencies: readonly number[];
  readonly startMs: number;
  readonly renderToFirstMs: number;
  /** Bytes, after GC. */
  readonly heap: { readonly start: number; readonly windowFull: number; readonly end: number };
  readonly rss: { readonly start: number; readonly end: number };
};

function consoleFigures(run: ConsoleRun): BenchFigure[] {
  const p99 = percentile(run.latencies, 99);
  const growth = mib(run.heap.end - run.heap.windowFull);
  return [
    { id: 'console.framesPerSecond', label: 'frames/s', value: run.frameRate, unit: 'fps', goal: { text: '≥ 10 fps', met: run.frameRate >= 10 } },
    { id: 'console.eventToFrameP50Ms', label: 'event → frame p50', value: percentile(run.latencies, 50), unit: 'ms' },
    { id: 'console.eventToFrameP99Ms', label: `event → frame p99 (${run.latencies.length} events measured)`, value: p99, unit: 'ms', goal: { text: '< 100 ms', met: p99 < 100 } },
    { id: 'console.startToFirstFrameMs', label: 'start → first frame (loading Ink, React and the views)', value: Math.round(run.startMs), unit: 'ms', goal: { text: '< 500 ms', met: run.startMs < 500 } },
    { id: 'console.renderToFirstFrameMs', label: 'render() → first frame', value: Math.round(run.renderToFirstMs), unit: 'ms' },
    { id: 'console.heapStartMiB', label: 'heap after GC at start', value: mib(run.heap.start), unit: 'MiB' },
    { id: 'console.heapWindowFullMiB', label: 'heap after GC at a quarter of the run (window full)', value: mib(run.heap.windowFull), unit: 'MiB' },
    {
      id: 'console.heapEndMiB',
      label: 'heap after GC at end',
      value: mib(run.heap.end),
      unit: 'MiB',
      baseline: { label: 'a quarter of the run', value: mib(run.heap.windowFull) },
      ratio: run.heap.end / run.heap.windowFull,
      goal: { text: 'flat: grows < 5 MiB after the window is full', met: growth < 5 },
    },
    { id: 'console.rssStartMiB', label: 'RSS at start', value: mib(run.rss.start), unit: 'MiB' },
    { id: 'console.rssEndMiB', label: 'RSS at end', value: mib(run.rss.end), unit: 'MiB', baseline: { label: 'at start', value: mib(run.rss.start) }, ratio: run.rss.end / run.rss.start },
  ];
}

async function main(): Promise<void> {
  const notes = machineNotes();
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' } } });
  const durationS = Number(values.duration);
  const rate = Number(values.rate);
  if (!(durationS > 0) || !(rate > 0)) {
    process.stderr.write('Usage: bench:console [--duration SECONDS] [--rate EVENTS_PER_SECOND]\n');
    process.exitCode = 1;
    return;
  }

  // As the console does (src/console/tui.ts): React's production build unless told otherwise.
  process.env['NODE_ENV'] ??= 'production';
  const [{ render }, { createElement }, { ConsoleApp }, { createConsoleStore }, { createIntents }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../views/ConsoleApp.js'),
    import('../src/console/store.js'),
    import('../src/console/intents.js'),
  ]);

  const store = createConsoleStore({ initial: undefined });
  store.dispatch({ type: 'ui/screen', screen: 'messages' });
  store.dispatch({ type: 'backend/connection', state: { kind: 'open' } });
  const intents = createIntents(store, {});

  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let frames = 0;
  let firstFrameMs: number | null = null;
  let renderCalledAt = 0;
  let counted = 0;
  let inFrame = false;

  const stdout = Object.assign(
    new Writable({
      write(_chunk, _enc, cb) {
        const now = performance.now();
        // One frame may be several writes (erase + output); count it once per tick.
        if (!inFrame) {
          inFrame = true;
          frames++;
          setImmediate(() => (inFrame = false));
        }
        if (firstFrameMs === null) firstFrameMs = now - t0;
        const shown = store.getSnapshot().lastSeq;
        for (let s = counted + 1; s <= shown; s++) {
          const at = sentAt.get(s);
          if (at !== undefined) {
            latencies.push(now - at);
            sentAt.delete(s);
          }
        }
        counted = Math.max(counted, shown);
        cb();
      },
    }),
    { columns: 160, rows: 50, isTTY: true },
  );

  renderCalledAt = performance.now();
  // A terminal-like stdin: Ink's key handling needs raw mode.
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const app = render(createElement(ConsoleApp, { store, intents }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  while (firstFrameMs === null) await new Promise((r) => setImmediate(r));
  collectGarbage();
  const rssStart = process.memoryUsage().rss;
  const heapStart = process.memoryUsage().heapUsed;
  let heapWindowFull: number | null = null;

  let seq = 0;
  const hosts = Array.from({ length: 50 }, (_, i) => `R${i + 1}`);
  function event(): BackendEvent {
    seq++;
    const host = hosts[seq % hosts.length] ?? 'R1';
    const receivedAt = new Date().toISOString();
    return {
      seq,
      at: receivedAt,
      type: 'message.received',
      message: {
        id: seq, messageId: `M${seq}:SER${host}:1`, serial: `SER${host}`, hostname: host, model: 'CSR1000V', type: 'syslog', subType: '', alertGroup: 'syslog',
        severity: seq % 10, eventName: 'LINK-3-UPDOWN', description: `Interface Gi${seq % 8} changed state to down (${seq})`, receivedAt, transport: seq % 2 === 0 ? 'http' : 'email',
      },
    };
  }

  // Events arrive in small batches every 10 ms, as the live link drains them.
  const tickMs = 10;
  const started = performance.now();
  let due = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (heapWindowFull === null && elapsed >= (durationS * 1000) / 4) {
        collectGarbage();
        heapWindowFull = process.memoryUsage().heapUsed;
      }
      if (elapsed >= durationS * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const target = Math.floor((elapsed / 1000) * rate);
      const batch: BackendEvent[] = [];
      while (due < target) {
        const e = event();
        sentAt.set(e.seq, performance.now());
        batch.push(e);
        due++;
      }
      if (batch.length > 0) store.dispatch({ type: 'backend/events', events: batch });
    }, tickMs);
  });
  store.flush();
  await new Promise((r) => setTimeout(r, 200));
  collectGarbage();
  const rssEnd = process.memoryUsage().rss;
  const heapEnd = process.memoryUsage().heapUsed;
  app.unmount();
  store.dispose();

  latencies.sort((a, b) => a - b);
  const figures = consoleFigures({
    frameRate: frames / durationS,
    latencies,
    startMs: firstFrameMs ?? Number.NaN,
    renderToFirstMs: (firstFrameMs ?? Number.NaN) + t0 - renderCalledAt,
    heap: { start: heapStart, windowFull: heapWindowFull ?? heapStart, end: heapEnd },
    rss: { start: rssStart, end: rssEnd },
  });
  writeBenchSection({
    bench: 'console',
    title: `Console: ${rate} events/s for ${durationS} s into a rendered console`,
    command: `npm run bench:console -- --duration ${durationS}${rate === 1000 ? '' : ` --rate ${rate}`}`,
    figures,
    notes: [
      ...notes,
      `${seq} events sent; the store keeps a window of ${store.getState().messages.items.length} messages`,
      'start → first frame is measured from the bench module starting (after tsx has loaded), through loading Ink, React and the views',
      `load average at end: ${loadAverageText()}`,
    ],
  });
}

if (isMain(import.meta.url)) await main();
