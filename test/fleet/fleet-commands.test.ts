import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { runFleetMailStatus } from '../../commands/mail-status.js';
import { runFleetStats } from '../../commands/stats.js';
import { SettingsSchema } from '../../src/settings.js';
import { startFakeIos, type FakeIos } from '../ios/driver/fake-ios.js';
import { startBastion, type Bastion } from './bastion.js';
import { Capture, writeInventory } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-fleet-'));
const settings = SettingsSchema.parse({ timeout: 3, connectTimeout: 3 });
const MAIL = 'Please wait. Checking for mail server status ...\nMail-server[1]: Address: 192.168.2.1 Priority: 1 [Not Available]\nMail-server[2]: Address: 127.0.0.1 Priority: 2 [Available]';
const STATS = `Message Types      Total      Email      HTTP
-----
Total Success      3          3          0
  Config           3          3          0
  Inventory        2          2          0
Total In-Queue     0          0          0
Total Failed       1          0          1
  Inventory        1          0          1
Total Ratelimit    0          0          0
  -dropped         0          0          0
Last call-home message sent time: 2026-11-23 10:00:00 GMT+00:00`;

let devices: FakeIos[];
let bastion: Bastion;
let closedPort: number;

beforeAll(async () => {
  const outputs = { 'show call-home mail-server status': MAIL, 'show call-home statistics': STATS, 'show clock': '10:00:00 UTC' };
  devices = await Promise.all([startFakeIos({ outputs }), startFakeIos({ hostname: 'R2', outputs }), startFakeIos({ hostname: 'R3', password: 'other', outputs })]);
  bastion = await startBastion('jumper', 'jump-secret');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await Promise.all([...devices.map((d) => d.close()), bastion.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function flags(name: string, extra: Record<string, unknown> = {}) {
  return { inventory: join(dir, `${name}.yaml`), knownHosts: join(dir, `${name}.known_hosts`), acceptNewHostKeys: true, json: true, ...extra };
}

describe('fleet commands over loopback SSH', () => {
  it('exec: per-device results, one failing device does not stop the others, exit code 2', async () => {
    const [r1, r2, r3] = devices;
    writeInventory(join(dir, 'mixed.yaml'), { r1: { port: r1!.port }, r2: { port: r2!.port }, r3: { port: r3!.port }, r4: { port: closedPort } });
    const stdout = new Capture();
    const report = await runFleetExec({ ...flags('mixed', { logDir: join(dir, 'logs') }), command: 'show clock' }, { stdout, stderr: new Capture(), settings, env: {} });
    const doc = JSON.parse(stdout.text) as { results: { host: string; ok: boolean; error: { kind: string } | null; data: unknown; commands: string[]; changed: boolean }[]; summary: unknown };
    expect(doc.summary).toEqual({ total: 4, ok: 2, failed: 2, changed: 0 });
    expect(doc.results.map((r) => r.host)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(doc.results[0]).toEqual({ host: 'r1', ok: true, changed: false, commands: ['show clock'], data: { output: '10:00:00 UTC' }, error: null });
    expect(doc.results[2]?.error?.kind).toBe('auth');
    expect(doc.results[3]?.error?.kind).toBe('unreachable');
    expect(report.exitCode).toBe(2);
    const transcript = readFileSync(join(dir, 'logs', 'r1.log'), 'utf8');
    expect(transcript).toContain('show clock');
    expect(transcript).not.toMatch(/cisco|admin\n/);
  });

  it('mail-status and stats: the CLI.md data shapes, as NDJSON then a summary line', async () => {
    const [r1, r2] = devices;
    writeInventory(join(dir, 'two.yaml'), { r1: { port: r1!.port }, r2: { port: r2!.port } });
    const stdout = new Capture();
    const mail = await runFleetMailStatus({ ...flags('two'), json: false, ndjson: true }, { stdout, settings, env: {} });
    expect(mail.exitCode).toBe(0);
    const lines = stdout.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]?.['data']).toEqual({
      servers: [
        { address: '192.168.2.1', priority: 1, available: false },
        { address: '127.0.0.1', priority: 2, available: true },
      ],
    });
    expect(lines[2]).toEqual({ summary: { total: 2, ok: 2, failed: 0, changed: 0 } });

    const statsOut = new Capture();
    await runFleetStats({ ...flags('two'), limit: 'r2' }, { stdout: statsOut, settings, env: {} });
    const stats = JSON.parse(statsOut.text) as { results: { host: string; data: { sections: Record<string, Record<string, unknown>>; lastSent: string | null } }[] };
    expect(stats.results.map((r) => r.host)).toEqual(['r2']);
    const data = stats.results[0]?.data;
    expect(data?.sections['success']?.['config']).toEqual({ total: 3, email: 3, http: 0 });
    expect(data?.sections['failed']?.['inventory']).toEqual({ total: 1, email: 0, http: 1 });
    expect(Object.keys(data?.sections ?? {}).sort()).toEqual(['failed', 'inQueue', 'ratelimitDropped', 'success']);
  });

  it('plain output when stdout is not a TTY and no JSON is asked for', async () => {
    const stdout = new Capture();
    await runFleetMailStatus({ ...flags('two'), json: false }, { stdout, settings, env: {} });
    expect(stdout.text).toContain('r1: ok 192.168.2.1 [1] UNAVAILABLE, 127.0.0.1 [2] available');
    expect(stdout.text).toContain('2 devices: 2 ok, 0 failed, 0 changed');
  });

  it('reaches a device through a jump host (an inventory entry) with password auth', async () => {
    const [r1] = devices;
    writeInventory(join(dir, 'jump.yaml'), {
      bastion: { port: bastion.port, username: 'jumper', password: 'jump-secret' },
      r1: { port: r1!.port, jump: 'bastion' },
    });
    const stdout = new Capture();
    const report = await runFleetExec({ ...flags('jump'), limit: '!bastion', command: 'show clock' }, { stdout, settings, env: {} });
    expect(report.results.map((r) => [r.host, r.ok])).toEqual([['r1', true]]);
    expect(report.results[0]?.data).toEqual({ output: '10:00:00 UTC' });
    expect(bastion.forwarded).toContain(`127.0.0.1:${r1!.port}`);
  });

  it('reports a jump host refusing the password as an auth failure naming the jump', async () => {
    const [r1] = devices;
    writeInventory(join(dir, 'badjump.yaml'), { r1: { port: r1!.port, jump: `jumper@127.0.0.1:${bastion.port}` } });
    const report = await runFleetExec({ ...flags('badjump'), command: 'show clock' }, { stdout: new Capture(), settings, env: {} });
    expect(report.results[0]?.error?.kind).toBe('auth');
    expect(report.results[0]?.error?.message).toContain('r1 via 127.0.0.1');
  });
});
