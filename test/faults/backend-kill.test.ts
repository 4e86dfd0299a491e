/**
 * Issue 6, faults 1: SIGKILL of the back end during a device load. The loader stops sending at the kill
 * and sorts every message into acknowledged (200), in flight at the kill (sent, no answer) or never sent.
 * After a restart on the same file: acknowledged ⊆ stored ⊆ acknowledged ∪ in flight, and a device
 * retry of the in-flight ones stores each exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultScale, scaled } from '../support/scale.js';
import { apiMessageIds, duplicates, killSpawned, loaderAgent, loadXml, lookAtDb, postDevice, prepareServe, spawnServe, stopServe } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-fault-kill-'));
const db = join(dir, 'callhome.db');

afterAll(() => {
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

describe('back end killed with SIGKILL during a device load', () => {
  it('loses no message acknowledged with 200, stores nothing never sent, and the file passes integrity_check after restart', { timeout: faultScale() === 'full' ? 900_000 : 90_000 }, async () => {
    const total = scaled(1_500, 10_000);
    const devices = scaled(100, 500);
    const concurrency = 32;
    // Kill somewhere between 30% and 80% of the load, after that many acknowledgements.
    const killAfter = Math.floor(total * (0.3 + Math.random() * 0.5));
    const bodies = Array.from({ length: total }, (_v, i) => loadXml('KILL', i, devices));
    const started = Date.now();

    // Given a back end process on a SQLite file, and devices posting over keep-alive connections
    const [first, replacement] = await Promise.all([spawnServe({ db }), prepareServe({ db })]);
    const loadStarted = Date.now();
    const agent = loaderAgent(concurrency);
    const acked = new Set<string>();
    const inFlight = new Set<string>();
    const failedBeforeKill: string[] = [];
    const refused: string[] = [];
    let next = 0;
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      // When the acknowledgement count reaches the kill point: no new request starts after this line.
      first.child.kill('SIGKILL');
    };
    const worker = async (): Promise<void> => {
      while (!killed && next < total) {
        const body = bodies[next++];
        if (!body) break;
        inFlight.add(body.messageId);
        try {
          const status = await postDevice(agent, first.url, body.xml);
          // A 200 read after the kill was written before it: the commit preceded it, so it counts.
          if (status === 200) acked.add(body.messageId);
          else refused.push(`${body.messageId}: HTTP ${status}`);
          inFlight.delete(body.messageId);
        } catch (e) {
          // The connection died at the kill with the request unanswered: it stays "in flight".
          if (!killed) failedBeforeKill.push(`${body.messageId}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (acked.size >= killAfter) kill();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    agent.destroy();
    const exit = await first.exited;
    const loadMs = Date.now() - loadStarted;
    expect(exit.signal).toBe('SIGKILL');
    expect(refused).toEqual([]);
    const sent = new Set([...acked, ...inFlight]);
    const neverSent = bodies.filter((b) => !sent.has(b.messageId)).map((b) => b.messageId);
    expect(failedBeforeKill).toEqual([]);

    // Then the file as the crash left it is intact and holds every acknowledged message once
    const look = lookAtDb(db);
    expect(look.integrity).toBe('ok');
    expect(duplicates(look.messageIds)).toEqual([]);
    const stored = new Set(look.messageIds);
    expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
    // …and nothing that was never sent; stored-but-unacknowledged ones were in flight at the kill
    expect(neverSent.filter((id) => stored.has(id))).toEqual([]);
    const storedUnacked = [...stored].filter((id) => !acked.has(id));
    expect(storedUnacked.filter((id) => !inFlight.has(id))).toEqual([]);
    expect(stored.size).toBe(acked.size + storedUnacked.length);

    // When the back end restarts on the same file, it serves what was stored
    const second = await replacement.start();
    expect(new Set(await apiMessageIds(second.url))).toEqual(stored);
    // …and the devices retry what went unanswered: each is stored exactly once, already-stored ones deduplicated
    const retry = loaderAgent(8);
    for (const id of inFlight) {
      const body = bodies.find((b) => b.messageId === id);
      if (body) expect(await postDevice(retry, second.url, body.xml)).toBe(200);
    }
    retry.destroy();
    await stopServe(second);
    const after = lookAtDb(db);
    expect(after.integrity).toBe('ok');
    expect(duplicates(after.messageIds)).toEqual([]);
    expect(after.messageIds.length).toBe(sent.size);

    console.info(
      `[faults/backend-kill ${faultScale()}] load ${total} messages, ${concurrency} connections; SIGKILL after ${killAfter} acks: acknowledged ${acked.size}, in flight at the kill ${inFlight.size} (stored anyway ${storedUnacked.length}), never sent ${neverSent.length}; stored after restart ${stored.size} = acknowledged + ${storedUnacked.length}; after device retries ${after.messageIds.length} = sent; load until the kill ${loadMs} ms, whole test ${Date.now() - started} ms`,
    );
  });
});
