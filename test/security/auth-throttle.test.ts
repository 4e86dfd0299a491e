/**
 * Threat: guessing the API token by trying many. Each address gets a few wrong tokens, then is
 * locked out (429 with Retry-After) for a time that doubles with each further wrong token; the
 * lock-out covers the REST API and the /events upgrade together, a right token resets the count,
 * and a right token from another address is never slowed. The throttle remembers a bounded number
 * of addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../src/backend/auth-throttle.js';
import { startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { rawRequest, upgradeStatus, waitFor } from './helpers.js';

let b: TestBackend;
const right = { authorization: `Bearer ${TOKEN}` };
const wrong = { authorization: 'Bearer guess' };

beforeAll(async () => {
  b = await startTestBackend({ smtpPort: null, authThrottle: { freeFailures: 3, baseDelayMs: 400, maxDelayMs: 5_000 } });
});
afterAll(async () => {
  await b.stop();
});

describe('repeated wrong tokens over real HTTP', () => {
  it('locks an address out after a few wrong tokens, API and stream alike, and never slows another address', async () => {
    const from = { localAddress: '127.0.0.1' };
    for (let i = 0; i < 3; i++) expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(401);

    // Locked: even the right token is not looked at, so guessing cannot go on during the lock-out.
    const locked = await rawRequest(b.url, '/api/v1/devices', { ...from, headers: right });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(locked.body)).toMatchObject({ error: 'too-many-attempts', reason: expect.stringMatching(/retry in \d+ s/) as unknown });
    const stream = await upgradeStatus(b.url, '/events', { ...from, headers: right });
    expect(stream.status).toBe(429);
    expect(Number(stream.retryAfter)).toBeGreaterThanOrEqual(1);

    // Another client with the right token goes through at once, on the API and the stream.
    expect((await rawRequest(b.url, '/api/v1/devices', { localAddress: '127.0.0.2', headers: right })).status).toBe(200);
    expect((await upgradeStatus(b.url, '/events', { localAddress: '127.0.0.2', headers: right })).status).toBe(101);
    // /health needs no token and is never throttled.
    expect((await rawRequest(b.url, '/api/v1/health', from)).status).toBe(200);

    // After the lock-out the right token is served again, and success resets the count.
    await waitFor(() => rawRequest(b.url, '/api/v1/devices', { ...from, headers: right }), (r) => r.status === 200, 10_000, 'the lock-out to end');
    for (let i = 0; i < 3; i++) expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(429);
  });

  it('counts wrong tokens on the stream upgrade against the API too', async () => {
    const from = { localAddress: '127.0.0.3' };
    for (let i = 0; i < 3; i++) expect((await upgradeStatus(b.url, `/events?token=guess${i}`, from)).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/stats', { ...from, headers: right })).status).toBe(429);
  });

  it('does not count a missing token (it guesses nothing)', async () => {
    const from = { localAddress: '127.0.0.4' };
    for (let i = 0; i < 10; i++) expect((await rawRequest(b.url, '/api/v1/devices', from)).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: right })).status).toBe(200);
  });
});

describe('the throttle itself', () => {
  it('doubles the lock-out with each further wrong token, up to the cap', () => {
    let t = 0;
    const throttle = createAuthThrottle({ freeFailures: 2, baseDelayMs: 1_000, maxDelayMs: 8_000, now: () => t });
    throttle.failed('a');
    expect(throttle.verdict('a')).toEqual({ kind: 'open' });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      throttle.failed('a');
      const v = throttle.verdict('a');
      waits.push(v.kind === 'locked' ? v.retryAfterSeconds : 0);
      t += (v.kind === 'locked' ? v.retryAfterSeconds : 0) * 1000;
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
    throttle.succeeded('a');
    expect(throttle.verdict('a')).toEqual({ kind: 'open' });
    expect(throttle.tracked()).toBe(0);
  });

  it('remembers at most maxTracked addresses, forgetting the stalest first, and forgets old ones', () => {
    let t = 0;
    const throttle = createAuthThrottle({ freeFailures: 1, maxTracked: 100, forgetAfterMs: 60_000, now: () => t });
    for (let i = 0; i < 20_000; i++) throttle.failed(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.tracked()).toBe(100);
    // The newest are still locked; the first ones were forgotten.
    expect(throttle.verdict('10.0.78.31').kind).toBe('locked');
    expect(throttle.verdict('10.0.0.0').kind).toBe('open');
    t += 10 * 60_000;
    expect(throttle.verdict('10.0.78.31').kind).toBe('open');
    throttle.failed('10.0.78.31');
    expect(throttle.verdict('10.0.78.31').kind).toBe('locked');
  });
});
