/**
 * Issue 11, item 4 — refusals are bounded. Attack: a flood of refused requests over HTTP and SMTP
 * whose bodies carry a marker (an unsupported type named after it, broken XML around it, a short-text
 * mail from a host of that name). Every refusal is counted (/stats); only a few per minute are
 * recorded one by one and the rest in one summary event; no event carries the sender's text; and
 * the `message.rejected` events expire.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendEvent } from '../../src/events/protocol.js';
import { api, postXml, sampleWith, startTestBackend, type TestBackend } from '../backend/helpers.js';
import { waitFor } from './helpers.js';

const MARKER = 'MARK3R<script>alert(1)</script>';
let b: TestBackend;

beforeAll(async () => {
  b = await startTestBackend({ refusals: { eventsPerMinute: 5, windowMs: 1_000, retentionMs: 2_000 }, maintenanceIntervalMs: 300 });
});
afterAll(async () => {
  await b.stop();
});

const rejected = (events: readonly BackendEvent[]) => events.filter((e): e is Extract<BackendEvent, { type: 'message.rejected' }> => e.type === 'message.rejected');

describe('a flood of refused requests', () => {
  it('is counted in full, recorded a few at a time plus a summary, without the sender text, and expires', { timeout: 30_000 }, async () => {
    const before = rejected(b.events).length;
    const started = Date.now();
    // When 40 refused posts and 5 refused mails arrive within a second
    const bodies = [sampleWith({ type: MARKER, serial: 'FLOOD1' }), `<?xml version="1.0"?><a>${MARKER}<b></a>`, sampleWith({ type: 'telemetry', serial: MARKER })];
    const statuses = await Promise.all(Array.from({ length: 40 }, (_v, i) => postXml(b.url, bodies[i % bodies.length] ?? '').then((r) => r.status)));
    expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: b.smtpPort ?? 0, secure: false, ignoreTLS: true });
    for (let i = 0; i < 5; i++) {
      await expect(mailer.sendMail({ from: 'x@example.com', to: 'callhome@example.com', subject: 'x', text: `${MARKER}: 12:00:00 UTC Nov 23 2026: %SYS-2-MALLOCFAIL: ${MARKER}` })).rejects.toThrow(/5\d\d/);
    }
    mailer.close();

    // Then every one is counted
    const stats = await waitFor(() => api<{ refusals: { total: number; recorded: number; summarised: number; byKind: Record<string, number> } }>(b.url, '/stats'), (r) => r.body.refusals.total >= 45, 5_000, 'the refusals to be counted');
    expect(stats.body.refusals.total).toBe(45);
    expect(stats.body.refusals.recorded + stats.body.refusals.summarised).toBe(45);
    // At most 5 per window of 1 s recorded one by one, however long the flood took on this machine
    const windows = Math.floor((Date.now() - started) / 1_000) + 1;
    expect(stats.body.refusals.recorded).toBeLessThanOrEqual(5 * windows);
    expect(stats.body.refusals.summarised).toBeGreaterThan(0);
    // …only a few become events, plus a summary once the window ends
    const summary = await waitFor(async () => rejected(b.events).slice(before).find((e) => e.reason.startsWith('summary:')), (e) => e !== undefined, 5_000, 'a summary event');
    expect(summary?.reason).toMatch(/\d+ × /);
    const mine = rejected(b.events).slice(before);
    expect(mine.filter((e) => !e.reason.startsWith('summary:')).length).toBe(stats.body.refusals.recorded);
    // …and none carries the sender's text
    for (const e of mine) expect(JSON.stringify(e)).not.toMatch(/MARK3R|script|telemetry/);
    const stored = await b.service.store.eventsSince(0, 100_000);
    expect(JSON.stringify(rejected(stored))).not.toMatch(/MARK3R/);

    // Then the rejected events expire from the store (the maintenance run deletes them after the retention)
    await waitFor(async () => rejected(await b.service.store.eventsSince(0, 100_000)).length, (n) => n <= 1, 15_000, 'rejected events to expire');
    // …while the accepted messages' events stay
    expect((await postXml(b.url, sampleWith({ serial: 'FLOODOK1', messageId: 'ok-1' }))).status).toBe(200);
    expect((await b.service.store.eventsSince(0, 100_000)).some((e) => e.type === 'message.received')).toBe(true);
  });
});
