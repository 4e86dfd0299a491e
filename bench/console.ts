/**
 * bench:console — feeds events through the real console store into a rendered Ink console (on a
 * fake terminal) and prints frames/s, event-to-frame latency p50/p99, RSS at start and end, and the
 * time from start to the first frame.
 *   npm run bench:console -- [--duration 60] [--rate 1000]
 */
const t0 = performance.now();
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' } } });
const durationS = Number(values.duration);
const rate = Number(values.rate);
if (!(durationS > 0) || !(rate > 0)) {
  process.stderr.write('Usage: bench:console [--duration SECONDS] [--rate EVENTS_PER_SECOND]\n');
  process.exit(1);
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
import type { BackendEvent } from '../src/events/protocol.js';

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
globalThis.gc?.();
const rssStart = process.memoryUsage().rss;
const heapStart = process.memoryUsage().heapUsed;

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
globalThis.gc?.();
const rssEnd = process.memoryUsage().rss;
const heapEnd = process.memoryUsage().heapUsed;
app.unmount();
store.dispose();

latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
const lines = [
  `bench:console  ${seq} events in ${durationS} s (${rate}/s target), store window ${store.getState().messages.items.length} messages`,
  `frames/s                 ${(frames / durationS).toFixed(1)}`,
  `event→frame latency p50  ${pct(50).toFixed(1)} ms`,
  `event→frame latency p99  ${pct(99).toFixed(1)} ms   (${latencies.length} events measured)`,
  `RSS start / end          ${mb(rssStart)} / ${mb(rssEnd)}`,
  `heap used start / end    ${mb(heapStart)} / ${mb(heapEnd)}${globalThis.gc ? ' (after gc)' : ' (run with NODE_OPTIONS=--expose-gc for post-gc figures)'}`,
  `start → first frame      ${firstFrameMs === null ? 'none' : (firstFrameMs as number).toFixed(0)} ms   (goal < 500 ms; includes loading ink/react/views)`,
  `render() → first frame   ${firstFrameMs === null ? 'none' : ((firstFrameMs as number) + t0 - renderCalledAt).toFixed(0)} ms`,
  `load average             ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (machine shared)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
