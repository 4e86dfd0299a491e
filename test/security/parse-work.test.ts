/**
 * Threat (issue 11, item 1): a body that makes the XML parser work more than in proportion to its
 * size. The namespace bomb (~235 KiB, thousands of declarations on one element and as many children)
 * froze the back end for ~18 s because every node copied the namespace scope; 3 MiB bodies of other
 * shapes held the event loop for seconds. Stated bound: the parser answers any body within the Call
 * Home limit in XML_LIMITS.deadlineMs (5 s) plus a second of slack; on this 2-core machine the worst
 * shape costs about 1.5 s of CPU (`npm run bench:xml` prints the figures). Item 8's parser point: a
 * `<!DOCTYPE` inside CDATA is data, not a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../src/callhome/codec.js';
import { XML_LIMITS } from '../../src/callhome/xml-parse.js';
import { api, postXml, SAMPLE_XML, sampleWith, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { hugeShapes, namespaceBomb } from './hostile-xml.js';

/** The bound the module header states: the deadline plus a second of slack on a loaded machine. */
const BOUND_MS = XML_LIMITS.deadlineMs + 1_000;

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

describe('XML parsing costs in proportion to the body', () => {
  it('refuses the namespace bomb at once (attributes per element are capped)', () => {
    const body = namespaceBomb();
    expect(body.length).toBeGreaterThan(200 * 1024);
    const { value, ms } = timed(() => parseXml(body));
    expect(value.ok ? 'ok' : value.error.kind).toBe('too-complex');
    expect(ms).toBeLessThan(1_000);
  });

  it('reads namespace declarations at the cap on many elements in linear time (scopes are stacks, not copies)', () => {
    // 250 declarations on each of n elements, each with a child resolving a prefix: the old copy-per-node
    // scope cost n × 250 map entries per level; stacks cost one push and pop per declaration.
    const decls = Array.from({ length: 250 }, (_, i) => ` xmlns:p${i}="urn:p:${i}"`).join('');
    const body = (n: number): string => `<r>${`<p7:e${decls}><p9:f/></p7:e>`.repeat(n)}</r>`;
    const small = timed(() => parseXml(body(48)));
    const large = timed(() => parseXml(body(480)));
    expect(large.value.ok ? 'ok' : large.value.error.kind).toBe('not-call-home');
    // Ten times the body: linear work is about ten times the CPU time (wall time here measures the
    // neighbours); allow 40× for noise and warm-up. The old copy-per-node scopes were ~100× here.
    expect(large.cpuMs).toBeLessThan(Math.max(40 * small.cpuMs, 1_000));
  });

  it('answers every 3 MiB shape within the stated bound, with a message or a refusal that echoes nothing of it', { timeout: 120_000 }, () => {
    for (const [name, body] of hugeShapes()) {
      expect(Buffer.byteLength(body), name).toBeLessThanOrEqual(3_145_728);
      const { value, ms } = timed(() => parseXml(body));
      expect(ms, name).toBeLessThan(BOUND_MS);
      if (!value.ok) {
        expect(['not-xml', 'too-complex', 'not-call-home', 'no-serial'], name).toContain(value.error.kind);
        expect(value.error.reason.length, name).toBeLessThan(400);
      }
    }
  });

  it('refuses a body that outlasts the deadline as too complex, not as malformed', () => {
    const body = hugeShapes().find(([name]) => name === 'escaped text in a header field')?.[1] ?? '';
    const r = parseXml(body, { deadlineMs: 0 });
    expect(r.ok ? 'ok' : r.error.kind).toBe('too-complex');
  });

  it('reads a DOCTYPE inside CDATA as data, and still refuses a real one', () => {
    const text = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]> &xxe;';
    const inCdata = SAMPLE_XML.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, `$1<![CDATA[${text}]]>$2`);
    expect(inCdata).not.toBe(SAMPLE_XML);
    const r = parseXml(inCdata);
    expect(r.ok && r.value.attachments[0]?.data).toBe(text);
    const real = SAMPLE_XML.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY xxe "x">]>');
    expect(real).not.toBe(SAMPLE_XML);
    const refused = parseXml(real);
    expect(refused.ok ? 'ok' : refused.error.kind).toBe('forbidden-dtd');
  });
});

describe('over HTTP: a hostile body never holds up another device or the API', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startTestBackend();
    expect((await postXml(b.url, sampleWith({ serial: 'WARMUP0001' }))).status).toBe(200); // the parse threads are up
  });
  afterAll(async () => {
    await b.stop();
  });

  /** Health and another device's post, timed again and again until `done` settles. */
  async function probeDuring(done: Promise<unknown>): Promise<{ health: number[]; post: number[] }> {
    const health: number[] = [];
    const post: number[] = [];
    let over = false;
    void done.finally(() => (over = true));
    for (let i = 0; !over || i < 2; i++) {
      let t = performance.now();
      expect((await api(b.url, '/health', { token: null })).status).toBe(200);
      health.push(performance.now() - t);
      t = performance.now();
      expect((await postXml(b.url, sampleWith({ serial: `PROBE${String(i).padStart(5, '0')}`, messageId: `M${i}:PROBE:${Date.now()}` }))).status).toBe(200);
      post.push(performance.now() - t);
    }
    return { health, post };
  }

  it('refuses the namespace bomb with 400 too-complex while health and another device are answered', async () => {
    const bomb = postXml(b.url, namespaceBomb());
    const probes = await probeDuring(bomb);
    const r = await bomb;
    expect(r.status).toBe(400);
    expect(r.json['error']).toBe('too-complex');
    expect(Math.max(...probes.health)).toBeLessThan(2_000);
  });

  it('answers 3 MiB bodies of every shape within the bound while health and other devices stay prompt', { timeout: 300_000 }, async () => {
    const shapes = hugeShapes();
    const started = performance.now();
    const replies = Promise.all(
      shapes.map(async ([name, body]) => {
        const t = performance.now();
        const r = await postXml(b.url, body);
        return { name, status: r.status, ms: performance.now() - t };
      }),
    );
    const probes = await probeDuring(replies);
    const answered = await replies;
    const total = performance.now() - started;
    for (const a of answered) expect([200, 400, 422], a.name).toContain(a.status);
    const pct = (xs: number[], p: number): number => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
    // The bodies queue in the large lane one after another (seconds in all on this machine); meanwhile the
    // probes are answered in a fraction of one body's parse (what remains on the main thread is reading
    // the bodies, storing the valid ones and publishing their events).
    console.log(`16 bodies answered in ${Math.round(total)} ms; ${probes.health.length} probes: health p50 ${Math.round(pct(probes.health, 0.5))} / p95 ${Math.round(pct(probes.health, 0.95))} / max ${Math.round(pct(probes.health, 1))} ms, device post p50 ${Math.round(pct(probes.post, 0.5))} / p95 ${Math.round(pct(probes.post, 0.95))} / max ${Math.round(pct(probes.post, 1))} ms`);
    expect(probes.health.length).toBeGreaterThan(3);
    // The parse is off the main thread, so most probes answer at once. The worst one is not bounded here:
    // on this shared machine a commit's fsync of a stored 3 MiB message has taken seconds (store side).
    expect(pct(probes.health, 0.95)).toBeLessThan(500);
    expect(pct(probes.post, 0.5)).toBeLessThan(1_000);
    expect(total).toBeLessThan(shapes.length * BOUND_MS);
  });
});
