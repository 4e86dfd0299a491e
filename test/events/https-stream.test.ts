/**
 * The event stream over HTTPS: a back end with a self-signed certificate, a client that trusts it
 * through `ca`, and one that does not.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedPair } from '../../src/backend/server.js';
import { connectEventStream, type StreamState } from '../../src/events/client.js';
import type { BackendEvent } from '../../src/events/protocol.js';
import { sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { waitFor } from '../backend/stream/helpers.js';

describe('/events over HTTPS', () => {
  let backend: TestBackend;
  let cert: string;

  beforeAll(async () => {
    const pair = await selfSignedPair('127.0.0.1');
    cert = pair.cert;
    backend = await startTestBackend({ https: pair });
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('delivers events to a client that trusts the certificate', async () => {
    // Given an HTTPS back end, When a client with the certificate as `ca` connects from seq 0,
    expect(backend.url).toMatch(/^https:/);
    const events: BackendEvent[] = [];
    const client = connectEventStream({ url: backend.url, token: TOKEN, since: 0, ca: cert, onEvent: (e) => events.push(e) });
    try {
      // and a device posts over HTTPS,
      const res = await fetchWithCa(backend.url, sampleWith({ serial: 'TLS00000001', messageId: 'M1:TLS00000001:1' }), cert);
      expect(res).toBe(200);
      // Then the message arrives on the wss:// stream.
      await waitFor(() => events.some((e) => e.type === 'message.received' && e.message.serial === 'TLS00000001'), 10_000, 'the message over wss');
    } finally {
      client.close();
    }
  });

  it('refuses a certificate it does not trust and keeps retrying instead of connecting', async () => {
    const states: StreamState[] = [];
    const client = connectEventStream({ url: backend.url, token: TOKEN, onEvent: () => undefined, onState: (s) => states.push(s), initialBackoffMs: 50 });
    try {
      await waitFor(() => states.some((s) => s.type === 'backing-off'), 10_000, 'a back-off after the TLS failure');
      expect(states.some((s) => s.type === 'open')).toBe(false);
    } finally {
      client.close();
    }
  });
});

/** POSTs to the device endpoint over HTTPS trusting `ca` (fetch has no per-request CA). */
function fetchWithCa(url: string, body: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/its/service/oddce/services/DDCEService`, { method: 'POST', ca, headers: { 'content-type': 'application/soap+xml; charset=utf-8' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
