/**
 * pgexport (issue 14): on PostgreSQL a long export gives way to the rest of the service's database work.
 * `Store.giveWay` resolves at once when no other query or transaction is in flight, waits while one is (an
 * ingest batch holds its connection to commit), and never longer than asked; the History report awaits it
 * between its slices and still writes every row. SQLite has no such method (its database thread serves in turn).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/backend/api/reports.js';
import { writeReport, type Sink } from '../../src/backend/reports/export.js';
import { openStore } from '../../src/backend/store/open-store.js';
import type { Store } from '../../src/backend/store/types.js';
import { buildMessage } from './build-message.js';
import { registerDevices } from './registered.js';
import { databases, type Databases } from './store/databases.js';

/** Whether `p` has settled within `ms` (a generous bound: the waits under test are an order longer). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens a transaction that holds its connection until the returned `commit` is called. */
function heldTransaction(store: Store): { open: Promise<void>; commit: () => Promise<void> } {
  let release: () => void = () => undefined;
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const done = store.transaction(async (tx) => {
    await tx.lastSeq();
    opened();
    await new Promise<void>((resolve) => (release = resolve));
  });
  return {
    open,
    commit: async () => {
      release();
      await done;
    },
  };
}

describe('giveWay on postgres', () => {
  let dbs: Databases;
  let store: Store;
  const giveWay = (ms: number): Promise<void> => {
    if (!store.giveWay) throw new Error('the PostgreSQL store has no giveWay');
    return store.giveWay(ms);
  };

  beforeAll(async () => {
    dbs = await databases('postgres');
    store = await openStore(await dbs.fresh());
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await dbs?.close();
  });

  it('resolves at once when no other database work is in flight', async () => {
    expect(await settlesWithin(giveWay(60_000), 5_000)).toBe(true);
    expect(await settlesWithin(store.scoped(['Nobody']).giveWay?.(60_000) ?? Promise.reject(new Error('scoped view has no giveWay')), 5_000)).toBe(true);
  });

  it('waits while a transaction holds a connection and resolves once it has committed', async () => {
    const tx = heldTransaction(store);
    await tx.open;
    let committed = false;
    const waited = giveWay(60_000).then(() => committed);
    expect(await settlesWithin(waited, 300)).toBe(false);
    committed = true;
    await tx.commit();
    expect(await settlesWithin(waited, 5_000)).toBe(true);
    expect(await waited).toBe(true);
  });

  it('waits no longer than asked while the other work goes on', async () => {
    const tx = heldTransaction(store);
    await tx.open;
    try {
      expect(await settlesWithin(giveWay(50), 5_000)).toBe(true);
    } finally {
      await tx.commit();
    }
  });

  it('the History report awaits it between slices and still writes every row', async () => {
    const now = Date.now();
    const rows = 3_000;
    const list = Array.from({ length: rows }, (_, i) => ({
      message: { receivedAt: new Date(now - i * 60_000).toISOString(), transport: 'http' as const, remote: null, format: 'xml' as const, raw: '<x/>', message: buildMessage({ serialNumber: `GW${i % 20}`, messageId: `GW-${i}` }) },
      status: 'processed' as const,
    }));
    expect(await store.importMessages(list)).toBe(rows);
    await registerDevices(store, Array.from({ length: 20 }, (_, d) => `GW${d}`));
    let calls = 0;
    const counted: Store = { ...store, giveWay: (ms) => (calls++, giveWay(ms)) };
    const chunks: string[] = [];
    const sink: Sink = { closed: false, write: (c) => (chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('utf8')), Promise.resolve()) };
    // Another transaction is open while the export starts: the export waits for it (or its cap) and goes on.
    const tx = heldTransaction(store);
    await tx.open;
    const writing = writeReport(await buildReport(counted, 'history', {}, new Date(now)), 'json', sink);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tx.commit();
    expect(await writing).toBe(rows);
    const body = JSON.parse(chunks.join('')) as { rows: { id: number }[] };
    expect(new Set(body.rows.map((r) => r.id)).size).toBe(rows);
    // Every page of 500 rows is at least one slice, each preceded by a wait for the other work.
    expect(calls).toBeGreaterThanOrEqual(rows / 500);
  });
});

describe('giveWay on sqlite', () => {
  it('is absent: the database thread serves requests in turn', async () => {
    const dbs = await databases('sqlite');
    const store = await openStore(await dbs.fresh());
    try {
      expect(store.giveWay).toBeUndefined();
    } finally {
      await store.close();
      await dbs.close();
    }
  });
});
