/**
 * Issue 6, faults 2: event-stream clients whose connections are broken at random during a device load.
 * Each client (the product's own connectEventStream) reaches the back end through a TCP link that the
 * test resets towards the client, resets towards the server, or black-holes. After the load every client
 * holds exactly the server's event log from its start, each event once and in seq order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEventStream, type EventStreamClient } from '../../src/events/client.js';
import type { BackendEvent } from '../../src/events/protocol.js';
import { startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { waitFor } from '../backend/stream/helpers.js';
import { faultScale, scaled } from '../support/scale.js';
import { cuttableLink, loaderAgent, loadXml, postDevice, type CutMode, type CuttableLink } from './helpers.js';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ smtpPort: null });
});
afterAll(async () => {
  await backend.stop();
});

type Subscriber = {
  readonly link: CuttableLink;
  readonly client: EventStreamClient;
  readonly events: BackendEvent[];
  /** Drop points still to come, as acknowledgement counts, each with how to break the link. */
  readonly plan: { at: number; mode: CutMode }[];
  readonly cuts: Record<CutMode, number>;
  /** Connections the client opened (one `hello` each). */
  readonly hellos: { count: number };
};

const MODES: readonly CutMode[] = ['client-reset', 'server-reset', 'black-hole'];

describe('event-stream clients dropped at random during a load', () => {
  it('gives every client each event exactly once and in order after it resumes with since', { timeout: faultScale() === 'full' ? 900_000 : 90_000 }, async () => {
    const total = scaled(500, 5_000);
    const clients = scaled(5, 20);
    const dropsPerClient = scaled(4, 10);
    const started = Date.now();
    const startSeq = await backend.eventLog.lastSeq();

    // Given K clients, each behind a link that the test can break, resuming from the same seq
    const subs: Subscriber[] = [];
    for (let k = 0; k < clients; k++) {
      const link = await cuttableLink(backend.httpPort);
      const events: BackendEvent[] = [];
      const plan = Array.from({ length: dropsPerClient }, () => ({ at: 1 + Math.floor(Math.random() * (total - 1)), mode: MODES[Math.floor(Math.random() * MODES.length)] ?? 'client-reset' })).sort((a, b) => a.at - b.at);
      const hellos = { count: 0 };
      // A black-holed link is noticed by silence; resume quickly so drops stay within the load.
      const client = connectEventStream({ url: `http://127.0.0.1:${link.port}`, token: TOKEN, since: startSeq, onEvent: (e) => events.push(e), onHello: () => hellos.count++, heartbeatTimeoutMs: 1_000, initialBackoffMs: 10, maxBackoffMs: 100 });
      subs.push({ link, client, events, plan, cuts: { 'client-reset': 0, 'server-reset': 0, 'black-hole': 0 }, hellos });
    }
    await waitFor(() => subs.every((s) => s.link.open() === 1), 15_000, 'every client connected');

    // When devices post M messages and every client's link is broken at its random drop points
    const agent = loaderAgent(16);
    let next = 0;
    let acked = 0;
    const breakDue = (): void => {
      for (const s of subs) {
        // A drop point reached while the client is still reconnecting waits for the next connection.
        const due = s.plan[0];
        if (due && due.at <= acked && s.link.open() > 0 && s.link.bytesDown() > 0) {
          s.plan.shift();
          s.cuts[due.mode] += s.link.cut(due.mode);
        }
      }
    };
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        // Past `total`, the load goes on (up to 4×) while drops are still planned: a client still
        // resuming from a black hole when its drop point passes takes it on its next connection.
        while (next < total || (subs.some((s) => s.plan.length > 0) && next < total * 4)) {
          const body = loadXml('DROP', next++, 50);
          expect(await postDevice(agent, backend.url, body.xml)).toBe(200);
          acked++;
          breakDue();
        }
      }),
    );
    agent.destroy();
    const loadMs = Date.now() - started;

    // Then every client catches up with the server's log…
    const lastSeq = await backend.eventLog.lastSeq();
    await waitFor(() => subs.every((s) => s.client.lastSeq() === lastSeq), scaled(30_000, 300_000), 'every client caught up');
    for (const s of subs) s.client.close();
    const expected = JSON.parse(JSON.stringify(await backend.eventLog.since(startSeq, Number.MAX_SAFE_INTEGER))) as BackendEvent[];
    expect(expected.length).toBeGreaterThanOrEqual(total);
    for (const s of subs) {
      // …with each event exactly once, in seq order with no gap, equal to what the server logged
      const seqs = s.events.map((e) => e.seq);
      expect(seqs[0]).toBe(startSeq + 1);
      expect(seqs.filter((seq, i) => i > 0 && seq !== (seqs[i - 1] ?? 0) + 1)).toEqual([]);
      expect(s.events).toEqual(expected);
    }
    // …and each client was really cut off mid-load and resumed
    for (const s of subs) {
      expect(s.cuts['client-reset'] + s.cuts['server-reset'] + s.cuts['black-hole']).toBeGreaterThanOrEqual(1);
      expect(s.hellos.count).toBeGreaterThan(1);
    }
    const cuts = subs.reduce((n, s) => n + s.cuts['client-reset'] + s.cuts['server-reset'] + s.cuts['black-hole'], 0);
    expect(cuts).toBeGreaterThanOrEqual(clients * 2);
    await Promise.all(subs.map((s) => s.link.close()));

    const byMode = MODES.map((m) => `${m} ${subs.reduce((n, s) => n + s.cuts[m], 0)}`).join(', ');
    console.info(
      `[faults/stream-drops ${faultScale()}] ${clients} clients, ${total} messages → ${expected.length} events; ${cuts} drops (${byMode}), ${subs.reduce((n, s) => n + s.hellos.count, 0)} connections; every client got seq ${startSeq + 1}…${lastSeq} once, in order; load ${loadMs} ms, whole test ${Date.now() - started} ms`,
    );
  });
});
