/**
 * Several `callhome serve` replicas on one PostgreSQL database (a throw-away cluster): one event order
 * with no gap across replicas, and work that must happen once (registration, cases, reminders) happens once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { createBackendService } from '../../src/backend/service.js';
import { defaultRulesFile, loadRules } from '../../src/backend/processing/rules.js';
import { openStore } from '../../src/backend/store/open-store.js';
import type { Store } from '../../src/backend/store/types.js';
import type { BackendEvent } from '../../src/events/protocol.js';
import { parseXml, renderXml } from '../../src/callhome/codec.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';
import { buildMessage } from './build-message.js';
import { SUPPORT_ACTOR } from '../../src/backend/entitlement/model.js';
import { backOffice, trialFixture } from './entitlement/fixtures.js';
import { postXml, sampleWith, TOKEN } from './helpers.js';
import { record, waitFor, type Recorder } from './stream/helpers.js';

let cluster: PgCluster;
let dbCounter = 0;
const freshDb = () => cluster.createDatabase(`replicas${++dbCounter}`);
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const o of opened.reverse()) await o.close().catch(() => undefined);
  await cluster?.stop();
});

async function replica(db: string): Promise<Backend> {
  const b = await startBackend({ dbPath: db, httpPort: 0, token: TOKEN });
  opened.push(b);
  return b;
}

const wsUrl = (b: Backend, since: number) => `${b.url.replace(/^http/, 'ws')}/events?since=${since}`;
const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two replicas on one PostgreSQL', () => {
  it('a client of A gets every event of both replicas in one order, no gap, no duplicate, across a reconnect to B and a slow transaction', { timeout: 120_000 }, async () => {
    const db = await freshDb();
    const [a, b] = [await replica(db), await replica(db)];
    const start = await a.eventLog.lastSeq();
    const perReplica = 60;
    const first: Recorder = await record(wsUrl(a, start), auth);
    let posted = 0;
    const post = async (target: Backend, tag: string, lane: number): Promise<void> => {
      for (let i = lane; i < perReplica; i += 3) {
        const { status } = await postXml(target.url, sampleWith({ serial: `${tag}${String(i).padStart(6, '0')}`, messageId: `M${i}:${tag}` }));
        expect(status).toBe(200);
        posted++;
      }
    };
    const load = Promise.all([0, 1, 2].flatMap((lane) => [post(a, 'REPA', lane), post(b, 'REPB', lane)]));

    // A deliberately slow transaction (a third writer): it takes its seq, then holds it for 1.5 s before commit.
    const slowStore: Store = await openStore(db);
    opened.push(slowStore);
    await waitFor(() => posted >= 20, 30_000, 'the load to start');
    const slow = slowStore.transaction(async (tx) => {
      const events = await tx.appendEvents([{ input: { type: 'message.rejected', transport: 'http', reason: 'slow transaction', remote: null }, at: new Date().toISOString() }]);
      await sleep(1_500);
      return events;
    });

    // Halfway, the client of A goes and resumes on B from the last seq it got.
    await waitFor(() => posted >= perReplica, 60_000, 'half the load');
    first.ws.terminate();
    await first.closed;
    const resumeAt = first.seqs().at(-1) ?? start;
    const second = await record(wsUrl(b, resumeAt), auth);
    await load;
    const [slowEvent] = await slow;
    const end = await b.eventLog.lastSeq();
    await waitFor(() => (second.seqs().at(-1) ?? 0) >= end, 30_000, 'the client of B to catch up');

    const seqs = [...first.seqs(), ...second.seqs()];
    expect(seqs).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
    const events = [...first.frames, ...second.frames].filter((f): f is BackendEvent => 'seq' in f);
    const serials = events.flatMap((e) => (e.type === 'message.received' ? [e.message.serial] : []));
    expect(serials.filter((s) => s.startsWith('REPA'))).toHaveLength(perReplica);
    expect(serials.filter((s) => s.startsWith('REPB'))).toHaveLength(perReplica);
    expect(events.some((e) => e.seq === slowEvent?.seq && e.type === 'message.rejected' && e.reason === 'slow transaction')).toBe(true);
    // The client of A saw events committed by B, not only its own replica's.
    expect(first.frames.some((f) => f.type === 'message.received' && f.message.serial.startsWith('REPB'))).toBe(true);
    second.ws.close();
  });

  it('registers a new device once, opens one case, and sends one reminder when both replicas get the same work at once', { timeout: 120_000 }, async () => {
    const db = await freshDb();
    const [a, b] = [await replica(db), await replica(db)];
    const serials = Array.from({ length: 12 }, (_, i) => `ONCE${String(i).padStart(4, '0')}`);
    await a.service.importBackOffice(backOffice(trialFixture(serials)));
    // The first message of a new serial reaches both replicas at the same moment.
    const statuses = await Promise.all(serials.flatMap((s) => [a, b].map((r, i) => postXml(r.url, sampleWith({ serial: s, messageId: `M${i}:${s}:first` })).then((x) => x.status))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const all = await a.eventLog.since(0, 10_000);
    for (const s of serials) {
      expect(all.filter((e) => e.type === 'registration.changed' && e.serial === s && e.to === 'pending')).toHaveLength(1);
      expect(all.filter((e) => e.type === 'notification.sent' && e.notification.serial === s && e.notification.kind === 'pending-registration')).toHaveLength(1);
    }

    // Confirmed (trial), then one temperature failure reported through both replicas at once: one case.
    const notes = await a.service.store.listNotifications(100);
    for (const s of serials) {
      const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === s && n.kind === 'pending-registration')?.body ?? '')?.[1] ?? '';
      const confirmed = await b.service.confirm(s, token, { actor: SUPPORT_ACTOR });
      expect(confirmed.ok).toBe(true);
    }
    const failure = (s: string, i: number) => renderXml(buildMessage({ serialNumber: s, hostname: `h-${s}`, kind: 'environment', severity: 5, description: 'TEMP_FAILURE: TempHigh inlet 70C', messageId: `T${i}:${s}` }));
    const posts = await Promise.all(serials.flatMap((s) => [a, b].map((r, i) => postXml(r.url, failure(s, i)))));
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 200));
    const cases = await a.service.store.listCases();
    for (const s of serials) expect(cases.filter((c) => c.serial === s)).toHaveLength(1);
    const after = await b.eventLog.since(0, 10_000);
    for (const s of serials) {
      expect(after.filter((e) => e.type === 'case.opened' && e.case.serial === s)).toHaveLength(1);
      expect(after.filter((e) => e.type === 'case.updated' && e.case.serial === s)).toHaveLength(1);
    }
  });

  it('two replicas running the maintenance pass at once remind each trial device once', { timeout: 120_000 }, async () => {
    const db = await freshDb();
    let now = new Date('2026-01-01T00:00:00Z');
    const rules = loadRules(defaultRulesFile());
    const stores = [await openStore(db), await openStore(db)];
    opened.push(...stores);
    const [sa, sb] = stores.map((store) => createBackendService({ store, rules, portalUrl: 'http://x', now: () => now }));
    if (!sa || !sb) throw new Error('two services expected');
    const serials = Array.from({ length: 30 }, (_, i) => `MNT${String(i).padStart(5, '0')}`);
    await sa.importBackOffice(backOffice(trialFixture(serials)));
    for (const s of serials) {
      const parsed = parseXml(renderXml(buildMessage({ serialNumber: s, hostname: `h-${s}` })));
      if (!parsed.ok) throw new Error(parsed.error.reason);
      await sa.ingest({ receivedAt: now.toISOString(), transport: 'http', remote: null, format: 'xml', raw: '', message: parsed.value });
    }
    const notes = await sa.store.listNotifications(1000);
    for (const s of serials) {
      const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === s)?.body ?? '')?.[1] ?? '';
      expect((await sa.confirm(s, token, { actor: SUPPORT_ACTOR })).ok).toBe(true);
    }
    now = new Date(Date.parse('2026-01-01T00:00:00Z') + 15 * 86_400_000);
    await Promise.all([sa.entitlementPass(), sb.entitlementPass(), sa.entitlementPass()]);
    const reminders = (await sa.store.listNotifications(1000)).filter((n) => n.kind === 'trial-reminder');
    expect(reminders.map((n) => n.serial).sort()).toEqual(serials);
    await sa.close();
    await sb.close();
  });
});
