/**
 * Issue 14: a full history export is streamed page by page, so the back end keeps answering health
 * checks and device posts while it runs, and a slow reader holds one page, not the whole history. Every
 * format the report offers (JSON, CSV, Excel, PDF), on both databases, through a real back end over HTTP;
 * the longest event-loop delay of the back end's process during each export is printed beside the same
 * process's idle delay (the ≤ 50 ms goal is judged by `npm run bench:store`, not by a timed test).
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { ReportSchema } from '../../src/client/api-client.js';
import { readPdf, readXlsx } from '../support/report-files.js';
import { buildMessage } from './build-message.js';
import { postXml, sampleWith, TOKEN } from './helpers.js';
import { registerDevices } from './registered.js';
import { DATABASE_KINDS, databases, type Databases } from './store/databases.js';

const ROWS = 30_000;
/** Excel and PDF export the newest rows of a period (a PDF of 30,000 rows is 400 pages). */
const FILE_ROWS = 4_000;

describe.each(DATABASE_KINDS)('history export on %s', (kind) => {
  let dbs: Databases;
  let backend: Backend;
  let now = 0;
  let posts = 0;

  beforeAll(async () => {
    dbs = await databases(kind);
    backend = await startBackend({ dbPath: await dbs.fresh(), httpPort: 0, token: TOKEN });
    now = Date.now();
    const list = Array.from({ length: ROWS }, (_, i) => ({
      message: { receivedAt: new Date(now - i * 60_000).toISOString(), transport: 'http' as const, remote: null, format: 'xml' as const, raw: '<x/>', message: buildMessage({ serialNumber: `EXP${i % 500}`, messageId: `EXP-${i}` }) },
      status: 'processed' as const,
    }));
    expect(await backend.service.store.importMessages(list)).toBe(ROWS);
    // §4.4: the History report lists registered devices; one device stays unregistered and out of it.
    await registerDevices(backend.service.store, Array.from({ length: 499 }, (_, d) => `EXP${d}`));
  }, 180_000);
  afterAll(async () => {
    await backend?.close();
    await dbs?.close();
  });

  /**
   * Reads `path` like a slow client (a chunk, then a 3 ms pause) while this test keeps asking for health
   * and posting device messages; returns the body and what was answered before the export ended.
   */
  async function exportWhileProbing(path: string): Promise<{ body: Buffer; health: number[]; ingested: number; maxDelayMs: number }> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    let done = false;
    const chunks: Buffer[] = [];
    const exported = new Promise<Buffer>((resolve, reject) => {
      const req = request(`${backend.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        if (res.statusCode !== 200) res.once('data', (c: Buffer) => reject(new Error(`${path}: HTTP ${res.statusCode ?? '?'} ${c.toString()}`)));
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          res.pause();
          setTimeout(() => res.resume(), 3);
        });
        res.on('end', () => {
          done = true;
          resolve(Buffer.concat(chunks));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const health: number[] = [];
    let ingested = 0;
    for (let i = 0; !done; i++) {
      const t = performance.now();
      const r = await fetch(`${backend.url}/api/v1/health`);
      expect(r.status).toBe(200);
      if (!done) health.push(performance.now() - t);
      const post = await postXml(backend.url, sampleWith({ serial: `LIVE${i}`, messageId: `M${++posts}:LIVE` }));
      expect(post.status).toBe(200);
      if (!done) ingested++;
    }
    const body = await exported;
    delay.disable();
    return { body, health, ingested, maxDelayMs: delay.max / 1e6 };
  }

  async function idleDelayMs(ms: number): Promise<number> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await new Promise((r) => setTimeout(r, ms));
    delay.disable();
    return delay.max / 1e6;
  }

  const report = (format: string, what: string, r: Awaited<ReturnType<typeof exportWhileProbing>>, idle: number): void => {
    // The export was still running while health and device posts got their answers.
    expect(r.health.length).toBeGreaterThan(0);
    expect(r.ingested).toBeGreaterThan(0);
    console.info(`[export-stream ${kind} ${format}] ${what}, ${Math.round(r.body.length / 1e5) / 10} MB to a slow reader; meanwhile ${r.health.length} health checks (slowest ${Math.round(Math.max(...r.health))} ms) and ${r.ingested} device posts answered; event-loop delay max ${r.maxDelayMs.toFixed(1)} ms (idle ${idle.toFixed(1)} ms; load ${loadavg()[0]?.toFixed(1)})`);
  };

  it('json: answers health and ingest while a slow client reads the whole history, which arrives complete', { timeout: 120_000 }, async () => {
    const idle = await idleDelayMs(500);
    const r = await exportWhileProbing('/api/v1/reports/history');
    const parsed = ReportSchema.parse(JSON.parse(r.body.toString('utf8')));
    const exported = parsed.rows.filter((x) => String(x['serial']).startsWith('EXP'));
    expect(exported).toHaveLength(ROWS - ROWS / 500);
    expect(exported.some((x) => x['serial'] === 'EXP499')).toBe(false);
    expect(new Set(parsed.rows.map((x) => x['id'])).size).toBe(parsed.rows.length);
    report('json', `${exported.length} rows`, r, idle);
  });

  it('csv: the same rows with one header, health and ingest answered meanwhile', { timeout: 120_000 }, async () => {
    const idle = await idleDelayMs(500);
    const r = await exportWhileProbing('/api/v1/reports/history?format=csv');
    const lines = r.body.toString('utf8').trimEnd().split('\r\n');
    // The first release's columns, in their order; the rest of §4.4's eleven (reports, issue 16) come after them.
    expect(lines[0]?.split(',').slice(0, 12).join(',')).toBe('serial,model,hostname,receivedAt,contract,registration,severity,type,status,srRaised,notificationSent,id');
    expect(lines.filter((l) => l.startsWith('serial,'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('EXP'))).toHaveLength(ROWS - ROWS / 500);
    report('csv', `${lines.length - 1} rows`, r, idle);
  });

  it('xlsx and pdf: every row of a period arrives, health and ingest answered meanwhile', { timeout: 240_000 }, async () => {
    const since = new Date(now - (FILE_ROWS - 0.5) * 60_000).toISOString();
    const expected = Array.from({ length: FILE_ROWS }, (_, i) => i).filter((i) => i % 500 !== 499).length;
    const idle = await idleDelayMs(500);
    const xlsx = await exportWhileProbing(`/api/v1/reports/history?format=xlsx&since=${since}`);
    const sheet = [...(await readXlsx(xlsx.body)).values()][0] ?? [];
    expect(sheet.slice(1).filter((row) => String(row[0]).startsWith('EXP'))).toHaveLength(expected);
    report('xlsx', `${expected} rows`, xlsx, idle);
    const pdf = await exportWhileProbing(`/api/v1/reports/history?format=pdf&since=${since}`);
    const { pages } = await readPdf(pdf.body);
    expect(pages.flat().filter((l) => l.startsWith('EXP'))).toHaveLength(expected);
    report('pdf', `${expected} rows, ${pages.length} pages`, pdf, idle);
  });
});
