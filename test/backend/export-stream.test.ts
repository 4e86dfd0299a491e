/**
 * Issue 14: a full history export is streamed page by page, so the back end keeps answering health
 * checks and device posts while it runs, and a slow reader holds one page, not the whole history.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { ReportSchema } from '../../src/client/api-client.js';
import { buildMessage } from './build-message.js';
import { postXml, sampleWith, TOKEN } from './helpers.js';
import { DATABASE_KINDS, databases, type Databases } from './store/databases.js';

const ROWS = 30_000;

describe.each(DATABASE_KINDS)('history export on %s', (kind) => {
  let dbs: Databases;
  let backend: Backend;

  beforeAll(async () => {
    dbs = await databases(kind);
    backend = await startBackend({ dbPath: await dbs.fresh(), httpPort: 0, token: TOKEN });
    const now = Date.now();
    const list = Array.from({ length: ROWS }, (_, i) => ({
      message: { receivedAt: new Date(now - i * 60_000).toISOString(), transport: 'http' as const, remote: null, format: 'xml' as const, raw: '<x/>', message: buildMessage({ serialNumber: `EXP${i % 500}`, messageId: `EXP-${i}` }) },
      status: 'processed' as const,
    }));
    expect(await backend.service.store.importMessages(list)).toBe(ROWS);
  }, 180_000);
  afterAll(async () => {
    await backend?.close();
    await dbs?.close();
  });

  it('answers health and ingest while a slow client reads the whole history, which arrives complete', { timeout: 120_000 }, async () => {
    let done = false;
    const body: Buffer[] = [];
    const exported = new Promise<string>((resolve, reject) => {
      const req = request(`${backend.url}/api/v1/reports/history`, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        // A slow reader: one chunk, then a pause.
        res.on('data', (c: Buffer) => {
          body.push(c);
          res.pause();
          setTimeout(() => res.resume(), 3);
        });
        res.on('end', () => {
          done = true;
          resolve(Buffer.concat(body).toString('utf8'));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const health: number[] = [];
    let ingested = 0;
    let i = 0;
    while (!done) {
      const t = performance.now();
      const r = await fetch(`${backend.url}/api/v1/health`);
      expect(r.status).toBe(200);
      if (!done) health.push(performance.now() - t);
      const post = await postXml(backend.url, sampleWith({ serial: `LIVE${i}`, messageId: `M${i++}:LIVE` }));
      expect(post.status).toBe(200);
      if (!done) ingested++;
    }
    const report = ReportSchema.parse(JSON.parse(await exported));
    expect(report.rows.filter((r) => String(r['serial']).startsWith('EXP'))).toHaveLength(ROWS);
    expect(new Set(report.rows.map((r) => r['id'])).size).toBe(report.rows.length);
    // The export was still running while health and device posts got their answers.
    expect(health.length).toBeGreaterThan(0);
    expect(ingested).toBeGreaterThan(0);
    console.info(`[export-stream ${kind}] ${ROWS} rows, ${Math.round(Buffer.concat(body).length / 1e6)} MB to a slow reader; meanwhile ${health.length} health checks (slowest ${Math.round(Math.max(...health))} ms) and ${ingested} device posts answered`);
  });

  it('CSV streams the same rows with one header', { timeout: 60_000 }, async () => {
    const r = await fetch(`${backend.url}/api/v1/reports/history?format=csv`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = (await r.text()).trimEnd().split('\r\n');
    // The first release's columns, in their order; the rest of §4.4's eleven (reports, issue 16) come after them.
    expect(lines[0]?.split(',').slice(0, 12).join(',')).toBe('serial,model,hostname,receivedAt,contract,registration,severity,type,status,srRaised,notificationSent,id');
    expect(lines.filter((l) => l.startsWith('serial,'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('EXP'))).toHaveLength(ROWS);
  });
});
