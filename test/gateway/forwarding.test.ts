/**
 * Issue 17, step 1: lab devices → gateway → service on loopback, over HTTP and over mail. With the
 * service stopped the gateway queues all 100 messages; a SIGKILL of the gateway (while queued, and again
 * while forwarding) loses nothing; once the service is back every message arrives exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { createApiClient } from '../../src/client/api-client.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { TOKEN } from '../backend/helpers.js';
import { aimAtGateway, registerGateway, freePort, killGateways, queueRows, spawnGateway, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-gateway-fwd-'));
const db = join(dir, 'service.db');
const queueDir = join(dir, 'queue');
let lab: Lab | undefined;
let backend: Backend | undefined;

afterAll(async () => {
  killGateways();
  await lab?.close();
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Message IDs and serials the service stored, read through its API. */
async function stored(): Promise<{ messageId: string; serial: string }[]> {
  const client = createApiClient({ url: backend!.url, token: TOKEN });
  const rows: { messageId: string; serial: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.messages({ limit: 1000, cursor });
    for (const m of page.messages) rows.push({ messageId: m.messageId, serial: m.serial });
    cursor = page.next ?? undefined;
  } while (cursor);
  return rows;
}

describe('callhome gateway: store and forward', () => {
  it('queues 100 messages (HTTP and mail) while the service is down, survives SIGKILL twice, and delivers each exactly once', { timeout: 240_000 }, async () => {
    const [servicePort, httpPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
    const args = ['--backend', `http://127.0.0.1:${servicePort}`, '--queue-dir', queueDir, '--http-port', String(httpPort), '--smtp-port', String(smtpPort), '--retry-max', '1'];
    // Given a gateway registered with the service, and the service then stopped
    backend = await startBackend({ dbPath: db, httpPort: servicePort, smtpPort: null, token: TOKEN, parseWorkers: 1 });
    await registerGateway(`http://127.0.0.1:${servicePort}`, queueDir, 'branch-1');
    await backend.close();
    let gateway = await spawnGateway(args);
    // …and ten lab devices, five posting over HTTP and five mailing, all through the gateway
    lab = await startLab({ devices: 10, stateDir: join(dir, 'lab'), smtpPort });
    lab.devices.forEach((d, i) => aimAtGateway(d.device, i < 5 ? { http: `http://127.0.0.1:${httpPort}` } : { email: true }));

    // When each device raises ten diagnostic events
    for (let n = 0; n < 10; n++) for (const d of lab.devices) expect(d.device.raise({ kind: 'diagnostic', severity: 4, eventName: `GW_TEST_${n}`, description: `gateway test ${n} on ${d.name}` }).kind).toBe('queued');
    // Then the gateway holds all 100 durably (each device got its 200 / 250 only after the fsync)
    await waitFor('100 messages queued at the gateway', () => queueRows(queueDir).queued === 100, 90_000);

    // When the gateway is killed with SIGKILL while holding them and restarted, nothing is lost
    gateway.child.kill('SIGKILL');
    expect((await gateway.exited).signal).toBe('SIGKILL');
    expect(queueRows(queueDir).queued).toBe(100);
    gateway = await spawnGateway(args);

    // When the service starts, the gateway forwards; killed again mid-forwarding and restarted…
    backend = await startBackend({ dbPath: db, httpPort: servicePort, smtpPort: null, token: TOKEN, parseWorkers: 1 });
    await waitFor('the first forwarded messages', async () => (await stored()).length >= 5, 60_000);
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    const atKill = { stored: (await stored()).length, queued: queueRows(queueDir).queued };
    gateway = await spawnGateway(args);

    // Then all 100 arrive exactly once: ten from each device, no message ID twice
    await waitFor('the queue to drain', () => queueRows(queueDir).queued === 0, 90_000);
    const rows = await stored();
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => `${r.serial}/${r.messageId}`)).size).toBe(100);
    const perSerial = new Map<string, number>();
    for (const r of rows) perSerial.set(r.serial, (perSerial.get(r.serial) ?? 0) + 1);
    expect([...perSerial.values()]).toEqual(Array(10).fill(10));
    expect(new Set(perSerial.keys())).toEqual(new Set(lab.devices.map((d) => d.identity.serial)));
    expect(queueRows(queueDir)).toEqual({ queued: 0, held: 0, refused: 0 });
    console.info(`[gateway/forwarding] second SIGKILL with ${atKill.stored} stored and ${atKill.queued} still queued`);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
  });
});
