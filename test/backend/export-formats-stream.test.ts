/**
 * Issue 16 (S76): the Excel and PDF exports of a large history stream through a real back end to a
 * reader that pauses, the file that arrives is complete (read back with exceljs / pdf.js), and the event
 * loop's delay during the export is printed beside the same process's idle delay (the exporter's own
 * back-pressure is held to account in export-backpressure.test.ts; here the kernel's socket buffers
 * would hide it).
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { readPdf, readXlsx } from '../support/report-files.js';
import { buildMessage } from './build-message.js';
import { TOKEN } from './helpers.js';
import { registerDevices } from './registered.js';
import { databases, type Databases } from './store/databases.js';

const ROWS = 10_000;

describe('xlsx and pdf exports of a large history (SQLite)', () => {
  let dbs: Databases;
  let backend: Backend;
  let pagesRead = 0;

  beforeAll(async () => {
    dbs = await databases('sqlite');
    backend = await startBackend({ dbPath: await dbs.fresh(), httpPort: 0, token: TOKEN });
    const now = Date.now();
    const list = Array.from({ length: ROWS }, (_, i) => ({
      message: { receivedAt: new Date(now - i * 60_000).toISOString(), transport: 'http' as const, remote: null, format: 'xml' as const, raw: '<x/>', message: buildMessage({ serialNumber: `XLS${i % 400}`, messageId: `XLS-${i}`, description: `event ${i}` }) },
      status: 'processed' as const,
    }));
    expect(await backend.service.store.importMessages(list)).toBe(ROWS);
    // The History report lists registered devices (§4.4).
    await registerDevices(backend.service.store, Array.from({ length: 400 }, (_, d) => `XLS${d}`));
    // Counts the store pages the exports read (the real query runs).
    const store = backend.service.store;
    const listHistory = store.listHistory.bind(store);
    store.listHistory = (f) => {
      pagesRead++;
      return listHistory(f);
    };
  }, 120_000);
  afterAll(async () => {
    await backend?.close();
    await dbs?.close();
  });

  /** The event-loop delay of this process over `ms` with nothing to do: the baseline the machine's load gives. */
  async function idleDelay(ms: number): Promise<string> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await new Promise((r) => setTimeout(r, ms));
    delay.disable();
    return `idle p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`;
  }

  /** Reads an export, pausing 1.5 s after the first chunk; returns the body, the pages read during the pause and the event-loop delay. */
  async function slowRead(format: 'xlsx' | 'pdf'): Promise<{ body: Buffer; pausedPages: number; maxDelayMs: number; p99DelayMs: number }> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    pagesRead = 0;
    let pausedPages = -1;
    const body = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const req = request(`${backend.url}/api/v1/reports/history?format=${format}`, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        let first = true;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (!first) return;
          first = false;
          res.pause();
          const before = pagesRead;
          setTimeout(() => {
            pausedPages = pagesRead - before;
            res.resume();
          }, 1_500);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    delay.disable();
    return { body, pausedPages, maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 };
  }

  it('xlsx: every row arrives to a reader that pauses', { timeout: 120_000 }, async () => {
    const idle = await idleDelay(1_500);
    const r = await slowRead('xlsx');
    const rows = [...(await readXlsx(r.body)).values()][0] ?? [];
    expect(rows).toHaveLength(ROWS + 1);
    expect(new Set(rows.slice(1).map((x) => x[11])).size).toBe(ROWS);
    console.info(`[export xlsx] ${ROWS} rows, ${Math.round(r.body.length / 1024)} KiB; store pages read while paused ${r.pausedPages}; event-loop delay p99 ${r.p99DelayMs.toFixed(1)} ms, max ${r.maxDelayMs.toFixed(1)} ms (${idle}; load ${loadavg()[0]?.toFixed(1)})`);
  });

  it('pdf: every row arrives to a reader that pauses, page by page', { timeout: 180_000 }, async () => {
    const idle = await idleDelay(1_500);
    const r = await slowRead('pdf');
    const { pages } = await readPdf(r.body);
    const rowLines = pages.flat().filter((l) => l.startsWith('XLS'));
    expect(rowLines).toHaveLength(ROWS);
    expect(pages.length).toBeGreaterThan(ROWS / 80);
    console.info(`[export pdf] ${ROWS} rows, ${pages.length} pages, ${Math.round(r.body.length / 1024)} KiB; store pages read while paused ${r.pausedPages}; event-loop delay p99 ${r.p99DelayMs.toFixed(1)} ms, max ${r.maxDelayMs.toFixed(1)} ms (${idle}; load ${loadavg()[0]?.toFixed(1)})`);
  });
});
