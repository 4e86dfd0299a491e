/**
 * Ingest batches run in SQLite's database thread (src/backend/ingest/batch.ts, store/sqlite-thread.ts): one
 * request per group commit carries the messages, the rules, the service's clock and the SR tracker's state, and
 * brings back each message's outcome with the events and deliveries to publish after commit. Exercised through
 * a real back end (HTTP ingest, the API, a real SMTP sink) and through the service over a thread store.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml, renderXml } from '../../src/callhome/codec.js';
import { defaultRulesFile, loadRules } from '../../src/backend/processing/rules.js';
import { createBackendService } from '../../src/backend/service.js';
import { LARGE_JOB_BYTES } from '../../src/backend/ingest/parse-pool.js';
import { openSqliteStore, openSqliteThreadStore } from '../../src/backend/store/sqlite-store.js';
import type { NewMessage, Store } from '../../src/backend/store/types.js';
import type { BackendEvent } from '../../src/events/protocol.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend } from './helpers.js';
import { notes, register, send, startRig, tempFailure, type Rig } from './sr-notify/helpers.js';

/** A fixed clock far from today: what the database thread's processing must use. */
const CLOCK = Date.parse('2031-03-01T08:00:00Z');
let rig: Rig;

beforeAll(async () => {
  // No injected SR-contact directory: with one (a function) the service runs batches itself; here the thread does.
  rig = await startRig({ now: () => new Date(CLOCK + (Date.now() - started)) });
});
const started = Date.now();
afterAll(async () => rig.stop());

describe('ingest batches in the database thread, through a real back end', () => {
  it('processes concurrent posts in batches: every message stored once, a resend a duplicate, events in seq order with no gap', async () => {
    const from = rig.b.events.length;
    const messages = Array.from({ length: 40 }, (_, i) => buildMessage({ serialNumber: `BATCH${String(i % 5).padStart(3, '0')}`, kind: 'syslog', subType: '', severity: 5, description: `%LINK-3-UPDOWN: Interface Gi0/${i}, changed state to down` }));
    const bodies = messages.map((m) => renderXml(m));
    // The first message again, in the same burst: the same ID and content is a duplicate, whichever batch it lands in.
    const answers = await Promise.all([...bodies, bodies[0] ?? ''].map((b) => postXml(rig.b.url, b)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const received = rig.b.events.slice(from).filter((e): e is Extract<BackendEvent, { type: 'message.received' }> => e.type === 'message.received');
    expect(new Set(received.map((e) => e.message.messageId))).toEqual(new Set(messages.map((m) => m.messageId)));
    expect(received).toHaveLength(40);
    const seqs = rig.b.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
  });

  it("runs processing on the service's clock, not the thread's", async () => {
    await send(rig.b, { serialNumber: 'CLOCK0001', hostname: 'R-CLOCK' });
    const device = await api<{ registration: string; registrationDetail?: { createdAt?: string } }>(rig.b.url, '/devices/CLOCK0001');
    expect(device.body.registration).toBe('pending');
    const reg = await rig.b.service.store.getRegistration('CLOCK0001');
    expect(Date.parse(reg?.createdAt ?? '')).toBeGreaterThanOrEqual(CLOCK);
    expect(Date.parse(reg?.createdAt ?? '')).toBeLessThan(CLOCK + 600_000);
    // The pending-registration notification the thread recorded was published and mailed after commit.
    expect((await notes(rig.b)).some((n) => n.serial === 'CLOCK0001' && n.kind === 'pending-registration')).toBe(true);
  });

  it('sees the SR tracker as the operator last set it: down fails the SR (N12), up again opens it', async () => {
    await register(rig.b, 'BATCHSR01', { contract: 'C-BATCH' });
    expect((await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: false, reason: 'tracker upgrade' } })).status).toBe(200);
    const failed = await send(rig.b, tempFailure('BATCHSR01'));
    expect(failed.results).toMatchObject({ caseAction: 'none', srFailure: 'tracker-unavailable' });
    const n = (await notes(rig.b)).find((x) => x.serial === 'BATCHSR01' && x.kind === 'case-failed');
    expect(n?.body).toMatch(/Tracker: tracker upgrade/);
    expect((await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: true } })).status).toBe(200);
    expect((await send(rig.b, tempFailure('BATCHSR01'))).results.caseAction).toBe('created');
  });
});

/** Parsed inputs as the HTTP ingest hands them to the service. */
function inputs(count: number, serial: (i: number) => string): NewMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const raw = renderXml(buildMessage({ serialNumber: serial(i), kind: 'syslog', subType: '', severity: 5, description: `%SYS-5-CONFIG_I: Configured ${i}` }));
    const parsed = parseXml(raw);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    return { receivedAt: new Date().toISOString(), transport: 'http' as const, remote: '127.0.0.1', format: 'xml' as const, raw, message: parsed.value };
  });
}

describe('a large body', () => {
  it('is decoded, parsed and packed off the event loop, stored packed, shown whole, and its resend is a duplicate', async () => {
    const b = await startTestBackend({ smtpPort: null });
    try {
      // Non-ASCII text too: the large lane decodes the body's bytes itself.
      const output = `show logging\n${'*Dec  7 03:00:00.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1 (Lüfter, 日本), changed state to down & "up"\n'.repeat(5000)}R1#`;
      const body = renderXml(buildMessage({ serialNumber: 'LARGE0001', kind: 'syslog', subType: '', severity: 3, description: '%LINK-3-UPDOWN: down', attachments: [{ name: 'show logging', data: output }] }));
      expect(Buffer.byteLength(body)).toBeGreaterThan(LARGE_JOB_BYTES);
      const first = await postXml(b.url, body);
      expect(first.status).toBe(200);
      const id = Number(first.json['id']);
      const detail = await api<{ raw: string; attachments: { name: string; data: string }[] }>(b.url, `/messages/${id}`);
      expect(detail.body.raw).toBe(body);
      expect(detail.body.attachments).toEqual([{ name: 'show logging', data: output }]);
      expect((await postXml(b.url, body)).json).toMatchObject({ ok: true, duplicate: true });
      await b.close();
      // Read the file as stored: the text columns are empty, the pack a fraction of the body.
      const db = new Database(join(b.dir, 'callhome.db'), { readonly: true });
      try {
        const row = db.prepare('SELECT raw, attachments, length(packed) AS packed FROM messages WHERE id = ?').get(id) as { raw: string; attachments: string; packed: number };
        expect(row.raw).toBe('');
        expect(row.attachments).toBe('[]');
        expect(row.packed).toBeGreaterThan(0);
        expect(row.packed).toBeLessThan(body.length / 20);
      } finally {
        db.close();
      }
    } finally {
      await b.close();
      rmSync(b.dir, { recursive: true, force: true });
    }
  });
});

describe('a job that fails in a batch', () => {
  it('fails alone: its batch-mates are stored and published, its own writes are undone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callhome-batch-'));
    const real = openSqliteStore(join(dir, 'db.sqlite'));
    // A fault injected into the real store: processing a device record for serial BROKEN01 throws (as a bug would).
    const store: Store = {
      ...real,
      transaction: (fn) =>
        real.transaction((tx) =>
          fn({
            ...tx,
            upsertDevice: (m, at) => (m.serialNumber === 'BROKEN01' ? Promise.reject(new Error('injected fault: device record')) : tx.upsertDevice(m, at)),
          }),
        ),
    };
    const service = createBackendService({ store, rules: loadRules(defaultRulesFile()), portalUrl: 'http://127.0.0.1', groupCommit: { maxDelayMs: 20, maxBatch: 64 } });
    const published: BackendEvent[] = [];
    service.log.subscribe((e) => published.push(e));
    try {
      const list = inputs(12, (i) => (i === 5 ? 'BROKEN01' : `GOOD${String(i).padStart(4, '0')}`));
      const settled = await Promise.allSettled(list.map((input) => service.ingest(input)));
      expect(settled.map((r) => r.status)).toEqual(list.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
      const failure = settled[5];
      expect(failure?.status === 'rejected' ? String(failure.reason) : '').toMatch(/injected fault: device record/);
      // The failing message's own insert was rolled back with it; the others are stored and their events published.
      expect((await real.listMessages({ limit: 100 })).messages.map((m) => m.serial).sort()).toEqual(list.filter((_, i) => i !== 5).map((m) => m.message.serialNumber).sort());
      expect(published.filter((e) => e.type === 'message.received')).toHaveLength(11);
      expect(published.some((e) => e.type === 'message.received' && e.message.serial === 'BROKEN01')).toBe(false);
    } finally {
      await service.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a batch whose transaction fails', () => {
  it('fails every message of it at once, without running it again (a job did not fail: a second run would fail the same way)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callhome-batch-'));
    const real = openSqliteStore(join(dir, 'db.sqlite'));
    let transactions = 0;
    // A fault injected into the real store: the transaction fails after its work, as a commit can (a full disk).
    const store: Store = {
      ...real,
      transaction: async (fn) => {
        transactions++;
        await real.transaction(fn);
        throw new Error('injected fault: commit');
      },
    };
    const service = createBackendService({ store, rules: loadRules(defaultRulesFile()), portalUrl: 'http://127.0.0.1', groupCommit: { maxDelayMs: 20, maxBatch: 64 } });
    try {
      const list = inputs(6, (i) => `COMMIT${String(i).padStart(3, '0')}`);
      const settled = await Promise.allSettled(list.map((input) => service.ingest(input)));
      expect(settled.map((r) => (r.status === 'rejected' ? String(r.reason) : 'fulfilled'))).toEqual(list.map(() => 'Error: injected fault: commit'));
      expect(transactions).toBe(1);
    } finally {
      await service.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the service over a thread store', () => {
  it('hands each group commit to the database thread in one request, and publishes what it committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callhome-batch-'));
    const thread = await openSqliteThreadStore(join(dir, 'db.sqlite'));
    const runIngestBatch = thread.runIngestBatch;
    if (!runIngestBatch) throw new Error('the thread store must run ingest batches');
    const sizes: number[] = [];
    const store = { ...thread, runIngestBatch: (jobs: Parameters<typeof runIngestBatch>[0], context: Parameters<typeof runIngestBatch>[1]) => (sizes.push(jobs.length), runIngestBatch(jobs, context)) };
    const service = createBackendService({ store, rules: loadRules(defaultRulesFile()), portalUrl: 'http://127.0.0.1', groupCommit: { maxDelayMs: 20, maxBatch: 64 } });
    const published: BackendEvent[] = [];
    service.log.subscribe((e) => published.push(e));
    try {
      const list = inputs(30, (i) => `SVC${String(i % 3).padStart(4, '0')}`);
      const again = list[0];
      if (!again) throw new Error('no input');
      const outcomes = await Promise.all([...list, again].map((input) => service.ingest(input)));
      expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(30);
      expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(1);
      // 31 messages queued at once, in a few requests, not one per statement.
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(31);
      expect(sizes.length).toBeLessThanOrEqual(3);
      expect(published.filter((e) => e.type === 'message.received')).toHaveLength(30);
      expect(await store.lastSeq()).toBe(published[published.length - 1]?.seq);
    } finally {
      await service.close();
      await thread.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
