/**
 * Writes a report as JSON, CSV, Excel (xlsx) or PDF (S76), page by page with back-pressure: a page
 * of rows is read from the store only once the previous one has gone to the socket, so memory holds
 * about one page whatever the report's size. A page is written in slices of at most SLICE_MS of
 * synchronous work each (slices.ts), the event loop given back between slices.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { toCsv } from '../api/csv.js';
import { breathe, workSlice } from './slices.js';
import type { Cell, Column, ReportTable, Row } from './table.js';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Where the bytes go: `write` resolves once the socket can take more (or is gone). */
export type Sink = { write(chunk: string | Uint8Array): Promise<void>; readonly closed: boolean };

/** Between two slices of a writer's work: the table's pace, else a turn of the event loop. */
const pause = (table: ReportTable): Promise<void> => (table.pace ? table.pace() : breathe());

/** Bytes a library may hold, produced but not yet taken by the socket, before the next page waits. */
const HELD_BYTES = 256 * 1024;

/** Writes the whole report in `format`; returns the number of rows written. */
export async function writeReport(table: ReportTable, format: ExportFormat, sink: Sink, now = new Date()): Promise<number> {
  switch (format) {
    case 'json':
      return writeJson(table, sink);
    case 'csv':
      return writeCsv(table, sink);
    case 'xlsx':
      return writeXlsx(table, sink, now);
    case 'pdf':
      return writePdf(table, sink, now);
  }
}

async function writeJson(table: ReportTable, sink: Sink): Promise<number> {
  const keys = table.columns.map((c) => c.key);
  await sink.write(`{"kind":${JSON.stringify(table.kind)},"title":${JSON.stringify(table.title)},"criteria":${JSON.stringify(table.criteria)},"columns":${JSON.stringify(keys)},"headers":${JSON.stringify(table.columns.map((c) => c.header))},"rows":[`);
  let written = 0;
  for await (const page of table.pages()) {
    for (let i = 0; i < page.length && !sink.closed; ) {
      const texts: string[] = [];
      i = workSlice(page, i, (part) => part.forEach((r) => texts.push(JSON.stringify(pick(r, keys)))));
      await sink.write(`${written > 0 ? ',' : ''}${texts.join(',')}`);
      written += texts.length;
      await pause(table);
    }
    if (sink.closed) break;
  }
  const next = table.next();
  await sink.write(`]${written === 0 ? `,"empty":${JSON.stringify(table.empty)}` : ''}${next ? `,"next":${JSON.stringify(next)}` : ''}}`);
  return written;
}

async function writeCsv(table: ReportTable, sink: Sink): Promise<number> {
  const keys = table.columns.map((c) => c.key);
  await sink.write(toCsv(keys, []));
  let written = 0;
  for await (const page of table.pages()) {
    for (let i = 0; i < page.length && !sink.closed; ) {
      const texts: string[] = [];
      const from = i;
      // csv-stringify costs a call per use: rows go to it CSV_STEP at a time.
      i = workSlice(page, i, (part) => texts.push(toCsv(keys, part, false)), CSV_STEP);
      await sink.write(texts.join(''));
      written += i - from;
      await pause(table);
    }
    if (sink.closed) break;
  }
  return written;
}

/** Rows handed to the CSV writer in one call. */
const CSV_STEP = 20;

/** The row with exactly the report's columns, in order (a missing value is null). */
function pick(row: Row, keys: readonly string[]): Row {
  const out: Row = {};
  for (const k of keys) out[k] = row[k] ?? null;
  return out;
}

/** A Writable over the sink, so a library's output stream feels the socket's back-pressure. */
function sinkWritable(sink: Sink): Writable {
  return new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      sink.write(chunk).then(() => done(), done);
    },
  });
}

/** Waits until what a library produced has mostly gone to the socket (or the reader has left). */
async function settle(out: Writable, sink: Sink, held: () => number): Promise<void> {
  while (!sink.closed && (out.writableNeedDrain || held() > HELD_BYTES)) await new Promise((resolve) => setTimeout(resolve, 1));
}

function finished(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.writableFinished) return resolve();
    out.once('finish', resolve);
    out.once('error', reject);
  });
}

/** Characters XML 1.0 (so xlsx) cannot carry: C0 controls but tab / LF / CR, U+FFFE/U+FFFF, unpaired surrogates. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Excel's limit for the text of one cell. */
const XLSX_CELL_CHARS = 32_767;

function xlsxCell(v: Cell): string | number | boolean | null {
  if (typeof v !== 'string') return v;
  const clean = v.replace(NOT_XML, '\uFFFD');
  return clean.length > XLSX_CELL_CHARS ? `${clean.slice(0, XLSX_CELL_CHARS - 1)}…` : clean;
}

/** The Excel sheet: the column headings on row 1, one row per report row (a spreadsheet's filters work at once); title and criteria on a second sheet. */
async function writeXlsx(table: ReportTable, sink: Sink, now: Date): Promise<number> {
  const out = sinkWritable(sink);
  // No shared strings and no styles: both would be held in memory until the end.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  wb.creator = 'callhome';
  wb.created = now;
  const sheet = wb.addWorksheet(sheetName(table.title));
  sheet.columns = table.columns.map((c) => ({ header: c.header, key: c.key, width: Math.round(12 * (c.width ?? 1)) }));
  // exceljs writes the sheet's XML into the zip's deflate stream without heeding its back-pressure, so
  // what waits there (and in the zip's output) is measured directly: exceljs 4 internals, read defensively
  // (test/backend/export-formats-stream.test.ts fails if they change and reads run ahead of a slow reader).
  const zip = (wb as unknown as { zip?: { readableLength?: number } }).zip;
  const sheetStream = (sheet as unknown as { stream?: { pipes?: { writableLength?: number }[] } }).stream;
  const held = (): number => (zip?.readableLength ?? 0) + (sheetStream?.pipes ?? []).reduce((sum, p) => sum + (p.writableLength ?? 0), 0);
  let written = 0;
  for await (const page of table.pages()) {
    if (sink.closed) break;
    // Rows are turned into XML synchronously: a slice at a time, the event loop given back in between.
    for (let i = 0; i < page.length; ) {
      i = workSlice(page, i, (part) => part.forEach((r) => sheet.addRow(table.columns.map((c) => xlsxCell(r[c.key] ?? null))).commit()));
      await pause(table);
    }
    written += page.length;
    await settle(out, sink, held);
  }
  if (written === 0) sheet.addRow([table.empty]).commit();
  sheet.commit();
  const about = wb.addWorksheet('About');
  about.addRow(['Report', table.title]).commit();
  about.addRow(['Generated', now.toISOString()]).commit();
  for (const [k, v] of Object.entries(table.criteria)) about.addRow([k, xlsxCell(v)]).commit();
  about.addRow(['Rows', written]).commit();
  const next = table.next();
  if (next) about.addRow(['Continue from', next]).commit();
  about.commit();
  await wb.commit();
  await finished(out);
  return written;
}

/** Excel sheet names: at most 31 characters, none of `[]:*?/\`. */
function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Report';
}

const PDF = { layout: 'landscape', margin: 28, font: 6.5, headFont: 7, rowHeight: 10, titleFont: 12 } as const;
/** Rows laid out between two turns of the event loop. */
const PDF_SLICE = 10;
/** Reports wider than this many columns are printed on A3 (landscape), the rest on A4. */
const A4_COLUMNS = 11;

/** Text the PDF's standard fonts (WinAnsi) can draw: other characters become `?`, line breaks spaces. */
function pdfText(v: Cell): string {
  if (v === null) return '';
  return String(v).replace(/[\r\n\t]+/g, ' ').replace(/[^\u0020-\u007E\u00A0-\u00FF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g, '?');
}

/**
 * The PDF: a landscape table, the title and criteria on top, the column headings on every page and
 * a page number at the foot. Each page goes out as soon as it is full (pdfkit writes a page when the
 * next one starts), and a cell too long for its column is cut with "…" (CSV, JSON and Excel carry it whole).
 */
async function writePdf(table: ReportTable, sink: Sink, now: Date): Promise<number> {
  const out = sinkWritable(sink);
  const doc = new PDFDocument({ size: table.columns.length > A4_COLUMNS ? 'A3' : 'A4', layout: PDF.layout, margin: PDF.margin, bufferPages: false, info: { Title: table.title, Creator: 'callhome', CreationDate: now } });
  doc.pipe(out);
  const left = PDF.margin;
  const usable = doc.page.width - 2 * PDF.margin;
  const totalWeight = table.columns.reduce((s, c) => s + (c.width ?? 1), 0);
  const widths = table.columns.map((c) => (usable * (c.width ?? 1)) / totalWeight);
  const bottom = doc.page.height - PDF.margin - PDF.rowHeight;
  let page = 1;
  let y = 0;

  const cells = (values: readonly string[], font: 'Helvetica' | 'Helvetica-Bold', size: number): void => {
    doc.font(font).fontSize(size);
    let x = left;
    values.forEach((text, i) => {
      // A clear gap between columns, so a reader (pdf.js, a screen reader) keeps the cells apart.
      const w = (widths[i] ?? 0) - 8;
      doc.text(fit(doc, text, w, font, size), x, y, { lineBreak: false });
      x += widths[i] ?? 0;
    });
    y += PDF.rowHeight;
  };
  const header = (): void => {
    cells(
      table.columns.map((c) => c.header),
      'Helvetica-Bold',
      PDF.headFont,
    );
    doc
      .moveTo(left, y - 1)
      .lineTo(left + usable, y - 1)
      .lineWidth(0.4)
      .stroke();
    y += 2;
  };
  const footer = (): void => {
    doc.font('Helvetica').fontSize(PDF.font);
    doc.text(`${pdfText(table.title)} · page ${page}`, left, doc.page.height - PDF.margin, { lineBreak: false });
  };

  doc.font('Helvetica-Bold').fontSize(PDF.titleFont).text(pdfText(table.title), left, PDF.margin, { lineBreak: false });
  y = PDF.margin + PDF.titleFont + 4;
  const criteria = Object.entries(table.criteria).map(([k, v]) => `${k}: ${v}`);
  doc
    .font('Helvetica')
    .fontSize(PDF.font + 1)
    .text(fit(doc, pdfText(`Generated ${now.toISOString()}${criteria.length ? ` · ${criteria.join(' · ')}` : ''}`), usable, 'Helvetica', PDF.font + 1), left, y, { lineBreak: false });
  y += PDF.rowHeight + 6;
  header();

  let written = 0;
  for await (const rows of table.pages()) {
    for (const r of rows) {
      if (sink.closed) break;
      if (y > bottom) {
        footer();
        doc.addPage();
        page++;
        y = PDF.margin;
        header();
        // The finished page is on its way: wait for the socket before drawing the next.
        await settle(out, sink, () => doc.readableLength);
        await pause(table);
      }
      cells(
        table.columns.map((c) => pdfText(r[c.key] ?? null)),
        'Helvetica',
        PDF.font,
      );
      written++;
      // store (issue 14): laying out a row's cells is synchronous (a full page took 100–180 ms under load).
      if (written % PDF_SLICE === 0) await pause(table);
    }
    if (sink.closed) break;
  }
  if (written === 0) {
    doc.font('Helvetica').fontSize(PDF.font + 2).text(pdfText(table.empty), left, y + 4, { lineBreak: false });
  }
  const next = table.next();
  if (next) {
    doc
      .font('Helvetica')
      .fontSize(PDF.font)
      .text(`Stopped at ${written} rows; continue with cursor=${next}`, left, Math.min(y + 4, bottom), { lineBreak: false });
  }
  footer();
  doc.end();
  await finished(out);
  return written;
}

/**
 * Per font and size, each character's width in points, measured by pdfkit once. Measuring every cell with
 * pdfkit (kerning each pair of characters) and searching for the cut took most of the PDF's 150 µs per row.
 */
const CHAR_WIDTHS = new Map<string, Map<string, number>>();
/** Points kept free at a cut: widths summed without kerning differ from pdfkit's by a fraction of a point. */
const KERNING_ROOM = 1;

/** The text cut to `width` points in the current font (`font` at `size`), with "…" when it was cut. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number, font: string, size: number): string {
  if (text === '') return text;
  const key = `${font} ${size}`;
  let widths = CHAR_WIDTHS.get(key);
  if (!widths) CHAR_WIDTHS.set(key, (widths = new Map()));
  const known = widths;
  const widthOf = (c: string): number => {
    let w = known.get(c);
    if (w === undefined) known.set(c, (w = doc.widthOfString(c)));
    return w;
  };
  let total = 0;
  for (const c of text) total += widthOf(c);
  if (total <= width - KERNING_ROOM) return text;
  const room = width - KERNING_ROOM - widthOf('…');
  let used = 0;
  let end = 0;
  for (const c of text) {
    const w = widthOf(c);
    if (used + w > room) break;
    used += w;
    end += c.length;
  }
  return `${text.slice(0, end)}…`;
}

export type { Column };
