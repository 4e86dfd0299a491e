/**
 * `npm run bench:store [-- --rows 1000000 --devices 5000 --db sqlite|postgres|both --pg postgres://…]`
 * (issue 14, "a million messages"; default 200,000 rows, `--messages` is the same as `--rows`): fills a
 * database with N messages of D devices over three months (multi-row inserts through the store, several
 * transactions at once on PostgreSQL), then through the real back end (HTTP) times the first page of
 * `messages` for every filter, alone, combined and matching nothing (goal < 50 ms), and a full history
 * export read by another process, during which it measures the longest event-loop stall of the back end,
 * health-check latency and the ingest p99 beside the same run's figures without the export. PostgreSQL
 * is a throw-away cluster unless --pg names one. Each figure prints beside its same-run baseline.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startBackend, type Backend } from '../src/backend/server.js';
import { openStore } from '../src/backend/store/open-store.js';
import type { MessageFilter, MessageStatus, NewMessage } from '../src/backend/store/types.js';
import type { MessageKind } from '../src/domain/callhome.js';
import { buildMessage } from '../test/backend/build-message.js';
import { postXml, sampleWith } from '../test/backend/helpers.js';
import { startPostgres, type PgCluster } from '../test/support/postgres.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, loadAverageText, machineNotes, numberArg, percentile } from './support.js';

const TOKEN = 'bench-store-token';
const DAY = 86_400_000;
const KINDS: readonly MessageKind[] = ['syslog', 'syslog', 'syslog', 'diagnostic', 'environment', 'inventory', 'configuration', 'test'];
const PAGE_GOAL_MS = 50;

function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const serial = (d: number): string => `SER${String(d).padStart(5, '0')}`;

/** Message i of the fill: spread over 90 days (newest last), every device, mostly syslog; one in 100,000 mentions a rare fan tray. */
function fillMessage(i: number, n: number, devices: number, now: number): { message: NewMessage; status: MessageStatus } {
  const d = i % devices;
  const kind = KINDS[i % KINDS.length] ?? 'syslog';
  const description = i % 100_000 === 7 ? 'FAN-TRAY-7 failed: fan speed 0 rpm' : kind === 'syslog' ? `%LINK-3-UPDOWN: Interface GigabitEthernet0/${i % 48}, changed state to ${i % 2 ? 'up' : 'down'}` : `${kind} report ${i % 1000}`;
  const message = buildMessage({ serialNumber: serial(d), hostname: `host-${String(d).padStart(5, '0')}`, kind, severity: i % 8, description, eventName: kind === 'syslog' ? 'LINK-3-UPDOWN' : '', messageId: `FILL-${i}` });
  const receivedAt = new Date(now - 90 * DAY + Math.floor((i / n) * 90 * DAY)).toISOString();
  return { message: { receivedAt, transport: 'http', remote: '127.0.0.1', format: 'xml', raw: '<soap-env:Envelope/>', message }, status: 'processed' };
}

/** Rows per fill transaction. */
const FILL_CHUNK = 5_000;

/**
 * Fills through the store's multi-row import, one transaction per chunk. PostgreSQL spends the time in
 * index upkeep on its side, one core per connection: two transactions run at once there (SQLite has one
 * writer, so they queue). SQLite's rate falls as the table grows (about 3,000 msg/s at the start, 750 on
 * average over 1,000,000 at load average 25–30; 50,000-row transactions did not change it).
 */
export async function fill(db: string, n: number, devices: number, now: number): Promise<number> {
  const started = performance.now();
  const store = await openStore(db);
  const parallel = 2;
  let next = 0;
  let done = 0;
  let reported = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const from = next;
        next = Math.min(n, next + FILL_CHUNK);
        const list = Array.from({ length: next - from }, (_, k) => fillMessage(from + k, n, devices, now));
        await store.transaction((tx) => tx.importMessages(list));
        done += list.length;
        if (done - reported >= 100_000 || done === n) {
          reported = done;
          process.stdout.write(`  filled ${done} / ${n} (${Math.round(done / ((performance.now() - started) / 1000))} msg/s)\n`);
        }
      }
    }),
  );
  await store.close();
  return (performance.now() - started) / 1000;
}

/** Planner statistics, as a deployment has them after autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite). */
async function analyze(db: string, kind: 'sqlite' | 'postgres'): Promise<void> {
  if (kind === 'sqlite') {
    const raw = new Database(db);
    raw.exec('ANALYZE');
    raw.close();
    return;
  }
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  await c.query('VACUUM ANALYZE messages');
  await c.end();
}

async function timed(url: string): Promise<number> {
  const t = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
      return performance.now() - t;
    } catch (error) {
      // A keep-alive connection the server closed as this request left: retried once, the time counts.
      if (attempt >= 2) throw error;
      console.log(`  (retrying ${url.replace(/^http:\/\/[^/]+/, '')}: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

/** Health and ingest probes while `during` runs: latencies in ms. */
async function probe(backend: Backend, during: () => Promise<unknown>): Promise<{ health: number[]; ingest: number[] }> {
  const health: number[] = [];
  const ingest: number[] = [];
  let done = false;
  let i = 0;
  const loop = async (): Promise<void> => {
    while (!done) {
      health.push(await timed(`${backend.url}/api/v1/health`));
      const t = performance.now();
      const r = await postXml(backend.url, sampleWith({ serial: `PROBE${i % 50}`, messageId: `P${i++}:${Date.now()}` }));
      if (r.status !== 200) throw new Error(`probe post: HTTP ${r.status}`);
      ingest.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const probing = loop();
  try {
    await during();
  } finally {
    done = true;
    await probing;
  }
  return { health: health.sort((a, b) => a - b), ingest: ingest.sort((a, b) => a - b) };
}

/** Reads the whole history export in another process (curl), so this process only serves it. */
function exportInChild(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{size_download}', '-H', `authorization: Bearer ${TOKEN}`, `${url}/api/v1/reports/history`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`curl exited ${code ?? '?'}`))));
  });
}

async function measure(kind: 'sqlite' | 'postgres', db: string, n: number, devices: number): Promise<BenchFigure[]> {
  const now = Date.now();
  console.log(`\n${kind}: filling ${n} messages of ${devices} devices…`);
  const fillSeconds = await fill(db, n, devices, now);
  await analyze(db, kind);
  const backend = await startBackend({ dbPath: db, httpPort: 0, token: TOKEN, maintenanceIntervalMs: 3_600_000 });
  const figures: BenchFigure[] = [{ id: `store.${kind}.fillRate`, label: `${kind}: fill ${n.toLocaleString('en-US')} messages (multi-row inserts)`, value: Math.round(n / fillSeconds), unit: 'msg/s' }];
  try {
    const day = (d: number): string => new Date(now - d * DAY).toISOString();
    type Filter = Omit<MessageFilter, 'limit' | 'cursor'>;
    const filters: [string, Filter][] = [
      ['no filter', {}],
      ['device (serial)', { device: serial(42) }],
      ['device (host name)', { device: 'host-00042' }],
      ['type', { type: 'environment' }],
      ['severity ≥ 6', { severity: 6 }],
      ['period (one day)', { since: day(30), until: day(29) }],
      ['text, common', { q: 'Interface' }],
      ['text, rare', { q: 'FAN-TRAY-7' }],
      ['device + type', { device: serial(42), type: 'syslog' }],
      ['type + severity + period', { type: 'diagnostic', severity: 5, since: day(30), until: day(20) }],
      ['nothing: unknown device', { device: 'NOSUCH' }],
      ['nothing: type', { type: 'crash' }],
      ['nothing: severity 9', { severity: 9 }],
      ['nothing: text', { q: 'zzqqxx' }],
      ['nothing: type + severity + period', { type: 'inventory', severity: 9, since: day(60), until: day(10) }],
      ['nothing: every filter', { device: serial(42), type: 'crash', severity: 9, q: 'zzqqxx', since: day(60) }],
    ];
    // Each filter twice: through HTTP as a client sees it (the goal), and straight through the store (what the
    // indexes decide; on a busy machine HTTP adds the scheduler's delays). The page with no filter is each
    // filter's same-run baseline: what HTTP, the API and this machine cost with the cheapest query.
    const median = async (f: () => Promise<unknown>): Promise<number> => {
      const runs: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t = performance.now();
        await f();
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b)[1] ?? 0;
    };
    let unfiltered = 0;
    let unfilteredStore = 0;
    for (const [label, filter] of filters) {
      const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const http = await median(() => timed(`${backend.url}/api/v1/messages?limit=100&${query}`));
      const direct = await median(() => backend.service.store.listMessages({ ...filter, limit: 100 }));
      if (query === '') [unfiltered, unfilteredStore] = [http, direct];
      console.log(`  ${kind} first page, ${label}: ${http.toFixed(1)} ms over HTTP, ${direct.toFixed(1)} ms in the store`);
      const ratio = (value: number, base: number) => (query === '' ? {} : { ratio: value / Math.max(base, 0.1) });
      figures.push(
        {
          id: `store.${kind}.page.${label}`,
          label: `${kind}: first page (100), ${label}, over HTTP`,
          value: Math.round(http * 10) / 10,
          unit: 'ms',
          ...(query === '' ? {} : { baseline: { label: 'no filter, over HTTP', value: Math.round(unfiltered * 10) / 10 } }),
          ...ratio(http, unfiltered),
          goal: { text: `< ${PAGE_GOAL_MS} ms`, met: http < PAGE_GOAL_MS },
        },
        {
          id: `store.${kind}.query.${label}`,
          label: `${kind}: first page (100), ${label}, in the store`,
          value: Math.round(direct * 10) / 10,
          unit: 'ms',
          ...(query === '' ? {} : { baseline: { label: 'no filter, in the store', value: Math.round(unfilteredStore * 10) / 10 } }),
          ...ratio(direct, unfilteredStore),
        },
      );
    }

    // Same-run baseline: the probes for 3 s with nothing else running, and the event-loop stalls meanwhile
    // (on a busy machine the scheduler alone stalls a process; that is not the export's doing).
    const quietLoop = monitorEventLoopDelay({ resolution: 10 });
    quietLoop.enable();
    const quiet = await probe(backend, () => new Promise((resolve) => setTimeout(resolve, 3_000)));
    quietLoop.disable();
    const quietStallMs = quietLoop.max / 1e6;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let bytes = 0;
    const exportStarted = performance.now();
    const busy = await probe(backend, async () => {
      bytes = await exportInChild(backend.url);
    });
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    loop.disable();
    const stallMs = loop.max / 1e6;
    console.log(`  ${kind} export ${exportSeconds.toFixed(1)} s, ${Math.round(bytes / 1e6)} MB; stall ${stallMs.toFixed(0)} ms (quiet ${quietStallMs.toFixed(0)} ms); health max ${Math.round(busy.health.at(-1) ?? 0)} ms (quiet ${Math.round(quiet.health.at(-1) ?? 0)}); ingest p99 ${Math.round(percentile(busy.ingest, 99))} ms (quiet ${Math.round(percentile(quiet.ingest, 99))})`);
    const quietP99 = percentile(quiet.ingest, 99);
    const busyP99 = percentile(busy.ingest, 99);
    figures.push(
      { id: `store.${kind}.export`, label: `${kind}: full history export (${Math.round(bytes / 1e6)} MB JSON, read by curl)`, value: Math.round(exportSeconds * 10) / 10, unit: 's', baseline: { label: 'fill time, same rows', value: Math.round(fillSeconds * 10) / 10 }, ratio: exportSeconds / fillSeconds },
      { id: `store.${kind}.exportStall`, label: `${kind}: longest event-loop stall during the export`, value: Math.round(stallMs * 10) / 10, unit: 'ms', baseline: { label: 'longest stall in 3 s without the export', value: Math.round(quietStallMs * 10) / 10 }, ratio: stallMs / Math.max(quietStallMs, 1), goal: { text: '≤ 50 ms', met: stallMs <= 50 } },
      { id: `store.${kind}.exportHealth`, label: `${kind}: slowest health answer during the export (${busy.health.length} checks)`, value: Math.round(busy.health.at(-1) ?? 0), unit: 'ms', baseline: { label: 'slowest without the export', value: Math.round(quiet.health.at(-1) ?? 0) }, goal: { text: '< 100 ms', met: (busy.health.at(-1) ?? 0) < 100 } },
      { id: `store.${kind}.exportIngestP99`, label: `${kind}: device post p99 during the export (${busy.ingest.length} posts)`, value: Math.round(busyP99), unit: 'ms', baseline: { label: 'p99 without the export', value: Math.round(quietP99) }, ratio: busyP99 / Math.max(quietP99, 1), goal: { text: 'ingest keeps its p99 (≤ 1.5× and ≤ +20 ms)', met: busyP99 <= Math.max(quietP99 * 1.5, quietP99 + 20) } },
    );
  } finally {
    await backend.close();
  }
  return figures;
}

async function main(): Promise<void> {
  const n = numberArg('rows', numberArg('messages', 200_000));
  const devices = numberArg('devices', 5_000);
  const which = stringArg('db', 'both');
  const notes = machineNotes();
  const figures: BenchFigure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-store-'));
  let cluster: PgCluster | null = null;
  try {
    if (which === 'sqlite' || which === 'both') figures.push(...(await measure('sqlite', join(dir, 'bench.db'), n, devices)));
    if (which === 'postgres' || which === 'both') {
      const given = stringArg('pg', '');
      let db = given;
      if (!given) {
        cluster = await startPostgres();
        db = await cluster.createDatabase('benchstore');
        notes.push('PostgreSQL: a throw-away local cluster (fsync off, default memory settings)');
      }
      figures.push(...(await measure('postgres', db, n, devices)));
    }
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  writeBenchSection({
    bench: 'store',
    title: `Store: ${n.toLocaleString('en-US')} messages, first pages per filter and a full history export`,
    command: `npm run bench:store -- --rows ${n} --devices ${devices} --db ${which}`,
    figures,
    notes: [...notes, `SQLite ${execFileSync(process.execPath, ['-e', "console.log(require('better-sqlite3')(':memory:').prepare('select sqlite_version() v').get().v)"], { encoding: 'utf8' }).trim()}`, `load average at end: ${loadAverageText()}`],
  });
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:store failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
