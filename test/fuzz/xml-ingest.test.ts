/**
 * Fuzzing XML ingest (src/backend/ingest/parse-xml.ts): arbitrary strings, Call Home-shaped XML
 * trees, mutations of valid messages, hostile field values and DOCTYPE/entity payloads give a
 * message or the ingest's own Refusal — never a thrown error — within the per-case budget. Then the
 * same inputs go through a real back end over HTTP: every answer is 200 or a 4xx refusal, never a
 * 5xx, and the server stays healthy.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml, renderXml } from '../../src/callhome/codec.js';
import { api, postXml, SAMPLE_XML, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { dtdPayload, dtdPlacement, expectRefusal, GUIDE_SAMPLE, hostileMessage, mutatedDocument, xmlTree } from './messages.js';
import { hostileText, runs, scaledTimeout, socketRuns, withinBudget } from './support.js';

/** Parses within the budget; the result is a message with a serial or a typed refusal. */
function checkXml(body: string, budgetMs?: number): ReturnType<typeof parseXml> {
  const r = withinBudget(`parseXml on ${JSON.stringify(body.slice(0, 40))}…`, () => parseXml(body), budgetMs);
  if (r.ok) expect(r.value.serialNumber.length).toBeGreaterThan(0);
  else expectRefusal(r.error);
  return r;
}

const anyBody = fc.oneof(
  hostileText(500),
  xmlTree,
  mutatedDocument(SAMPLE_XML),
  mutatedDocument(GUIDE_SAMPLE),
  hostileMessage.map(renderXml),
  hostileMessage.chain((m) => mutatedDocument(renderXml(m))),
  dtdPayload(SAMPLE_XML),
);

describe('XML ingest parser fuzz', () => {
  it('gives a message or a Refusal for arbitrary strings', { timeout: scaledTimeout(10_000) }, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), hostileText(500), hostileText(50).map((s) => `<?xml version="1.0"?>${s}`)), (body) => {
        checkXml(body);
      }),
      runs(),
    );
  });

  it('gives a message or a Refusal for Call Home-shaped XML trees', { timeout: scaledTimeout(10_000) }, () => {
    fc.assert(
      fc.property(xmlTree, (body) => {
        checkXml(body);
      }),
      runs(),
    );
  });

  it('gives a message or a Refusal for mutations of valid messages', { timeout: scaledTimeout(15_000) }, () => {
    fc.assert(
      fc.property(fc.oneof(mutatedDocument(SAMPLE_XML), mutatedDocument(GUIDE_SAMPLE), hostileMessage.chain((m) => mutatedDocument(renderXml(m)))), (body) => {
        checkXml(body);
      }),
      runs(),
    );
  });

  it('reads back every message the lab renders, whatever its field values', { timeout: scaledTimeout(15_000) }, () => {
    fc.assert(
      fc.property(hostileMessage, (m) => {
        const r = checkXml(renderXml(m));
        // A rendered message is always well-formed Call Home XML; only a blank serial can refuse it.
        if (!r.ok) expect(r.error.kind).toBe('no-serial');
      }),
      runs(),
    );
  });

  it('refuses every DOCTYPE or ENTITY payload before parsing, wherever it is placed (inside CDATA it is only text)', { timeout: scaledTimeout(10_000) }, () => {
    fc.assert(
      fc.property(fc.oneof(dtdPlacement(SAMPLE_XML), dtdPlacement(GUIDE_SAMPLE), xmlTree.chain(dtdPlacement)), (p) => {
        const r = checkXml(p.body);
        const kind = r.ok ? 'ok' : r.error.kind;
        if (!p.inCdata) expect(kind).toBe('forbidden-dtd');
        // Inside CDATA the payload is data: never expanded, and an entity reference elsewhere is undefined.
        else if (p.useRef && p.body.includes('&xxe;')) expect(kind).toBe('not-xml');
        else if (r.ok) expect(r.value.attachments.some((a) => a.data.includes(p.payload))).toBe(true);
        else expect(kind).not.toBe('forbidden-dtd');
      }),
      runs(),
    );
  });

  it('stays linear on deep nesting, long names, many attributes and huge character references', () => {
    // About 250 kB each: linear work takes well under the budget here, quadratic work would take minutes.
    const bodies = [
      `${'<a>'.repeat(40_000)}x${'</a>'.repeat(40_000)}`,
      `<${'a'.repeat(250_000)}/>`,
      `<a ${Array.from({ length: 20_000 }, (_, i) => `x${i}="1"`).join(' ')}/>`,
      `<a>${'&#99999999999999999999;'.repeat(10_000)}</a>`,
      `<a>${'&amp;'.repeat(50_000)}</a>`,
      `<a>${'&'.repeat(250_000)};</a>`,
      `<a>${'<![CDATA['.repeat(25_000)}</a>`,
      `<a>${'<!--'.repeat(60_000)}</a>`,
      SAMPLE_XML.replace('qiang-vm', 'x '.repeat(125_000)),
      SAMPLE_XML.replace('<aml-block:Attachments>', `<aml-block:Attachments>${'<aml-block:Attachment><aml-block:Name>n</aml-block:Name></aml-block:Attachment>'.repeat(3_000)}`),
    ];
    for (const body of bodies) checkXml(body, 2_000);
  });
});

describe('XML ingest into a real back end', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startTestBackend();
  });
  afterAll(async () => {
    await b.stop();
  });

  it('stores and processes every message it reads, whatever its field values', { timeout: scaledTimeout(30_000) }, async () => {
    // Processing (registration, rules, cases, notifications) sees what parsing let through.
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileMessage.map(renderXml), mutatedDocument(SAMPLE_XML)), async (raw) => {
        const parsed = parseXml(raw);
        if (!parsed.ok) return;
        const outcome = await b.service.ingest({ receivedAt: new Date().toISOString(), transport: 'http', remote: '127.0.0.1', format: 'xml', raw, message: parsed.value });
        expect(['stored', 'duplicate']).toContain(outcome.kind);
      }),
      { numRuns: Math.ceil(runs().numRuns / 2) },
    );
  });

  it('answers 200 or a 4xx refusal to every HTTP body, never a 5xx, and keeps serving', { timeout: scaledTimeout(30_000) }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(anyBody, fc.constantFrom('application/soap+xml; charset=utf-8', 'text/xml', 'application/xml; charset=iso-8859-1', 'application/json', ''), async (body, type) => {
        const r = await postXml(b.url, body, type);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect([200, 400, 413, 415, 422], JSON.stringify(r.json)).toContain(r.status);
        if (r.status !== 200) expect(String(r.json['reason']).length).toBeGreaterThan(10);
      }),
      socketRuns(),
    );
    // Both acceptance and refusal were exercised, and the server still works normally.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    expect((await api(b.url, '/health', { token: null })).body).toEqual({ ok: true });
    const fresh = await postXml(b.url, SAMPLE_XML.replaceAll('9S1NMSF22DW', 'FUZZOK0001'));
    expect(fresh.status).toBe(200);
  });
});
