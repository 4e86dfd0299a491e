/**
 * Threat: guessing the API token by trying many, from one address or from many. Each address gets
 * a few wrong tokens, then each further wrong token is answered 429 with Retry-After, late, for a
 * time that doubles; past a global rate the same holds for every address. The REST API and the
 * /events upgrade count together. Only failures are throttled: the right token is always accepted
 * at once (issue 11, item 7), and resets its address. The throttle remembers a bounded number of
 * addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../src/backend/auth-throttle.js';
import { startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { rawRequest, upgradeStatus } from './helpers.js';

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
  it('slows wrong tokens after a few, API and stream alike, and never refuses the right token', async () => {
    const from = { localAddress: '127.0.0.1' };
    for (let i = 0; i < 3; i++) expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(401);

    // Past the free attempts a wrong token is answered 429, and late, so guessing goes no faster than the lock-out.
    let t = Date.now();
    const slowed = await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong });
    expect(slowed.status).toBe(429);
    expect(Date.now() - t).toBeGreaterThanOrEqual(700);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(slowed.body)).toMatchObject({ error: 'too-many-attempts', reason: expect.stringMatching(/right token is always accepted/) as unknown });
    const stream = await upgradeStatus(b.url, '/events?token=guess', from);
    expect(stream.status).toBe(429);
    expect(Number(stream.retryAfter)).toBeGreaterThanOrEqual(1);

    // Issue 11: the right token from the same address is served at once, on the API and the stream
    // (before, the whole address was locked out, so an attacker behind the operator's NAT locked the operator out).
    t = Date.now();
    expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: right })).status).toBe(200);
    expect(Date.now() - t).toBeLessThan(800);
    for (let i = 0; i < 4; i++) await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong });
    expect((await upgradeStatus(b.url, '/events', { ...from, headers: right })).status).toBe(101);
    // Another client with the right token goes through at once, on the API and the stream.
    expect((await rawRequest(b.url, '/api/v1/devices', { localAddress: '127.0.0.2', headers: right })).status).toBe(200);
    expect((await upgradeStatus(b.url, '/events', { localAddress: '127.0.0.2', headers: right })).status).toBe(101);
    // /health needs no token and is never throttled.
    expect((await rawRequest(b.url, '/api/v1/health', from)).status).toBe(200);

    // Success resets the count of that address.
    for (let i = 0; i < 3; i++) expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: wrong })).status).toBe(429);
  });

  it('counts wrong tokens on the stream upgrade against the API too', async () => {
    const from = { localAddress: '127.0.0.3' };
    for (let i = 0; i < 3; i++) expect((await upgradeStatus(b.url, `/events?token=guess${i}`, from)).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/stats', { ...from, headers: wrong })).status).toBe(429);
    expect((await rawRequest(b.url, '/api/v1/stats', { ...from, headers: right })).status).toBe(200);
  });

  it('does not count a missing token (it guesses nothing)', async () => {
    const from = { localAddress: '127.0.0.4' };
    for (let i = 0; i < 10; i++) expect((await rawRequest(b.url, '/api/v1/devices', from)).status).toBe(401);
    expect((await rawRequest(b.url, '/api/v1/devices', { ...from, headers: right })).status).toBe(200);
  });

  it('slows guessing spread over many addresses (a global rate), while the right token still goes through', async () => {
    const g = await startTestBackend({ smtpPort: null, authThrottle: { freeFailures: 5, baseDelayMs: 400, maxDelayMs: 5_000, globalFailuresPerMinute: 6 } });
    try {
      // One wrong token from each of many addresses: none is over its own free attempts
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await rawRequest(g.url, '/api/v1/devices', { localAddress: `127.0.1.${i + 1}`, headers: wrong })).status);
      // …but past the global rate every further wrong token is slowed, from any address
      expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(statuses.slice(6)).toEqual([429, 429, 429]);
      expect((await rawRequest(g.url, '/api/v1/devices', { localAddress: '127.0.1.200', headers: right })).status).toBe(200);
    } finally {
      await g.stop();
    }
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
