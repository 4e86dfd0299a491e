/**
 * Issue 17 (S87): the gateway's communication and retrieval logs — time, subject, block ID, status —
 * in weekly files kept three months, exported as a zip. A real gateway in front of a real back end;
 * the zip is opened with a real zip reader (yauzl, which checks each entry's CRC).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { credentialsStore } from '../../src/gateway/credentials.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { isoWeek, LOG_COLUMNS, logDir, weekEnd } from '../../src/gateway/logs.js';
import { sampleWith, TOKEN } from '../backend/helpers.js';
import { gatewayCli, postToGateway as post, registerGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-logs-'));
const queueDir = join(dir, 'queue');
let backend: Backend;
let gateway: Gateway | undefined;

beforeAll(async () => {
  backend = await startBackend({ dbPath: join(dir, 'service.db'), httpPort: 0, smtpPort: null, token: TOKEN, parseWorkers: 1 });
  await registerGateway(backend.url, queueDir, 'logged-site');
});

afterAll(async () => {
  await gateway?.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every entry of a zip file: name → content, read (and CRC-checked) by yauzl. */
function readZip(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.once('error', reject);
          stream.once('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.once('end', () => resolve(out));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

/** The rows of a log file (CSV with a header line), as objects by column. */
function rows(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe('gateway logs', () => {
  it('names ISO weeks in UTC, across year ends', () => {
    expect(isoWeek(new Date('2026-12-06T23:59:59Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2026-12-07T00:00:00Z'))).toBe('2026-W50');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    expect(new Date(weekEnd('2026-W49')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });

  it('logs intake in the retrieval log and forwarding in the communication log, week by week; deletes files older than three months; exports a zip', { timeout: 60_000 }, async () => {
    const logs = logDir(queueDir);
    mkdirSync(logs, { recursive: true });
    // Two old weeks: one past the three months, one within them.
    const now = Date.now();
    const oldWeek = isoWeek(new Date(now - 110 * 24 * 3600_000));
    const keptWeek = isoWeek(new Date(now - 60 * 24 * 3600_000));
    writeFileSync(join(logs, `communication-${oldWeek}.csv`), `${LOG_COLUMNS.join(',')}\n`);
    writeFileSync(join(logs, `retrieval-${keptWeek}.csv`), `${LOG_COLUMNS.join(',')}\n2026-10-01T00:00:00.000Z,old,1,OLD-1,S,queued (http),\n`);

    const credentials = credentialsStore(queueDir);
    gateway = await startGateway({ queueDir, target: { backend: new URL(backend.url) }, httpPort: 0, credentials: () => credentials.get(), onNewPassword: (p) => credentials.rotate(p), minBackoffMs: 100, maxBackoffMs: 500, rulesEveryMs: 100 });
    for (const id of ['L-1', 'L-2']) expect(await post(gateway.httpPort!, sampleWith({ serial: 'GWLOG1', messageId: id }))).toBe(200);
    // Not Call Home: refused at intake, and that is logged too.
    expect(await post(gateway.httpPort!, '<hello/>')).toBeGreaterThanOrEqual(400);
    await waitFor('both forwarded', () => gateway!.queue.counts().queued === 0, 20_000);
    await waitFor('the old week deleted', () => !existsSync(join(logs, `communication-${oldWeek}.csv`)), 5_000);
    expect(existsSync(join(logs, `retrieval-${keptWeek}.csv`))).toBe(true);

    const week = isoWeek(new Date());
    const retrieval = rows(readFileSync(join(logs, `retrieval-${week}.csv`), 'utf8'));
    expect(retrieval.filter((r) => r['status'] === 'queued (http)').map((r) => [r['message id'], r['serial']])).toEqual([
      ['L-1', 'GWLOG1'],
      ['L-2', 'GWLOG1'],
    ]);
    const queued = retrieval.find((r) => r['message id'] === 'L-1')!;
    expect(Number(queued['block id'])).toBeGreaterThan(0);
    expect(queued['subject']).not.toBe('');
    expect(Date.parse(queued['time'] ?? '')).toBeGreaterThan(now - 60_000);
    expect(retrieval.some((r) => r['status'] === 'refused (http)' && r['detail'] !== '')).toBe(true);
    const communication = rows(readFileSync(join(logs, `communication-${week}.csv`), 'utf8'));
    expect(communication.filter((r) => r['status'] === 'forwarded').map((r) => r['message id']).sort()).toEqual(['L-1', 'L-2']);
    // The same block ID names the message in both logs.
    expect(communication.find((r) => r['message id'] === 'L-1')?.['block id']).toBe(queued['block id']);

    // An operator's drop is logged beside what the running gateway writes.
    const held = gateway.queue.add({ kind: 'xml', body: Buffer.from(sampleWith({ serial: 'GWLOG1', messageId: 'L-held' })), messageId: 'L-held', serial: 'GWLOG1', subject: 'held one', source: 'http' });
    gateway.queue.setState([held], 'held', 'test');
    expect(JSON.parse(await gatewayCli('drop', { backend: backend.url, queueDir, ids: [String(held)] }))).toEqual({ dropped: 1 });
    expect(rows(readFileSync(join(logs, `communication-${week}.csv`), 'utf8')).find((r) => r['message id'] === 'L-held')).toMatchObject({ 'block id': String(held), status: 'dropped by an operator' });

    // Export: every kept file, byte for byte, in a zip
    const zipFile = join(dir, 'gateway-logs.zip');
    const exported = JSON.parse(await gatewayCli('logs', { backend: backend.url, queueDir, export: zipFile })) as { exported: string; files: { name: string; bytes: number }[] };
    expect(exported.exported).toBe(zipFile);
    const entries = await readZip(zipFile);
    expect([...entries.keys()].sort()).toEqual([`communication-${week}.csv`, `retrieval-${keptWeek}.csv`, `retrieval-${week}.csv`].sort());
    expect(exported.files.map((f) => f.name).sort()).toEqual([...entries.keys()].sort());
    for (const [name, content] of entries) expect(content).toBe(readFileSync(join(logs, name), 'utf8'));
    expect(entries.get(`retrieval-${keptWeek}.csv`)).toContain('OLD-1');

    // The listing names the same files
    const listed = JSON.parse(await gatewayCli('logs', { backend: backend.url, queueDir })) as { files: { name: string; kind: string; week: string }[] };
    expect(listed.files.map((f) => f.name).sort()).toEqual([...entries.keys()].sort());
  });

  it('refuses to export into a directory that does not exist, with a clear error', async () => {
    await expect(gatewayCli('logs', { backend: backend.url, queueDir, export: join(dir, 'missing', 'x.zip') })).rejects.toThrow(/Cannot write .*x\.zip/);
  });
});
