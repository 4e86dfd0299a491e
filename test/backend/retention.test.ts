/**
 * Issue 14: retention. The purge deletes what is older than `--retention-days` (the guides keep three months),
 * in batches of a few hundred rows, each its own short statement, yielding between them; newer messages stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { buildMessage } from './build-message.js';
import { TOKEN } from './helpers.js';
import { DATABASE_KINDS, databases, type Databases } from './store/databases.js';

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)('retention purge on %s', (kind) => {
  let dbs: Databases;
  let backend: Backend;

  beforeAll(async () => {
    dbs = await databases(kind);
    backend = await startBackend({ dbPath: await dbs.fresh(), httpPort: 0, token: TOKEN, retentionDays: 92, maintenanceIntervalMs: 3_600_000 });
  }, 120_000);
  afterAll(async () => {
    await backend?.close();
    await dbs?.close();
  });

  it('deletes messages older than the retention in small batches and keeps the rest', { timeout: 60_000 }, async () => {
    const now = Date.now();
    const message = (i: number, ageDays: number) => ({
      message: { receivedAt: new Date(now - ageDays * DAY - i * 1000).toISOString(), transport: 'http' as const, remote: null, format: 'xml' as const, raw: '<x/>', message: buildMessage({ serialNumber: `RET${i % 20}`, messageId: `RET-${ageDays}-${i}` }) },
      status: 'processed' as const,
    });
    const store = backend.service.store;
    expect(await store.importMessages([...Array.from({ length: 1_000 }, (_, i) => message(i, 93)), ...Array.from({ length: 30 }, (_, i) => message(i, 91))])).toBe(1_030);
    const batches: number[] = [];
    const purgeBefore = store.purgeBefore.bind(store);
    store.purgeBefore = async (cutoff, batch) => {
      const r = await purgeBefore(cutoff, batch);
      batches.push(r.messages);
      return r;
    };
    const purged = await backend.service.purge();
    expect(purged.messages).toBe(1_000);
    expect(batches.length).toBeGreaterThan(2);
    expect(Math.max(...batches)).toBeLessThanOrEqual(300);
    const left = await store.listMessages({ limit: 1000, serials: Array.from({ length: 20 }, (_, i) => `RET${i}`) });
    expect(left.messages).toHaveLength(30);
    expect(left.messages.every((m) => Date.parse(m.receivedAt) > now - 92 * DAY)).toBe(true);
    expect((await backend.service.purge()).messages).toBe(0);
  });
});
