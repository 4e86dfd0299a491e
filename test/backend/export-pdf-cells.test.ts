/**
 * PDF cells cut to their columns (src/backend/reports/export.ts `fit`): widths are summed per character,
 * learnt from pdfkit once, without kerning. Read back with pdf.js: a cell that fits is whole, a longer one is
 * a prefix with "…", and no cell runs into the next column, kerning-heavy text included (Helvetica kerns
 * "AV" narrower and "ri", "f’" wider).
 */
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/backend/reports/export.js';
import { pagesOf, type Row } from '../../src/backend/reports/table.js';
import { readPdfItems } from '../support/report-files.js';

const COLUMNS = [
  { key: 'id', header: 'id' },
  { key: 'text', header: 'text', width: 2 },
  { key: 'other', header: 'other' },
];
const TEXTS = ['short', 'AVAVAVAVAV'.repeat(12), 'rirfririf’ri'.repeat(10), 'WWWWWWWWWW'.repeat(10), 'Interface GigabitEthernet0/1, changed state to down — éàü €'.repeat(3), 'iiiiiiiiii'.repeat(30)];

async function pdfOf(rows: readonly Row[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const sink = { closed: false, write: async (c: string | Uint8Array) => void chunks.push(typeof c === 'string' ? Buffer.from(c) : c) };
  await writeReport({ kind: 'test', title: 'Cells', columns: COLUMNS, criteria: {}, empty: 'none', pages: pagesOf(rows), next: () => null }, 'pdf', sink, new Date('2026-12-07T00:00:00Z'));
  return Buffer.concat(chunks);
}

describe('PDF cells', () => {
  it('shows a cell whole or cut with "…", never into the next column', async () => {
    const rows = TEXTS.map((text, i) => ({ id: i, text, other: `o${i}` }));
    const { pages } = await readPdfItems(await pdfOf(rows));
    const items = pages.flat();
    let cut = 0;
    for (const [i, text] of TEXTS.entries()) {
      const other = items.find((it) => it.str === `o${i}`);
      const cell = items.find((it) => other !== undefined && Math.round(it.y) === Math.round(other.y) && it.str !== `o${i}` && it.str !== String(i));
      expect(other && cell, text).toBeTruthy();
      if (!other || !cell) continue;
      if (cell.str !== text) {
        cut += 1;
        expect(cell.str.endsWith('…'), text).toBe(true);
        expect(text.startsWith(cell.str.slice(0, -1)), text).toBe(true);
      }
      // The columns keep 8 points between them; a cell may use all but a point of its own column.
      expect(cell.x + cell.width, text).toBeLessThanOrEqual(other.x - 7);
    }
    expect(cut).toBeGreaterThanOrEqual(4);
    expect(items.some((it) => it.str === 'short')).toBe(true);
  });
});
