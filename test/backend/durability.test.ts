import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../src/callhome/codec.js';
import { apiMessageIds, killSpawned, spawnServe, stopServe } from '../faults/helpers.js';
import { buildMessage } from './build-message.js';
import { postXml } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-durability-'));
const db = join(dir, 'callhome.db');

afterAll(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged message across a SIGKILL right after the last acknowledgement', async () => {
    // Given a back end process
    const first = await spawnServe({ db });
    const url = first.url;
    const acked: string[] = [];
    // When 20 devices post 200 messages concurrently, and the process is killed at the last 200
    const total = 200;
    await Promise.all(
      Array.from({ length: 20 }, async (_v, dev) => {
        for (let i = 0; i < total / 20; i++) {
          const m = buildMessage({ serialNumber: `DUR${String(dev).padStart(4, '0')}`, hostname: `D${dev}`, kind: 'syslog', severity: 3, description: `message ${i}` });
          const r = await postXml(url, renderXml(m));
          if (r.status === 200) acked.push(m.messageId);
        }
      }),
    );
    await stopServe(first, 'SIGKILL');
    expect(acked).toHaveLength(total);
    // Then after a restart on the same database every acknowledged message is there
    const second = await spawnServe({ db });
    const stored = new Set(await apiMessageIds(second.url));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    await stopServe(second);
  }, 60_000);
});
