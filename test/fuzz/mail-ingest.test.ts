/**
 * Fuzzing e-mail ingest: the long/short text readers (src/backend/ingest/parse-text.ts), mailparser
 * plus readMail (smtp-ingest.ts) on arbitrary MIME-ish mails, and the real SMTP listener of a real
 * back end. Properties: the readers give a message or the ingest's Refusal (never a throw) within
 * the budget; the listener answers every mail with 250 or a 5xx that gives a reason, and keeps
 * serving.
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeLongText, parseLongText, parseShortText, renderXml } from '../../src/callhome/codec.js';
import { readMail } from '../../src/backend/ingest/smtp-ingest.js';
import { buildMessage } from '../backend/build-message.js';
import { api, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { rawMail, payload } from './mail.js';
import { expectRefusal } from './messages.js';
import { hostileText, runs, scaledTimeout, socketRuns, withinBudget, withinBudgetAsync } from './support.js';

let b: TestBackend;
beforeAll(async () => {
  b = await startTestBackend();
  // A known device, so short-text mails from R1 can be tied to it.
  const r = await fetch(`${b.url}/its/service/oddce/services/DDCEService`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: renderXml(buildMessage({ serialNumber: 'FUZZMAIL01', hostname: 'R1' })) });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await b.stop();
});

describe('text readers fuzz', () => {
  it('parseLongText / parseShortText give a message, a Refusal or null for any text', { timeout: scaledTimeout(15_000) }, () => {
    fc.assert(
      fc.property(fc.oneof(payload, hostileText(600)), (text) => {
        withinBudget('looksLikeLongText', () => looksLikeLongText(text));
        const long = withinBudget('parseLongText', () => parseLongText(text));
        if (long.ok) expect(long.value.serialNumber.length).toBeGreaterThan(0);
        else expectRefusal(long.error);
        const short = withinBudget('parseShortText', () => parseShortText(text));
        if (short) expect(short.severity).toBeGreaterThanOrEqual(0);
      }),
      runs(),
    );
  });

  it('stays linear on long hostile lines', () => {
    const texts = [
      `TimeStamp : x\nAffected Chassis Serial Number : S\n${'a '.repeat(200_000)}`,
      `${'A'.repeat(300_000)} : x`,
      `R1 2026-01-01 00:00:00 GMT+00:00 ${'x '.repeat(200_000)}\u0001`,
      `R1 2026-01-01 00:00:00 GMT+00:00 ${' '.repeat(300_000)}x`,
      `TimeStamp : x\nAffected Chassis Serial Number : S\nAlert Group : syslog\n${'Command Output Name : c\n'.repeat(30_000)}`,
    ];
    for (const text of texts) {
      withinBudget('parseLongText', () => parseLongText(text), 2_000);
      withinBudget('parseShortText', () => parseShortText(text), 2_000);
    }
  });
});

describe('mail reader fuzz (mailparser + readMail)', () => {
  it('reads any mail into a message or a Refusal, and stores what it reads', { timeout: scaledTimeout(30_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(rawMail, async (raw) => {
        const mail = await withinBudgetAsync('simpleParser', () => simpleParser(raw));
        const r = await withinBudgetAsync('readMail', () => readMail(b.service, mail));
        if (!r.ok) {
          expectRefusal(r.error);
          return;
        }
        expect(r.value.message.serialNumber.length).toBeGreaterThan(0);
        // What the reader lets through is stored and processed like the listener does.
        const outcome = await b.service.ingest({ receivedAt: new Date().toISOString(), transport: 'email', remote: null, format: r.value.format, raw: r.value.raw, message: r.value.message });
        expect(['stored', 'duplicate']).toContain(outcome.kind);
      }),
      runs(),
    );
  });
});

describe('SMTP listener fuzz (real back end)', () => {
  it('answers every mail with 250 or a 5xx with a reason, and keeps serving', { timeout: scaledTimeout(60_000) }, async () => {
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    const codes = new Map<number, number>();
    try {
      await fc.assert(
        fc.asyncProperty(rawMail, async (raw) => {
          let code = 250;
          try {
            await mailer.sendMail({ envelope: { from: 'r1@example.com', to: ['callhome@example.com'] }, raw });
          } catch (e) {
            const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
            expect(err.responseCode, `${err.code ?? ''} ${err.message ?? ''}`).toBeGreaterThanOrEqual(500);
            expect(err.responseCode).toBeLessThan(600);
            expect((err.response ?? '').length).toBeGreaterThan(10);
            code = err.responseCode ?? 0;
          }
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
        socketRuns(),
      );
      // Both acceptance and refusal happened, and a plain Call Home mail is still stored.
      expect(codes.get(250) ?? 0).toBeGreaterThan(0);
      expect([...codes.keys()].some((c) => c >= 500)).toBe(true);
      await mailer.sendMail({ from: 'r1@example.com', to: 'callhome@example.com', subject: 'after fuzz', text: renderXml(buildMessage({ serialNumber: 'FUZZMAIL02', hostname: 'R2' })) });
      expect((await api<{ messages: unknown[] }>(b.url, '/messages?device=FUZZMAIL02')).body.messages).toHaveLength(1);
      expect((await api(b.url, '/health', { token: null })).body).toEqual({ ok: true });
    } finally {
      mailer.close();
    }
  });
});
