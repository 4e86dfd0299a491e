import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../helpers.js';
import { record, waitFor } from './helpers.js';

/** The publisher inside the real back end (startBackend over a temp SQLite file). */
describe('/events on the real back end', () => {
  let backend: TestBackend;
  const wsUrl = (query: string) => `${backend.url.replace(/^http/, 'ws')}/events${query}`;
  const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('refuses a missing or wrong token with 401', async () => {
    await expect(record(wsUrl(''))).rejects.toThrow('HTTP 401');
    await expect(record(wsUrl('?token=wrong'))).rejects.toThrow('HTTP 401');
  });

  it('a client that disconnects and resumes while devices keep posting gets every event once, in order', async () => {
    const start = await backend.eventLog.lastSeq();
    const total = 120;
    let posted = 0;
    // Devices keep posting, four at a time, through the disconnect and the resume.
    const devices = Array.from({ length: 4 }, async (_, d) => {
      for (let i = d; i < total; i += 4) {
        const { status } = await postXml(backend.url, sampleWith({ serial: `RES${String(i).padStart(8, '0')}`, messageId: `M${i}:RES:${d}` }));
        expect(status).toBe(200);
        posted++;
      }
    });
    const first = await record(wsUrl(`?since=${start}`), auth);
    await waitFor(() => first.seqs().length >= 20, 15_000, 'first events');
    first.ws.terminate();
    await first.closed;
    const resumeAt = first.seqs().at(-1) ?? start;
    expect(posted).toBeLessThan(total);
    const second = await record(wsUrl(`?since=${resumeAt}`), auth);
    await Promise.all(devices);
    const end = await backend.eventLog.lastSeq();
    await waitFor(() => (second.seqs().at(-1) ?? 0) >= end, 15_000, 'the resumed stream to catch up');
    const stored = (await backend.eventLog.since(start, 10_000)).map((e) => e.seq);
    expect([...first.seqs(), ...second.seqs()]).toEqual(stored);
    // Every post produced at least its message.received event.
    const received = [...first.frames, ...second.frames].filter((f) => f.type === 'message.received');
    expect(received).toHaveLength(total);
    second.ws.terminate();
  });
});
