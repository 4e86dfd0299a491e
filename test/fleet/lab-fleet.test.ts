/** Fleet commands against the real lab over real SSH (contract 1), including its faults. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { runFleetMailStatus } from '../../commands/mail-status.js';
import { runFleetProfiles } from '../../commands/profiles.js';
import { runFleetShowConfig } from '../../commands/show-config.js';
import { runFleetStats } from '../../commands/stats.js';
import { KnownHosts } from '../../src/fleet/known-hosts.js';
import { execOnce } from '../../src/ios/driver/exec-channel.js';
import { IosSession } from '../../src/ios/driver/session.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-lab-fleet-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const settings = SettingsSchema.parse({ timeout: 5, connectTimeout: 5 });
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    devices: 6,
    stateDir: join(dir, 'state'),
    // The assertions are classic IOS factory defaults (test/fleet/trains.test.ts runs the commands on a mixed lab).
    software: '15.2(4)M11',
    faults: { r3: { refuseLogin: true }, r4: { changedHostKey: true }, r5: { slowMs: 3000 }, r6: { unreachable: true } },
  });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

type Doc = { results: { host: string; ok: boolean; changed: boolean; data: Record<string, unknown>; error: { kind: string; message: string } | null }[]; summary: Record<string, number> };

async function json(run: (opts: never, deps: never) => Promise<unknown>, extra: Record<string, unknown> = {}): Promise<Doc> {
  const stdout = new Capture();
  await run({ inventory, knownHosts, limit: 'r1,r2', json: true, ...extra } as never, { stdout, settings, env: {} } as never);
  return JSON.parse(stdout.text) as Doc;
}

describe('fleet commands on the lab', () => {
  it('stats: CLI.md sections with {total,email,http} cells and lastSent', async () => {
    const doc = await json(runFleetStats);
    expect(doc.summary).toEqual({ total: 2, ok: 2, failed: 0, changed: 0 });
    const data = doc.results[0]?.data as { sections: Record<string, Record<string, unknown>>; lastSent: unknown };
    expect(Object.keys(data.sections).sort()).toEqual(['failed', 'inQueue', 'ratelimitDropped', 'success']);
    expect(data.sections['success']?.['total']).toEqual({ total: 0, email: 0, http: 0 });
    expect(data).toHaveProperty('lastSent', null);
  });

  it('mail-status, profiles and show-config return parsed data per device', async () => {
    // Given mail servers configured on both devices through the driver itself,
    for (const name of ['r1', 'r2']) {
      const session = await IosSession.open(
        { name, host: '127.0.0.1', port: lab.device(name).port, credentials: { username: 'admin', password: 'admin' }, checkHostKey: (key) => new KnownHosts(knownHosts).check(name, '127.0.0.1', lab.device(name).port, key) },
        { connectTimeoutMs: 5000, commandTimeoutMs: 5000, enableSecret: 'cisco' },
      );
      await session.configure(['call-home', 'mail-server 127.0.0.1 priority 1', 'mail-server mail2.example.com priority 2']);
      session.close();
    }
    // when mail-status runs, then each device lists both, in priority order.
    const mail = await json(runFleetMailStatus);
    expect(mail.results[0]?.error).toBeNull();
    expect((mail.results[0]?.data as { servers: { address: string; priority: number; available: boolean }[] }).servers.map((s) => [s.address, s.priority])).toEqual([
      ['127.0.0.1', 1],
      ['mail2.example.com', 2],
    ]);
    const profiles = await json(runFleetProfiles);
    const names = (profiles.results[0]?.data as { profiles: { name: string; active: boolean }[] }).profiles.map((p) => p.name);
    expect(names).toContain('CiscoTAC-1');
    const config = await json(runFleetShowConfig);
    expect(config.results[1]?.data).toMatchObject({ settings: { serviceEnabled: false }, profiles: expect.any(Array) });
  });

  it('exec: auth, hostkey, timeout and unreachable faults fail only their devices', async () => {
    const stdout = new Capture();
    const report = await runFleetExec(
      { inventory, knownHosts, json: true, timeout: 1, command: 'show clock' },
      { stdout, settings, env: {} },
    );
    const byHost = Object.fromEntries(report.results.map((r) => [r.host, r]));
    expect(byHost['r1']?.ok).toBe(true);
    expect(byHost['r2']?.ok).toBe(true);
    expect(byHost['r3']?.error?.kind).toBe('auth');
    expect(byHost['r4']?.error?.kind).toBe('hostkey');
    expect(byHost['r4']?.error?.message).toContain(`ssh-keygen -R "[127.0.0.1]:${lab.device('r4').port}" -f ${knownHosts}`);
    expect(byHost['r5']?.error?.kind).toBe('timeout');
    expect(byHost['r6']?.error?.kind).toBe('unreachable');
    expect(report.summary).toEqual({ total: 6, ok: 2, failed: 4, changed: 0 });
    expect(report.exitCode).toBe(2);
  });
});

describe('exec-channel mode on the lab', () => {
  it('runs a show command without a shell and reports % errors with the command', async () => {
    const port = lab.device('r1').port;
    const target = {
      name: 'r1',
      host: '127.0.0.1',
      port,
      credentials: { username: 'admin', password: 'admin' },
      checkHostKey: (key: Buffer) => new KnownHosts(knownHosts).check('r1', '127.0.0.1', port, key),
    };
    const options = { connectTimeoutMs: 5000, commandTimeoutMs: 5000 };
    const output = await execOnce(target, 'show call-home statistics', options);
    expect(output).toContain('Total Success');
    await expect(execOnce(target, 'show call-home bogus', options)).rejects.toMatchObject({ kind: 'cli', command: 'show call-home bogus' });
  });
});
