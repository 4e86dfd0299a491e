/**
 * The SQLite database thread (issue 14): statements run off the event loop's thread, errors come back as
 * better-sqlite3 raised them, pipelined statements fail the statement they travel with, selects stream in
 * chunks, and one back end owns a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/backend/store/open-store.js';
import { DatabaseInUse } from '../../../src/backend/store/sqlite-store.js';
import { openSqliteThread } from '../../../src/backend/store/sqlite-thread.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-sqlite-thread-'));
let n = 0;
const fresh = (): string => join(dir, `t${++n}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite database thread', () => {
  it('keeps the event loop turning while a long statement runs', async () => {
    const thread = await openSqliteThread(fresh());
    try {
      // A statement of several hundred ms of CPU (a recursive count), with a 5 ms timer on this thread.
      let ticks = 0;
      let longestGap = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        ticks++;
      }, 5);
      const started = performance.now();
      const r = await thread.query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c', []);
      const took = performance.now() - started;
      clearInterval(timer);
      expect(r.rows).toEqual([{ n: 3000000 }]);
      // The timer ran all along: on the main thread the statement would have held it for `took` ms.
      expect(took).toBeGreaterThan(100);
      expect(ticks).toBeGreaterThan(took / 5 / 4);
      expect(longestGap).toBeLessThan(Math.max(60, took / 2));
    } finally {
      await thread.close();
    }
  });

  it('reports SQL errors with their SQLite code, fails the statement a failed pipelined one travels with, and streams selects in chunks', async () => {
    const thread = await openSqliteThread(fresh());
    try {
      await thread.query('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)', []);
      const insert = await thread.query('INSERT INTO t (k, v) VALUES (?, ?)', [1, 'one']);
      expect(insert.numAffectedRows).toBe(1n);
      expect(insert.insertId).toBe(1n);
      await expect(thread.query('INSERT INTO t (k, v) VALUES (?, ?)', [1, 'again'])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      // A release of a savepoint that does not exist is pipelined, then fails the select it travels with.
      await expect(thread.query('RELEASE SAVEPOINT nowhere', [])).resolves.toEqual({ rows: [] });
      await expect(thread.query('SELECT v FROM t', [])).rejects.toThrow(/no such savepoint/);
      // …and nothing stays queued: the next statement runs normally.
      expect((await thread.query('SELECT v FROM t', [])).rows).toEqual([{ v: 'one' }]);

      for (let k = 2; k <= 25; k++) await thread.query('INSERT INTO t (k, v) VALUES (?, ?)', [k, `v${k}`]);
      const chunks: number[] = [];
      for await (const page of thread.stream('SELECT k FROM t ORDER BY k', [], 10)) chunks.push(page.rows.length);
      expect(chunks).toEqual([10, 10, 5]);
      // A stream left early is ended in the thread; the connection is usable again.
      for await (const page of thread.stream('SELECT k FROM t ORDER BY k', [], 10)) {
        expect(page.rows).toHaveLength(10);
        break;
      }
      expect((await thread.query('SELECT count(*) AS c FROM t', [])).rows).toEqual([{ c: 25 }]);
    } finally {
      await thread.close();
    }
    await expect(thread.query('SELECT 1', [])).rejects.toThrow(/closed/);
  });

  it('refuses a second back end on the same file with DatabaseInUse, and releases the file on close', async () => {
    const file = fresh();
    const first = await openStore(file);
    await expect(openStore(file)).rejects.toBeInstanceOf(DatabaseInUse);
    expect(await first.lastSeq()).toBe(0);
    await first.close();
    const again = await openStore(file);
    expect(await again.lastSeq()).toBe(0);
    await again.close();
  });
});
