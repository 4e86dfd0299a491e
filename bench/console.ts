/**
 * bench:console — feeds events through the real console store into a rendered Ink console (on a
 * fake terminal) and reports frames/s, event-to-frame latency p50/p99, heap (after GC) and RSS at
 * start and end, and the time from start to the first frame.
 *   npm run bench:console -- [--duration 60] [--rate 1000]
 * Start → first frame is what a user waits for: `node bin/callhome.js console` spawned on a pseudo-terminal
 * (util-linux `script`) against a back end this bench starts, timed from spawn to the whole first frame
 * on the terminal; the bundled entry (npm run build) against the tsx entry in the same run.
 * Goals: start → first frame < 500 ms (bundled); memory flat (heap after GC from a quarter of the run, when the
 * 1,000-message window is full, to the end grows < 5 MiB); ≥ 10 frames/s and event → frame p99 < 100 ms
 * (one frame at 10 frames/s).
 */
const t0 = performance.now();
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const repoRoot = join(import.meta.dirname, '..');

/** The console's status bar ends with this (views/StatusBar): once it is on the terminal, so is the first frame. */
const FIRST_FRAME_MARKER = 'q quit';
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z])/g;

/** `text` as one POSIX shell word. */
const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Spawns `command` on a 160×50 pseudo-terminal (util-linux `script`) and resolves with the ms from
 * spawn until FIRST_FRAME_MARKER has been written to the terminal; then sends `q` and waits for exit.
 */
async function spawnToFirstFrame(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn('script', ['-qfec', `stty cols 160 rows 50; exec ${command}`, '/dev/null'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no first frame within 30 s from: ${command}\n${output.replace(ANSI, '')}${errors}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.replace(ANSI, '').includes(FIRST_FRAME_MARKER)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code}) before its first frame: ${command}\n${output.replace(ANSI, '')}${errors}`));
      });
    });
  } finally {
    child.stdin.end('q');
    const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Medians (ms) of spawn → first frame: the bundled entry, the tsx entry and the bare pty + node floor. */
type SpawnStarts = { readonly bundled: number[]; readonly tsx: number[]; readonly floor: number[] };

/**
 * Builds the bundle into a temp dir, starts a back end, and times `node bin/callhome.js console`
 * `starts` times each way, interleaved, after one unmeasured warm-up of each (file cache).
 */
async function measureSpawnStarts(starts: number): Promise<SpawnStarts> {
  const [{ buildBundle }, { startBackend }] = await Promise.all([import('../scripts/build.js'), import('../src/backend/server.js')]);
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-start-'));
  const token = 'bench-start-token-0123456789';
  const backend = await startBackend({ dbPath: join(dir, 'callhome.db'), httpPort: 0, smtpPort: null, token });
  try {
    const { outdir } = await buildBundle(join(dir, 'dist'));
    // The bundle imports its external packages (ssh2, better-sqlite3, …) from node_modules above it.
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // No user settings; the back end from the environment, as a script would pass it.
    const base = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), CALLHOME_BACKEND: backend.url, CALLHOME_TOKEN: token, NODE_OPTIONS: '' };
    const entry = `node ${shellWord(join(repoRoot, 'bin/callhome.js'))} console`;
    const runs = {
      bundled: () => spawnToFirstFrame(entry, { ...base, CALLHOME_BUNDLE_DIR: outdir }),
      tsx: () => spawnToFirstFrame(entry, { ...base, CALLHOME_BUNDLE: '0' }),
      floor: () => spawnToFirstFrame(`node -e ${shellWord(`process.stdout.write(${JSON.stringify(FIRST_FRAME_MARKER)})`)}`, base),
    };
    const result: SpawnStarts = { bundled: [], tsx: [], floor: [] };
    for (const run of Object.values(runs)) await run();
    for (let i = 0; i < starts; i++) {
      for (const [name, run] of Object.entries(runs) as [keyof SpawnStarts, () => Promise<number>][]) result[name].push(await run());
    }
    for (const list of Object.values(result)) list.sort((a, b) => a - b);
    return result;
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnFigures(s: SpawnStarts): BenchFigure[] {
  const bundled = Math.round(percentile(s.bundled, 50));
  const tsx = Math.round(percentile(s.tsx, 50));
  return [
    {
      id: 'console.startToFirstFrameMs',
      label: `start → first frame: \`callhome console\` spawned on a pty, bundled (median of ${s.bundled.length})`,
      value: bundled,
      unit: 'ms',
      baseline: { label: 'the same start through tsx (no build)', value: tsx },
      ratio: bundled / tsx,
      goal: { text: '< 500 ms', met: bundled < 500 },
    },
    { id: 'console.startToFirstFrameTsxMs', label: 'start → first frame through tsx (no build)', value: tsx, unit: 'ms' },
    { id: 'console.startFloorMs', label: 'floor: the same pty spawn of bare `node -e` writing the marker', value: Math.round(percentile(s.floor, 50)), unit: 'ms' },
  ];
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
    { id: 'console.inProcessStartToFirstFrameMs', label: 'in this process (under tsx): loading Ink, React and the views → first frame', value: Math.round(run.startMs), unit: 'ms' },
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
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' }, starts: { type: 'string', default: '7' } } });
  const durationS = Number(values.duration);
  const rate = Number(values.rate);
  const starts = Number(values.starts);
  if (!(durationS > 0) || !(rate > 0) || !Number.isInteger(starts) || starts < 0) {
    process.stderr.write('Usage: bench:console [--duration SECONDS] [--rate EVENTS_PER_SECOND] [--starts N (0 skips the spawned start)]\n');
    process.exitCode = 1;
    return;
  }

  // As the console does (views/tui.ts): React's production build unless told otherwise.
  process.env['NODE_ENV'] ??= 'production';
  const [{ render }, { createElement }, { ConsoleApp }, { createConsoleStore }, { createIntents }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../views/ConsoleApp.js'),
    import('../src/console/store.js'),
    import('../src/console/adapters/intents.js'),
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
  const havePty = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  const spawned = starts > 0 && havePty ? await measureSpawnStarts(starts) : undefined;
  const figures = consoleFigures({
    frameRate: frames / durationS,
    latencies,
    startMs: firstFrameMs ?? Number.NaN,
    renderToFirstMs: (firstFrameMs ?? Number.NaN) + t0 - renderCalledAt,
    heap: { start: heapStart, windowFull: heapWindowFull ?? heapStart, end: heapEnd },
    rss: { start: rssStart, end: rssEnd },
  });
  const range = (list: readonly number[]): string => `${Math.round(list[0] ?? Number.NaN)}–${Math.round(list.at(-1) ?? Number.NaN)} ms`;
  writeBenchSection({
    bench: 'console',
    title: `Console: ${rate} events/s for ${durationS} s into a rendered console`,
    command: `npm run bench:console -- --duration ${durationS}${rate === 1000 ? '' : ` --rate ${rate}`}${starts === 7 ? '' : ` --starts ${starts}`}`,
    figures: [...(spawned ? spawnFigures(spawned) : []), ...figures],
    notes: [
      ...notes,
      `${seq} events sent; the store keeps a window of ${store.getState().messages.items.length} messages`,
      ...(spawned
        ? [
            `start → first frame: \`node bin/callhome.js console\` spawned ${starts}× each way (interleaved, after one warm-up each) on a 160×50 pty made by util-linux \`script\`, against a back end this bench started; timed from spawn until the status bar ("${FIRST_FRAME_MARKER}") of the first frame is on the terminal. Bundled = the bundle built by scripts/build.ts into a temp dir (CALLHOME_BUNDLE_DIR), including bin/callhome.js's staleness check; tsx = CALLHOME_BUNDLE=0, the unbundled path a checkout without a build takes`,
            `ranges: bundled ${range(spawned.bundled)}, tsx ${range(spawned.tsx)}, floor ${range(spawned.floor)}`,
          ]
        : [starts === 0 ? 'spawned start skipped (--starts 0)' : 'spawned start skipped: util-linux `script` (to make a pty) is not installed']),
      'the in-process start is measured from the bench module starting (after tsx has loaded), through loading Ink, React and the views',
      `load average at end: ${loadAverageText()}`,
    ],
  });
}

if (isMain(import.meta.url)) await main();
