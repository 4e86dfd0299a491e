/**
 * Issue 11, item 6 — one writer per SQLite file, and a back end that cannot start does not run in
 * part. Attacks: a second `callhome serve` on the same `--db` (through the real executable), and a
 * start whose SMTP port is taken after the HTTP listener is already up.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../src/backend/server.js';
import { postXml, sampleWith, TOKEN } from '../backend/helpers.js';
import { killSpawned, spawnServe, stopServe } from '../faults/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-single-writer-'));
afterAll(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir, CALLHOME_TOKEN: TOKEN }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('one back end per SQLite file', () => {
  it('refuses a second serve on the same --db with a clear error, while the first keeps serving', { timeout: 90_000 }, async () => {
    const db = join(dir, 'one.db');
    // Given a running back end on a database
    const first = await spawnServe({ db });
    expect((await postXml(first.url, sampleWith({ serial: 'ONEWRITER1', messageId: 'w-1' }))).status).toBe(200);
    // When a second serve is started on the same file
    const port = await freePort();
    const second = await run(['serve', '--db', db, '--http-port', String(port), '--json']);
    // Then it exits non-zero, says why, and never listened
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/in use by another process/);
    expect(second.stdout).not.toMatch(/ready/);
    expect(await refused(port)).toBe(true);
    // …and so is one that would run SQLite on its main thread (--no-sqlite-thread opens the file the same way)
    const onMain = await run(['serve', '--db', db, '--http-port', String(port), '--no-sqlite-thread', '--json']);
    expect(onMain.code).not.toBe(0);
    expect(onMain.stderr).toMatch(/in use by another process/);
    // …and the first is unharmed
    expect((await postXml(first.url, sampleWith({ serial: 'ONEWRITER1', messageId: 'w-2' }))).status).toBe(200);
    await stopServe(first);
    // Once the first has stopped, the file is free again, also for a back end with SQLite on its main thread
    const after = await spawnServe({ db });
    await stopServe(after);
    const mainThread = await startBackend({ dbPath: db, httpPort: 0, smtpPort: null, token: TOKEN, sqliteOnMainThread: true });
    try {
      expect((await postXml(mainThread.url, sampleWith({ serial: 'ONEWRITER1', messageId: 'w-3' }))).status).toBe(200);
    } finally {
      await mainThread.close();
    }
  });
});

describe('a start that fails half-way', () => {
  let blocker: Server;
  afterAll(() => new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r())));

  it('closes the HTTP listener it had opened and releases the database when the SMTP port is taken', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (blocker.address() as { port: number }).port;
    const httpPort = await freePort();
    const db = join(dir, 'half.db');
    await expect(startBackend({ dbPath: db, httpPort, smtpPort, token: TOKEN })).rejects.toThrow(/EADDRINUSE/);
    // Nothing keeps accepting messages
    expect(await refused(httpPort)).toBe(true);
    // …and the database is not left locked
    const again = await startBackend({ dbPath: db, httpPort: 0, smtpPort: null, token: TOKEN });
    await again.close();
  });

  it('exits non-zero through the executable, with nothing left listening', { timeout: 60_000 }, async () => {
    const smtpPort = (blocker.address() as { port: number }).port;
    const httpPort = await freePort();
    const r = await run(['serve', '--db', join(dir, 'half2.db'), '--http-port', String(httpPort), '--smtp-port', String(smtpPort)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot start/);
    expect(await refused(httpPort)).toBe(true);
  });
});
