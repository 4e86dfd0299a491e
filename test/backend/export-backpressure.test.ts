/**
 * S76: every export format waits for its reader. A sink that stops taking bytes (a socket whose reader
 * stopped reading) stops the reads of report pages within a few pages, whatever the report's size;
 * once the reader goes away the export ends without reading the rest.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, writeReport, type Sink } from '../../src/backend/reports/export.js';
import type { ReportTable, Row } from '../../src/backend/reports/table.js';

const PAGES = 200;
const PAGE_ROWS = 500;

/** A report of 100,000 rows that counts the pages it was asked for. */
function bigTable(): ReportTable & { pulled: number } {
  const columns = Array.from({ length: 12 }, (_, i) => ({ key: `c${i}`, header: `Column ${i}` }));
  const t = {
    kind: 'history',
    title: 'Back-pressure',
    columns,
    criteria: {},
    empty: 'No data was found.',
    pulled: 0,
    next: () => null,
    async *pages() {
      for (let p = 0; p < PAGES; p++) {
        t.pulled++;
        yield Array.from({ length: PAGE_ROWS }, (_, r): Row => Object.fromEntries(columns.map((c, i) => [c.key, i === 0 ? p * PAGE_ROWS + r : `FOC${p}X${r}Y${i}-${(p * 7919 + r * 31 + i) % 100_003}`])));
      }
    },
  };
  return t;
}

/** A socket whose reader takes `budget` bytes, then stops reading until it hangs up. */
function stuckSink(budget: number): Sink & { hangUp(): void; bytes: number } {
  let closed = false;
  const waiting: (() => void)[] = [];
  const sink = {
    bytes: 0,
    get closed() {
      return closed;
    },
    write(chunk: string | Uint8Array) {
      sink.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (closed || sink.bytes <= budget) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    hangUp() {
      closed = true;
      for (const w of waiting.splice(0)) w();
    },
  };
  return sink;
}

describe('export back-pressure', () => {
  it.each(EXPORT_FORMATS)('%s: a reader that stops reading stops the page reads; hanging up ends the export', { timeout: 60_000 }, async (format) => {
    const table = bigTable();
    const sink = stuckSink(256 * 1024);
    const done = writeReport(table, format, sink);
    // Until the reads settle (the budget fills at whatever speed this machine has), then a while longer.
    let seen = '';
    for (let i = 0; i < 40 && `${table.pulled}/${sink.bytes}` !== seen; i++) {
      seen = `${table.pulled}/${sink.bytes}`;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    const whilePaused = table.pulled;
    await new Promise((r) => setTimeout(r, 1_500));
    // Nothing more was read while the reader did not read, and far fewer than all 200 pages.
    expect(table.pulled).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(20);
    sink.hangUp();
    const rows = await done;
    expect(table.pulled).toBeLessThan(PAGES);
    expect(rows).toBeLessThan(PAGES * PAGE_ROWS);
  });
});
