import { request, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachEventStream, type EventStream } from '../../../src/backend/stream/publisher.js';
import { closeServer, listen, range, record, waitFor, type Recorder } from './helpers.js';
import { MemoryEventLog, rejectedEvent } from './memory-event-log.js';

const TOKEN = 'stream-test-token';
const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

describe('attachEventStream', () => {
  let server: Server;
  let port: number;
  let log: MemoryEventLog;
  let stream: EventStream;
  const open: Recorder[] = [];

  beforeAll(async () => {
    ({ server, port } = await listen());
    log = new MemoryEventLog();
    stream = attachEventStream(server, log, { token: TOKEN, pageSize: 50 });
  });
  afterEach(() => {
    for (const r of open.splice(0)) r.ws.terminate();
  });
  afterAll(async () => {
    await stream.close();
    await closeServer(server);
  });

  const url = (query = '') => `ws://127.0.0.1:${port}/events${query}`;
  const connect = async (query = '', options = auth) => {
    const r = await record(url(query), options);
    open.push(r);
    return r;
  };

  it('refuses a missing or wrong token with 401 before upgrading, and a bad since with 400', async () => {
    await expect(record(url())).rejects.toThrow('HTTP 401');
    await expect(record(url(), { headers: { authorization: 'Bearer nope' } })).rejects.toThrow('HTTP 401');
    await expect(record(url('?token=nope'))).rejects.toThrow('HTTP 401');
    await expect(connect('?since=-1')).rejects.toThrow('HTTP 400');
    await expect(record(`ws://127.0.0.1:${port}/other`, auth)).rejects.toThrow('HTTP 404');
    // The refusal body says what to do.
    const refusal = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/events',
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(refusal.status).toBe(401);
    expect(JSON.parse(refusal.body)).toEqual({ error: expect.stringContaining('Authorization: Bearer') });
    // The query-string token is accepted too.
    const viaQuery = await record(url(`?token=${TOKEN}`), {});
    open.push(viaQuery);
    await waitFor(() => viaQuery.frames.length === 1, 5_000, 'hello');
    expect(viaQuery.frames[0]?.type).toBe('hello');
  });

  it('sends hello, the persisted events after since, then live events', async () => {
    const base = log.last;
    for (let i = 0; i < 25; i++) log.append(rejectedEvent(i));
    const r = await connect(`?since=${base + 10}`);
    await waitFor(() => r.seqs().length === 15, 5_000, 'backfill');
    expect(r.frames[0]).toEqual({ type: 'hello', lastSeq: base + 25 });
    expect(r.seqs()).toEqual(range(base + 11, base + 25));
    log.append(rejectedEvent(99));
    await waitFor(() => r.seqs().length === 16, 5_000, 'live event');
    expect(r.seqs().at(-1)).toBe(base + 26);
  });

  it('without since starts at the newest event', async () => {
    log.append(rejectedEvent(1));
    const last = log.last;
    const r = await connect();
    await waitFor(() => r.frames.length === 1, 5_000, 'hello');
    log.append(rejectedEvent(2));
    await waitFor(() => r.seqs().length === 1, 5_000, 'live event');
    expect(r.seqs()).toEqual([last + 1]);
  });

  it('a client that disconnects mid-stream and resumes gets no gap and no duplicate while events keep arriving', async () => {
    const start = log.last;
    const total = 3_000;
    let produced = 0;
    let producing = true;
    // Events keep arriving in small async bursts during the backfill, the disconnect and the resume.
    const producer = (async () => {
      while (produced < total) {
        for (let i = 0; i < 10 && produced < total; i++, produced++) log.append(rejectedEvent(produced));
        await new Promise((resolve) => setImmediate(resolve));
      }
      producing = false;
    })();
    const first = await connect(`?since=${start}`);
    await waitFor(() => first.seqs().length >= 400, 10_000, 'first part');
    first.ws.terminate();
    await first.closed;
    const got = first.seqs();
    const resumeAt = got.at(-1) ?? start;
    expect(producing).toBe(true);
    const second = await connect(`?since=${resumeAt}`);
    await producer;
    await waitFor(() => (second.seqs().at(-1) ?? 0) === start + total, 15_000, 'resumed stream to catch up');
    const all = [...got, ...second.seqs()];
    expect(all).toEqual(range(start + 1, start + total));
  });

  it('tells a client that stops reading to resync and closes it with 4008 while its pending data stays bounded', async () => {
    const { server: s2, port: p2 } = await listen();
    const log2 = new MemoryEventLog();
    const maxBufferedBytes = 512 * 1024;
    const stream2 = attachEventStream(s2, log2, { token: TOKEN, maxBufferedEvents: 64, maxBufferedBytes, closeGraceMs: 60_000 });
    try {
      const slow = await record(`ws://127.0.0.1:${p2}/events`, auth);
      const fast = await record(`ws://127.0.0.1:${p2}/events`, auth);
      await waitFor(() => slow.frames.length === 1 && fast.frames.length === 1, 5_000, 'hellos');
      slow.ws.pause();
      const eventBytes = 64 * 1024;
      let maxBuffered = 0;
      let maxInflight = 0;
      let cutOff = false;
      // Enough data to fill the loopback socket buffers many times over.
      for (let i = 0; i < 300; i++) {
        log2.append(rejectedEvent(i, eventBytes));
        for (const c of stream2.clients()) {
          maxBuffered = Math.max(maxBuffered, c.bufferedAmount);
          maxInflight = Math.max(maxInflight, c.inflight);
          if (c.mode === 'closing') cutOff = true;
        }
        if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await waitFor(() => cutOff || stream2.clients().some((c) => c.mode === 'closing'), 10_000, 'slow client to be cut off');
      expect(maxBuffered).toBeLessThanOrEqual(maxBufferedBytes + eventBytes + 1024);
      expect(maxInflight).toBeLessThanOrEqual(64);
      slow.ws.resume();
      const closed = await slow.closed;
      expect(closed.code).toBe(4008);
      const last = slow.frames.at(-1);
      expect(last?.type).toBe('resync');
      if (last?.type === 'resync') expect(last.lastDeliveredSeq).toBeLessThanOrEqual(slow.seqs().at(-1) ?? 0);
      // The fast client got everything and is still connected.
      await waitFor(() => fast.seqs().length === 300, 10_000, 'fast client to get every event');
      expect(fast.seqs()).toEqual(range(1, 300));
      await waitFor(() => stream2.clients().length === 1, 5_000, 'server to drop the slow client');
      fast.ws.terminate();
    } finally {
      await stream2.close();
      await closeServer(s2);
    }
  });

  it('absorbs a burst larger than maxBufferedEvents by reading the rest from the log, without dropping a healthy client', async () => {
    const { server: s5, port: p5 } = await listen();
    const log5 = new MemoryEventLog();
    const stream5 = attachEventStream(s5, log5, { token: TOKEN, maxBufferedEvents: 20, pageSize: 16 });
    try {
      const r = await record(`ws://127.0.0.1:${p5}/events`, auth);
      await waitFor(() => r.frames.length === 1, 5_000, 'hello');
      // One tick, 500 events: as a group commit publishes them.
      for (let i = 0; i < 500; i++) log5.append(rejectedEvent(i));
      await waitFor(() => r.seqs().length === 500, 10_000, 'every event of the burst');
      expect(r.seqs()).toEqual(range(1, 500));
      expect(r.frames.some((f) => f.type === 'resync')).toBe(false);
      log5.append(rejectedEvent(500));
      await waitFor(() => r.seqs().length === 501, 5_000, 'live again after the burst');
      expect(stream5.clients()[0]?.mode).toBe('live');
      r.ws.terminate();
    } finally {
      await stream5.close();
      await closeServer(s5);
    }
  });

  it('paces the backfill to a client that does not read: the socket queue stays under the byte limit', async () => {
    const { server: s6, port: p6 } = await listen();
    const log6 = new MemoryEventLog();
    const maxBufferedBytes = 256 * 1024;
    const eventBytes = 64 * 1024;
    for (let i = 0; i < 400; i++) log6.append(rejectedEvent(i, eventBytes));
    const stream6 = attachEventStream(s6, log6, { token: TOKEN, maxBufferedBytes, pageSize: 100 });
    try {
      const r = await record(`ws://127.0.0.1:${p6}/events?since=0`, auth);
      r.ws.pause();
      // The server stops handing data to the socket once the kernel buffers are full and the queue reaches the limit.
      await waitFor(() => (stream6.clients()[0]?.bufferedAmount ?? 0) >= maxBufferedBytes, 10_000, 'the socket queue to fill');
      const stalled = stream6.clients()[0];
      expect(stalled?.mode).toBe('backfill');
      expect(stalled?.bufferedAmount).toBeLessThanOrEqual(maxBufferedBytes + eventBytes + 1024);
      expect(stalled?.lastSentSeq).toBeLessThan(400);
      r.ws.resume();
      await waitFor(() => r.seqs().length === 400, 15_000, 'the whole backfill after resuming');
      expect(r.seqs()).toEqual(range(1, 400));
      r.ws.terminate();
    } finally {
      await stream6.close();
      await closeServer(s6);
    }
  });

  it('terminates a peer that does not answer pings', async () => {
    const { server: s3, port: p3 } = await listen();
    const stream3 = attachEventStream(s3, new MemoryEventLog(), { token: TOKEN, pingIntervalMs: 50 });
    try {
      const live = await record(`ws://127.0.0.1:${p3}/events`, auth);
      const dead = await record(`ws://127.0.0.1:${p3}/events`, { ...auth, autoPong: false });
      const closed = await dead.closed;
      expect(closed.code).toBe(1006);
      // The peer that answers stays through several ping rounds.
      await waitFor(() => stream3.clients().length === 1, 5_000, 'server to drop the dead peer');
      expect(live.ws.readyState).toBe(live.ws.OPEN);
      live.ws.terminate();
    } finally {
      await stream3.close();
      await closeServer(s3);
    }
  });

  it('closes clients with 1001 when the server shuts down', async () => {
    const { server: s4, port: p4 } = await listen();
    const stream4 = attachEventStream(s4, new MemoryEventLog(), { token: TOKEN });
    const r = await record(`ws://127.0.0.1:${p4}/events`, auth);
    await stream4.close();
    expect((await r.closed).code).toBe(1001);
    await closeServer(s4);
  });
});
