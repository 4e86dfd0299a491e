/**
 * tidy: the device filter of the message list (`callhome messages --device`, `GET /api/v1/messages?device=`):
 * a serial matches exactly, a host name matches whole and in any case (IOS keeps the case typed at `hostname`;
 * engineers type it in any case); a part of a name is --hostname's job. On SQLite and PostgreSQL, read from
 * an index (the page must stay fast at 1,000,000 messages).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSqlite } from '../../../src/backend/store/migrations.js';
import { openStore } from '../../../src/backend/store/open-store.js';
import type { NewMessage, Store } from '../../../src/backend/store/types.js';
import { buildMessage } from '../build-message.js';
import { DATABASE_KINDS, databases, type Databases } from './databases.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 2, 10, minute)).toISOString();

function newMessage(serial: string, hostname: string, minute: number): NewMessage {
  return { receivedAt: at(minute), transport: 'http', remote: '127.0.0.1', format: 'xml', raw: `<raw ${serial}/>`, message: buildMessage({ serialNumber: serial, hostname, kind: 'syslog' }) };
}

/** The device condition as queries.ts writes it, for the plans. */
const DEVICE_PAGE = 'SELECT id FROM messages WHERE (serial = $1 OR lower(hostname) = lower(CAST($2 AS TEXT))) ORDER BY received_at DESC, id DESC LIMIT 101';

describe.each(DATABASE_KINDS)('the device filter on %s', (kind) => {
  let dbs: Databases;
  let url: string;
  let store: Store;

  beforeAll(async () => {
    dbs = await databases(kind);
    url = await dbs.fresh();
    store = await openStore(url);
    const devices = [
      ['FDO2113A0KT', 'Core-R1'],
      ['FDO2113A0KU', 'core-r1-backup'],
      ['FDO2113A0KV', 'edge-r1'],
    ] as const;
    for (let i = 0; i < 12; i++) {
      const [serial, hostname] = devices[i % 3] ?? devices[0];
      await store.transaction((tx) => tx.insertMessage(newMessage(serial, hostname, i), 'processed'));
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await dbs?.close();
  });

  const serialsOf = async (device: string): Promise<string[]> => [...new Set((await store.listMessages({ limit: 100, device })).messages.map((m) => m.serial))];

  it('matches the whole host name in any case, the serial exactly, and no part of either', async () => {
    for (const typed of ['Core-R1', 'core-r1', 'CORE-R1']) expect(await serialsOf(typed), typed).toEqual(['FDO2113A0KT']);
    expect((await store.listMessages({ limit: 100, device: 'core-r1' })).messages).toHaveLength(4);
    expect(await serialsOf('FDO2113A0KU')).toEqual(['FDO2113A0KU']);
    // A part of a host name or serial is not one device: --hostname / --serial (any part, any case) search for those.
    for (const part of ['core', 'r1', 'FDO2113A0K']) expect(await serialsOf(part), part).toEqual([]);
  });

  it('reads the page from the serial and lower(hostname) indexes, not the whole table', async () => {
    if (kind === 'sqlite') {
      // The store holds its file exclusively: the plan is read from the same schema in memory.
      const db = new Database(':memory:');
      try {
        migrateSqlite(db);
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${DEVICE_PAGE.replace(/\$\d/g, '?')}`).all('r1', 'r1') as { detail: string }[];
        const details = plan.map((p) => p.detail).join('\n');
        expect(details).toContain('messages_hostname_ci');
        expect(details).toMatch(/SEARCH messages USING INDEX messages_serial/);
        expect(details).not.toMatch(/^SCAN messages$/m);
      } finally {
        db.close();
      }
      return;
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // A dozen rows: tell the planner to take an index whenever it can, so the plan shows whether it can.
      await client.query('SET enable_seqscan = off');
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DEVICE_PAGE}`, ['r1', 'r1'])).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('messages_hostname_ci');
      expect(plan).not.toContain('Seq Scan');
    } finally {
      await client.end();
    }
  });
});
