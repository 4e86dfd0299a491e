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

/** The text lines of each page of a PDF: items on one baseline joined left to right with a tab. */
export async function readPdf(data: Uint8Array): Promise<{ pages: string[][]; info: Record<string, unknown> }> {
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, standardFontDataUrl: FONTS }).promise;
  const pages: string[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    const lines = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const y = Math.round(item.transform[5] as number);
      const x = item.transform[4] as number;
      lines.set(y, [...(lines.get(y) ?? []), { x, s: item.str }]);
    }
    pages.push(
      [...lines.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([, items]) =>
          items
            .sort((a, b) => a.x - b.x)
            .map((i) => i.s)
            .join('\t'),
        ),
    );
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, info: (meta.info ?? {}) as Record<string, unknown> };
}
