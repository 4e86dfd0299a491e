/** Readers for exported report files: the rows back out of an xlsx (exceljs) and a PDF (pdf.js text layer). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Every sheet of a workbook as rows of cell values (as text; empty cells ''). */
export async function readXlsx(data: Uint8Array): Promise<Map<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  const sheets = new Map<string, string[][]>();
  wb.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = Array.from(row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v === null || v === undefined ? '' : String(v))));
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

/** pdf.js reads the metrics of the 14 standard fonts (pdfkit's Helvetica) from its own folder. */
const FONTS = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** One piece of text on a PDF page: where it starts (points from the left and the bottom) and how wide it is. */
export type PdfItem = { readonly str: string; readonly x: number; readonly y: number; readonly width: number };

/** Every non-blank text item of each page of a PDF (pdf.js text layer), and the document's info. */
export async function readPdfItems(data: Uint8Array): Promise<{ pages: PdfItem[][]; info: Record<string, unknown> }> {
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, standardFontDataUrl: FONTS }).promise;
  const pages: PdfItem[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    const items: PdfItem[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      items.push({ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width });
    }
    pages.push(items);
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, info: (meta.info ?? {}) as Record<string, unknown> };
}

/** The text lines of each page of a PDF: items on one baseline joined left to right with a tab. */
export async function readPdf(data: Uint8Array): Promise<{ pages: string[][]; info: Record<string, unknown> }> {
  const { pages, info } = await readPdfItems(data);
  return { pages: pages.map(lines), info };
}

/** Items grouped by baseline (top first), each line's items left to right joined with a tab. */
function lines(items: readonly PdfItem[]): string[] {
  const byBaseline = new Map<number, PdfItem[]>();
  for (const item of items) {
    const y = Math.round(item.y);
    byBaseline.set(y, [...(byBaseline.get(y) ?? []), item]);
  }
  return [...byBaseline.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([, line]) =>
      [...line]
        .sort((a, b) => a.x - b.x)
        .map((i) => i.str)
        .join('\t'),
    );
}
