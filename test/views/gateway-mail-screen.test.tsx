/**
 * Issue 17 (S96): the console's mail screen shows one row per Transport Gateway — mailbox connection
 * state and last poll, queue, forwarding, store — from GET /gateways at start and from gateway.status
 * events after. A real back end, a real gateway (whose mailbox connection really fails), the console
 * through ink-testing-library.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { credentialsStore, writeCredentials } from '../../src/gateway/credentials.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { api, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { freePort, postToGateway } from '../gateway/helpers.js';
import { renderLiveConsole, type LiveConsole } from './live-console.js';

describe('the mail screen lists the Transport Gateways', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-screen-'));
  let backend: TestBackend;
  let gateway: Gateway | undefined;
  let c: LiveConsole | undefined;
  const has = (t: string | RegExp) => c!.has(t, 15_000);

  beforeAll(async () => {
    backend = await startTestBackend({ smtpPort: null });
  });

  afterAll(async () => {
    c?.close();
    await gateway?.close();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a gateway registered before the console started, then its reports: mailbox failed, messages held, forwarding ok', { timeout: 60_000 }, async () => {
    // A gateway registered (and silent) before the console starts comes from the snapshot
    const r = await api<{ id: string; name: string; password: string; registeredAt: string }>(backend.url, '/gateways', { method: 'POST', body: { name: 'branch-9', company: 'acme' } });
    expect(r.status).toBe(201);
    const queueDir = join(dir, 'queue');
    writeCredentials(queueDir, r.body);
    c = await renderLiveConsole(backend.url, createApiClient({ url: backend.url, token: TOKEN }));
    await c.press('3');
    await has('Transport gateways');
    await has(/branch-9 .*no report/);

    // When it starts, with the Send flag No and a mailbox that does not answer
    const credentials = credentialsStore(queueDir);
    gateway = await startGateway({
      queueDir,
      target: { backend: new URL(backend.url) },
      httpPort: 0,
      credentials: () => credentials.get(),
      onNewPassword: (p) => credentials.rotate(p),
      mailbox: { address: { secure: false, host: '127.0.0.1', port: await freePort(), user: 'gw', folder: 'INBOX' }, password: 'x', retryMs: 60_000 },
      report: { everyMs: 300, minGapMs: 50 },
    });
    gateway.queue.setSetting('send', 'no');
    expect(await postToGateway(gateway.httpPort!, sampleWith({ serial: 'GWSCREEN1', messageId: 'S-1' }))).toBe(200);
    // Then its row says so, live
    await has(/branch-9 +failed: connect ECONNREFUS/);
    await has(/branch-9 .* - +0 +1 No +ok +ok/);
    const frame = c.frame();
    // and the device table above it still explains itself
    expect(frame).toContain('Press r to read mail-server status from the devices.');
  });
});
