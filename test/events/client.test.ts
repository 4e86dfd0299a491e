import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { attachEventStream, type EventStream } from '../../src/backend/stream/publisher.js';
import { backoffDelay, connectEventStream, eventStreamUrl, type EventStreamClient, type InvalidFrame, type StreamState } from '../../src/events/client.js';
import type { BackendEvent } from '../../src/events/protocol.js';
import { closeServer, listen, range, waitFor } from '../backend/stream/helpers.js';
import { MemoryEventLog, rejectedEvent } from '../backend/stream/memory-event-log.js';

const TOKEN = 'client-test-token';

type Harness = { server: Server; port: number; stream: EventStream };

async function serve(log: MemoryEventLog, port = 0): Promise<Harness> {
  const { server, port: actual } = await listen(port);
  return { server, port: actual, stream: attachEventStream(server, log, { token: TOKEN, pageSize: 40 }) };
}

async function stop(h: Harness): Promise<void> {
  await h.stream.close();
  await closeServer(h.server);
}

describe('connectEventStream', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function client(options: Partial<Parameters<typeof connectEventStream>[0]> & { url: string }) {
    const events: BackendEvent[] = [];
    const states: StreamState[] = [];
    const invalid: InvalidFrame[] = [];
    const c: EventStreamClient = connectEventStream({
      token: TOKEN,
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s),
      onInvalidFrame: (f) => invalid.push(f),
      initialBackoffMs: 20,
      maxBackoffMs: 200,
      ...options,
    });
    cleanups.push(() => c.close());
    return { c, events, states, invalid, seqs: () => events.map((e) => e.seq) };
  }

  it('builds the stream URL from the back-end URL', () => {
    expect(eventStreamUrl('http://127.0.0.1:8080', 5).href).toBe('ws://127.0.0.1:8080/events?since=5');
    expect(eventStreamUrl('https://backend.example.com/base/', undefined).href).toBe('wss://backend.example.com/base/events');
    expect(eventStreamUrl('ws://h:1/events', 0).href).toBe('ws://h:1/events?since=0');
  });

  it('backs off exponentially with jitter, up to the ceiling', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(40, 100, 10_000, () => 0.5)).toBe(7_500);
  });

  it('delivers the backfill after since, then live events, and reports open', async () => {
    const log = new MemoryEventLog();
    for (let i = 0; i < 10; i++) log.append(rejectedEvent(i));
    const h = await serve(log);
    cleanups.push(() => stop(h));
    const t = client({ url: `http://127.0.0.1:${h.port}`, since: 4 });
    await waitFor(() => t.events.length === 6, 5_000, 'backfill');
    log.append(rejectedEvent(10));
    await waitFor(() => t.events.length === 7, 5_000, 'live');
    expect(t.seqs()).toEqual(range(5, 11));
    expect(t.states[0]).toEqual({ type: 'connecting', attempt: 1 });
    expect(t.states).toContainEqual({ type: 'open', serverLastSeq: 10 });
    expect(t.c.lastSeq()).toBe(11);
  });

  it('reconnects with back-off when the server dies and resumes with no gap and no duplicate', async () => {
    const log = new MemoryEventLog();
    let h = await serve(log);
    const port = h.port;
    cleanups.push(() => stop(h));
    const t = client({ url: `http://127.0.0.1:${port}`, since: 0 });
    for (let i = 0; i < 50; i++) log.append(rejectedEvent(i));
    await waitFor(() => t.events.length === 50, 5_000, 'first events');
    // Kill the server; events keep being persisted while it is down.
    await stop(h);
    for (let i = 50; i < 120; i++) log.append(rejectedEvent(i));
    await waitFor(() => t.states.some((s) => s.type === 'backing-off' && s.attempt >= 2), 5_000, 'failed reconnect attempts');
    h = await serve(log, port);
    await waitFor(() => t.events.length === 120, 10_000, 'resumed backfill');
    for (let i = 120; i < 130; i++) log.append(rejectedEvent(i));
    await waitFor(() => t.events.length === 130, 5_000, 'live after resume');
    expect(t.seqs()).toEqual(range(1, 130));
    const backoffs = t.states.flatMap((s) => (s.type === 'backing-off' ? [s] : []));
    expect(backoffs.length).toBeGreaterThanOrEqual(2);
    expect(backoffs.every((s) => s.retryInMs <= 200 && s.reason.length > 0)).toBe(true);
    expect(t.states.at(-1)?.type).toBe('open');
  });

  it('stops with state unauthorized on a wrong token and does not retry', async () => {
    const log = new MemoryEventLog();
    const h = await serve(log);
    cleanups.push(() => stop(h));
    const t = client({ url: `http://127.0.0.1:${h.port}`, token: 'wrong' });
    await waitFor(() => t.states.some((s) => s.type === 'unauthorized'), 5_000, 'unauthorized');
    const last = t.states.at(-1);
    expect(last?.type).toBe('unauthorized');
    if (last?.type === 'unauthorized') expect(last.message).toContain('token');
    expect(t.states.filter((s) => s.type === 'connecting')).toHaveLength(1);
  });

  it('backs off with the server\'s own reason when it refuses the upgrade', async () => {
    const log = new MemoryEventLog();
    const h = await serve(log);
    cleanups.push(() => stop(h));
    // A refusal other than 401 (here 404: wrong path) is not an auth problem: the client backs off and says why.
    const t = client({ url: `http://127.0.0.1:${h.port}/nothing-here/events` });
    await waitFor(() => t.states.some((s) => s.type === 'backing-off'), 5_000, 'back-off');
    const backoff = t.states.find((s) => s.type === 'backing-off');
    expect(backoff?.type === 'backing-off' ? backoff.reason : '').toMatch(/server refused the stream: No WebSocket endpoint/);
  });

  it('reports invalid frames without throwing and keeps delivering valid ones', async () => {
    const { server, port } = await listen();
    const wss = new WebSocketServer({ server });
    cleanups.push(async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(server);
    });
    wss.on('connection', (ws) => {
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'hello', lastSeq: 1 }));
      ws.send(JSON.stringify({ type: 'message.rejected', seq: 'two' }));
      ws.send(JSON.stringify({ type: 'message.rejected', seq: 2, at: 'now', transport: 'http', reason: 'r', remote: null }));
    });
    const t = client({ url: `http://127.0.0.1:${port}` });
    await waitFor(() => t.events.length === 1 && t.invalid.length === 2, 5_000, 'frames');
    expect(t.invalid[0]?.error).toMatch(/not JSON/);
    expect(t.invalid[1]?.error).toMatch(/seq/);
    expect(t.seqs()).toEqual([2]);
  });

  it('treats a silent server as dead and reconnects, resuming from the hello', async () => {
    const { server, port } = await listen();
    // This server never pings and never sends anything after hello.
    const wss = new WebSocketServer({ server });
    const urls: string[] = [];
    wss.on('connection', (ws, request) => {
      urls.push(request.url ?? '');
      ws.send(JSON.stringify({ type: 'hello', lastSeq: 7 }));
    });
    cleanups.push(async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(server);
    });
    client({ url: `http://127.0.0.1:${port}`, heartbeatTimeoutMs: 100 });
    await waitFor(() => urls.length >= 2, 5_000, 'a reconnect after silence');
    expect(urls[0]).toBe('/events');
    expect(urls[1]).toBe('/events?since=7');
  });

  it('reconnects at once with since after a resync close (4008)', async () => {
    const { server, port } = await listen();
    const wss = new WebSocketServer({ server });
    const urls: string[] = [];
    wss.on('connection', (ws, request) => {
      urls.push(request.url ?? '');
      ws.send(JSON.stringify({ type: 'hello', lastSeq: 3 }));
      if (urls.length > 1) return;
      for (const seq of [1, 2, 3]) ws.send(JSON.stringify({ type: 'message.rejected', seq, at: 'now', transport: 'http', reason: 'r', remote: null }));
      ws.send(JSON.stringify({ type: 'resync', lastDeliveredSeq: 2, reason: 'client fell behind' }));
      ws.close(4008, 'resync');
    });
    cleanups.push(async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(server);
    });
    const t = client({ url: `http://127.0.0.1:${port}`, since: 0 });
    await waitFor(() => urls.length === 2, 5_000, 'the reconnect');
    expect(urls).toEqual(['/events?since=0', '/events?since=3']);
    expect(t.seqs()).toEqual([1, 2, 3]);
    expect(t.states).toContainEqual(expect.objectContaining({ type: 'backing-off', retryInMs: 0 }));
  });

  it('close() ends in state closed and stops reconnecting', async () => {
    const log = new MemoryEventLog();
    const h = await serve(log);
    cleanups.push(() => stop(h));
    const t = client({ url: `http://127.0.0.1:${h.port}` });
    await waitFor(() => t.states.some((s) => s.type === 'open'), 5_000, 'open');
    t.c.close();
    expect(t.c.state()).toEqual({ type: 'closed' });
    await waitFor(() => h.stream.clients().length === 0, 5_000, 'server to see the close');
  });
});
