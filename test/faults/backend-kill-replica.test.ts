/**
 * Issue 14: two `callhome serve` replicas on one PostgreSQL; one is killed with SIGKILL while devices post
 * to both. No message either replica acknowledged is lost, and a WebSocket client of the survivor sees one
 * event sequence with no gap and no duplicate, holding every stored message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { StreamFrameSchema, type BackendEvent } from '../../src/events/protocol.js';
import { record, waitFor } from '../backend/stream/helpers.js';
import { TOKEN } from '../backend/helpers.js';
import { faultScale, scaled } from '../support/scale.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';
import { apiMessageIds, duplicates, killSpawned, loaderAgent, loadXml, postDevice, spawnServe, stopServe } from './helpers.js';

let cluster: PgCluster | undefined;

afterAll(async () => {
  killSpawned();
  await cluster?.stop();
});

describe('one of two replicas killed with SIGKILL during a device load', () => {
  it('loses no acknowledged message and the other replica streams every event once, in order', { timeout: faultScale() === 'full' ? 900_000 : 180_000 }, async () => {
    cluster = await startPostgres();
    const db = await cluster.createDatabase('killreplica');
    const total = scaled(800, 6_000);
    const devices = scaled(80, 400);
    const concurrency = 16;
    const bodies = Array.from({ length: total }, (_v, i) => loadXml('KREP', i, devices));
    const [victim, survivor] = await Promise.all([spawnServe({ db }), spawnServe({ db })]);
    const client = await record(`${survivor.url.replace(/^http/, 'ws')}/events?since=0`, { headers: { authorization: `Bearer ${TOKEN}` } });

    const acked = new Set<string>();
    const inFlight = new Set<string>();
    const refused: string[] = [];
    const killAfter = Math.floor(total * 0.25);
    let ackedByVictim = 0;
    let killed = false;
    let next = 0;
    const agents = [loaderAgent(concurrency), loaderAgent(concurrency)];
    const worker = async (w: number): Promise<void> => {
      while (next < total) {
        const body = bodies[next++];
        if (!body) break;
        // Half the workers post to the replica that dies; after the kill, everything goes to the survivor.
        const toVictim = w % 2 === 0 && !killed;
        inFlight.add(body.messageId);
        try {
          const status = await postDevice(agents[toVictim ? 0 : 1]!, toVictim ? victim.url : survivor.url, body.xml);
          if (status === 200) {
            acked.add(body.messageId);
            inFlight.delete(body.messageId);
            if (toVictim && ++ackedByVictim >= killAfter && !killed) {
              killed = true;
              victim.child.kill('SIGKILL');
            }
          } else refused.push(`${body.messageId}: HTTP ${status}`);
        } catch {
          // The victim died with this request unanswered: it stays "in flight".
          if (!toVictim) refused.push(`${body.messageId}: the survivor failed`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    for (const a of agents) a.destroy();
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(refused).toEqual([]);

    // Every acknowledged message is stored once, whichever replica acknowledged it.
    const stored = await apiMessageIds(survivor.url);
    expect(duplicates(stored)).toEqual([]);
    const storedSet = new Set(stored);
    expect([...acked].filter((id) => !storedSet.has(id))).toEqual([]);
    expect(stored.filter((id) => !acked.has(id) && !inFlight.has(id))).toEqual([]);

    // The survivor's client got seq 1..last with no gap and no duplicate, and every stored message in it.
    const last = await fetchLastSeq(survivor.url);
    await waitFor(() => (client.seqs().at(-1) ?? 0) >= last, 60_000, 'the client of the survivor to catch up');
    expect(client.seqs()).toEqual(Array.from({ length: client.seqs().length }, (_, i) => i + 1));
    const events = client.frames.map((f) => StreamFrameSchema.parse(f)).filter((f): f is BackendEvent => 'seq' in f);
    const received = new Set(events.flatMap((e) => (e.type === 'message.received' ? [e.message.messageId] : [])));
    expect(stored.filter((id) => !received.has(id))).toEqual([]);
    client.ws.close();
    await stopServe(survivor);
    console.info(`[faults/backend-kill-replica ${faultScale()}] ${total} messages, ${concurrency} connections over 2 replicas; SIGKILL of one after ${ackedByVictim} of its acks: acknowledged ${acked.size}, in flight ${inFlight.size}, stored ${stored.length}; survivor streamed seq 1..${client.seqs().at(-1) ?? 0}`);
  });
});

/** The newest seq, as the survivor's stats report it. */
async function fetchLastSeq(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { lastSeq: number }).lastSeq;
}
