import fc from 'fast-check';
import type { RefusalKind } from '../../src/backend/ingest/refusal.js';
import { refusalSummary } from '../../src/backend/refusals.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../src/callhome/codec.js';
import { buildMessage } from './build-message.js';
import { api, postXml, SAMPLE_XML, sampleWith, startTestBackend, type TestBackend } from './helpers.js';

let b: TestBackend;
beforeAll(async () => {
  b = await startTestBackend();
});
afterAll(async () => {
  await b.stop();
});

const rejections = () => b.events.filter((e) => e.type === 'message.rejected');

describe('HTTP ingest of Call Home XML', () => {
  it('stores the guide sample (§6.6) with its header fields and CDATA attachment', async () => {
    // Given the verbatim sample, When it is posted, Then it is acknowledged and stored with its fields.
    const r = await postXml(b.url, SAMPLE_XML);
    expect(r.status).toBe(200);
    const id = Number(r.json['id']);
    const m = await api<{ serial: string; hostname: string; model: string; type: string; severity: number; eventName: string; transport: string; attachments: { name: string; data: string }[]; fields: Record<string, string> }>(b.url, `/messages/${id}`);
    expect(m.body).toMatchObject({ serial: '9S1NMSF22DW', hostname: 'qiang-vm', model: 'CSR1000V', type: 'syslog', severity: 2, eventName: 'CLEAR-5-COUNTERS', transport: 'http' });
    expect(m.body.fields['softwareVersion']).toBe('15.4(20130604:093915)');
    expect(m.body.attachments[0]?.name).toBe('show logging');
    expect(m.body.attachments[0]?.data).toMatch(/^show logging Syslog logging[\s\S]*qiang-vm#$/);
  });

  it('is idempotent on (serial, message id): a resend is acknowledged but not stored twice', async () => {
    const before = (await api<{ messages: unknown[] }>(b.url, '/messages?device=9S1NMSF22DW')).body.messages.length;
    const r = await postXml(b.url, SAMPLE_XML);
    expect(r).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    expect((await api<{ messages: unknown[] }>(b.url, '/messages?device=9S1NMSF22DW')).body.messages.length).toBe(before);
  });

  it("accepts the lab renderer's XML and other namespace prefixes", async () => {
    const msg = buildMessage({ serialNumber: 'LAB0001', kind: 'environment', severity: 5, eventName: '', description: 'TEMP_FAILURE: TempHigh inlet 75C', cards: [{ model: 'PWR-1', serialNumber: 'PS1', partNumber: 'P-1', location: '0', hardwareVersion: '1', softwareVersion: '' }] });
    const r = await postXml(b.url, renderXml(msg), 'text/xml');
    expect(r.status).toBe(200);
    const stored = await api<{ type: string; severity: number; eventName: string; fields: { cards: unknown[]; messageId: string } }>(b.url, `/messages/${Number(r.json['id'])}`);
    expect(stored.body).toMatchObject({ type: 'environment', severity: 5, eventName: 'TEMP_FAILURE' });
    expect(stored.body.fields.messageId).toBe(msg.messageId);
    expect(stored.body.fields.cards).toHaveLength(1);
    const renamed = sampleWith({ serial: 'PFX00001' }).replaceAll('soap-env:', 'env:').replaceAll('xmlns:soap-env', 'xmlns:env').replaceAll('aml-block:', 'b:').replaceAll('xmlns:aml-block', 'xmlns:b');
    expect((await postXml(b.url, renamed, 'application/xml')).status).toBe(200);
    // A default namespace instead of a prefix reads the same.
    const defaulted = sampleWith({ serial: 'DEF00001' }).replaceAll('aml-block:', '').replaceAll('xmlns:aml-block', 'xmlns');
    const d = await postXml(b.url, defaulted, 'application/xml');
    expect(d.status).toBe(200);
    expect((await api<{ severity: number; attachments: unknown[] }>(b.url, `/messages/${Number(d.json['id'])}`)).body).toMatchObject({ severity: 2, attachments: [expect.objectContaining({ name: 'show logging' })] });
    // The right local names in the wrong namespace are not a Call Home message.
    const before = rejections().length;
    expect((await postXml(b.url, sampleWith({ serial: 'NS000001' }).replace('http://www.cisco.com/2004/01/aml-block', 'urn:other'))).status).toBe(422);
    await expect.poll(() => rejections().length).toBe(before + 1);
  });

  const refusals: [string, () => Promise<{ status: number; json: Record<string, unknown> }>, number, RegExp][] = [
    ['not XML', () => postXml(b.url, 'hello, this is not xml <'), 400, /not well-formed XML/],
    ['not a Call Home message', () => postXml(b.url, '<?xml version="1.0"?><order><item/></order>'), 422, /not a Call Home message/],
    ['an unsupported type', () => postXml(b.url, sampleWith({ type: 'telemetry', serial: 'X1' })), 422, /type "telemetry" is not supported/],
    ['no serial number', () => postXml(b.url, SAMPLE_XML.replace('<rme:SerialNumber>9S1NMSF22DW</rme:SerialNumber>', '<rme:SerialNumber></rme:SerialNumber>').replace('CSR1000V@C@9S1NMSF22DW', '')), 422, /no chassis serial number/],
    ['a wrong content type', () => postXml(b.url, SAMPLE_XML, 'application/json'), 415, /Content-Type "application\/json" is not accepted/],
    ['a body over 3,145,728 bytes', () => postXml(b.url, SAMPLE_XML.replace('</soap-env:Envelope>', `<!--${'x'.repeat(3_145_728)}--></soap-env:Envelope>`)), 413, /larger than 3145728 bytes/],
    ['entity expansion (billion laughs)', () => postXml(b.url, `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`), 400, /DOCTYPE or ENTITY/],
    ['an external entity', () => postXml(b.url, SAMPLE_XML.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('qiang-vm</ch:Name>', '&xxe;</ch:Name>')), 400, /DOCTYPE or ENTITY/],
  ];

  it.each(refusals)('refuses %s with a clear reason and a message.rejected event', async (_name, send, status, reason) => {
    const count = rejections().length;
    const r = await send();
    expect(r.status).toBe(status);
    expect(String(r.json['reason'])).toMatch(reason);
    await expect.poll(() => rejections().length).toBe(count + 1);
    // The event records the kind in our words, never the sender's content (issue 11: "telemetry" above is the sender's).
    expect(rejections().at(-1)).toMatchObject({ transport: 'http', reason: refusalSummary(r.json['error'] as RefusalKind) });
  });

  it('never crashes on arbitrary bodies: every answer is 200 or a 4xx, and the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `<?xml version="1.0"?><a>${s}</a>`), fc.string().map((s) => SAMPLE_XML.replace('qiang-vm', s))), async (body) => {
        const r = await postXml(b.url, body);
        expect([200, 400, 422]).toContain(r.status);
      }),
      { numRuns: 60 },
    );
    expect((await api(b.url, '/health', { token: null })).body).toEqual({ ok: true });
  });
});
