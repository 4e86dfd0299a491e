import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { loadSettings } from '../../src/settings.js';
import { runVerifyCommand as runVerify } from '../../commands/verify.js';
import type { VerifyData } from '../../src/domain/fleet.js';

const TOKEN = 'verify-test-token-123456';

/** A real HTTP hop in front of the back end that drops one device's messages: a broken delivery path. */
function startGateway(target: string, blockedSerial: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString('utf8').includes(blockedSerial())) {
        res.writeHead(503).end('down');
        return;
      }
      fetch(`${target}${req.url ?? '/'}`, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/soap+xml' }, body })
        .then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()))
        .catch(() => res.writeHead(502).end());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
  return Object.assign(w, { text: () => chunks.join('') });
}

describe('callhome verify against a lab and a back end', () => {
  let dir: string;
  let backend: Backend;
  let lab: Lab;
  let gateway: { server: Server; url: string };
  let blocked = 'none';
  const inventory = () => join(dir, 'inventory.yaml');
  const desired = () => join(dir, 'desired.yaml');
  const knownHosts = () => join(dir, 'known_hosts');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callhome-verify-'));
    backend = await startBackend({ dbPath: join(dir, 'db.sqlite'), httpPort: 0, smtpPort: null, token: TOKEN });
    gateway = await startGateway(backend.url, () => blocked);
    lab = await startLab({ devices: 3, port: 0, stateDir: join(dir, 'lab'), engine: { delivery: { httpRetryDelaysMs: [], httpTimeoutMs: 2000 } } });
    await lab.writeInventory(inventory());
    await lab.writeKnownHosts(knownHosts());
    writeFileSync(
      desired(),
      [
        'service: enabled',
        'contact-email: noc@example.com',
        'profiles:',
        '  noc-http:',
        '    active: true',
        '    transport: [http]',
        `    http: ["${gateway.url}${DDCE_SERVICE_PATH}"]`,
        '    format: xml',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await lab?.close();
    await new Promise((r) => gateway?.server.close(r));
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (fix: boolean) => {
    const stdout = sink();
    const rows: Record<string, VerifyData> = {};
    const report = await runVerify(
      { inventory: inventory(), config: desired(), fix, knownHosts: knownHosts(), json: true, timeout: 8 },
      { stdout, stderr: sink(), settings: loadSettings(), connection: { url: backend.url, token: TOKEN }, onData: (h, d) => (rows[h] = d) },
    );
    return { report, rows, json: JSON.parse(stdout.text()) as { results: { host: string; ok: boolean; data: VerifyData }[] } };
  };

  it('reports configuration drift without --fix', async () => {
    const { report, json } = await run(false);
    expect(report.exitCode).toBe(2);
    expect(json.results.map((r) => r.data.brokenAt)).toEqual(['config', 'config', 'config']);
  });

  it('with --fix pushes, sends and sees every test arrive', async () => {
    const { report, json } = await run(true);
    expect(json.results.map((r) => [r.host, r.ok, r.data.brokenAt])).toEqual([['r1', true, null], ['r2', true, null], ['r3', true, null]]);
    for (const r of json.results) {
      expect(r.data).toMatchObject({ configured: true, sent: true, received: true });
      expect(r.data.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(report.exitCode).toBe(0);
  });

  it('names the device whose delivery is broken and the broken link', async () => {
    blocked = lab.device('r2').identity.serial;
    const { report, json } = await run(false);
    const byHost = Object.fromEntries(json.results.map((r) => [r.host, r]));
    expect(byHost['r1']?.data.brokenAt).toBeNull();
    expect(byHost['r3']?.data.brokenAt).toBeNull();
    expect(byHost['r2']?.ok).toBe(false);
    expect(byHost['r2']?.data).toMatchObject({ configured: true, received: false, brokenAt: 'delivery' });
    expect(report.exitCode).toBe(2);
  });

  it('reports an unreachable device as broken at ssh, in the verify data shape', async () => {
    blocked = 'none';
    lab.device('r3').device.setFaults({ refuseLogin: true });
    try {
      const { json, rows } = await run(false);
      const r3 = json.results.find((r) => r.host === 'r3');
      expect(r3?.ok).toBe(false);
      expect(r3?.data).toMatchObject({ configured: false, sent: false, received: false, latencyMs: null, brokenAt: 'ssh' });
      expect(rows['r3']?.brokenAt).toBe('ssh');
      expect(json.results.find((r) => r.host === 'r1')?.data.brokenAt).toBeNull();
    } finally {
      lab.device('r3').device.setFaults({});
    }
  });
});
