/**
 * The migration that rebuilt SQLite's text index without positions (detail=none): a database written before it,
 * with messages in it, is migrated on open and its old messages are found by text afterwards, a % or _ in the
 * term being literal; new messages are indexed by the triggers as before.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../../src/backend/store/migrations.js';
import { openSqliteStore } from '../../../src/backend/store/sqlite-store.js';
import { buildMessage } from '../build-message.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-text-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The index of the migration that dropped the positions. */
const REBUILD = SQLITE_MIGRATIONS.findIndex((m) => m.includes("detail='none'"));

describe('text index migration (SQLite)', () => {
  it('indexes the messages stored before it, so that they are still found by text', async () => {
    expect(REBUILD).toBeGreaterThan(0);
    const file = join(dir, 'old.db');
    const old = new Database(file);
    for (let v = 0; v < REBUILD; v++) old.exec(SQLITE_MIGRATIONS[v] ?? '');
    old.pragma(`user_version = ${REBUILD}`);
    const insert = old.prepare(
      `INSERT INTO messages (received_at, transport, remote, serial, hostname, model, type, subtype, alert_group, severity, event_name, description, message_id, format, raw, fields, attachments, status)
       VALUES (?, 'http', NULL, ?, ?, 'CSR1000V', 'syslog', '', 'syslog', 5, 'LINK-3-UPDOWN', ?, ?, 'xml', '<x/>', '{}', '[]', 'processed')`,
    );
    insert.run('2026-12-01T00:00:00.000Z', 'OLD1', 'edge-1', '%LINK-3-UPDOWN: Interface Gi0/1, changed state to down', 'M1');
    insert.run('2026-12-01T00:00:01.000Z', 'OLD2', 'edge-2', 'Fan tray 2 at 100% speed', 'M2');
    old.close();

    const store = openSqliteStore(file);
    try {
      const serials = async (q: string): Promise<string[]> => (await store.listMessages({ limit: 10, q })).messages.map((m) => m.serial);
      expect(await serials('gi0/1, CHANGED')).toEqual(['OLD1']);
      expect(await serials('%link-3')).toEqual(['OLD1']);
      expect(await serials('100% speed')).toEqual(['OLD2']);
      expect(await serials('100_')).toEqual([]);
      expect(await serials('edge-2')).toEqual(['OLD2']);
      // A message stored after the migration is indexed by the triggers.
      await store.transaction((tx) => tx.insertMessage({ receivedAt: '2026-12-02T00:00:00.000Z', transport: 'http', remote: null, format: 'xml', raw: '<y/>', message: buildMessage({ serialNumber: 'NEW1', hostname: 'core-9', description: 'Power supply B failed' }) }, 'processed'));
      expect(await serials('supply b')).toEqual(['NEW1']);
    } finally {
      await store.close();
    }
  });
});
