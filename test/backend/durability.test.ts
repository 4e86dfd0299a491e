import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/backend/client.js';
import { renderXml } from '../../src/format/xml.js';
import { buildMessage } from './build-message.js';
import { postXml, TOKEN } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-durability-'));
const db = join(dir, 'callhome.db');
const children: ChildProcess[] = [];

/** Spawns `callhome serve --json` and resolves with its HTTP port once it prints ready. */
function serve(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['bin/callhome.js', 'serve', '--json', '--http-port', '0', '--db', db, '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CALLHOME_LOG_LEVEL: 'warn' } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ready = JSON.parse(line) as { event: string; http: number; smtp: number | null };
      if (ready.event === 'ready') resolve({ child, port: ready.http });
    });
  });
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged message across a SIGKILL right after the last acknowledgement', async () => {
    // Given a back end process
    const first = await serve();
    const url = `http://127.0.0.1:${first.port}`;
    const acked: string[] = [];
    // When 20 devices post 200 messages concurrently, and the process is killed at the last 200
    const total = 200;
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    await Promise.all(
      Array.from({ length: 20 }, async (_v, dev) => {
        for (let i = 0; i < total / 20; i++) {
          const m = buildMessage({ serialNumber: `DUR${String(dev).padStart(4, '0')}`, hostname: `D${dev}`, kind: 'syslog', severity: 3, description: `message ${i}` });
          const r = await postXml(url, renderXml(m));
          if (r.status === 200) acked.push(m.messageId);
        }
      }),
    );
    first.child.kill('SIGKILL');
    await exited;
    expect(acked).toHaveLength(total);
    // Then after a restart on the same database every acknowledged message is there
    const second = await serve();
    const client = createApiClient({ url: `http://127.0.0.1:${second.port}`, token: TOKEN });
    const stored = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.messages({ limit: 1000, cursor });
      for (const m of page.messages) stored.add(m.messageId);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    second.child.kill('SIGTERM');
  }, 60_000);
});
