/** `callhome push` against the real lab over real SSH. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetPush } from '../../commands/push.js';
import { runFleetShowConfig } from '../../commands/show-config.js';
import type { FleetResult } from '../../src/domain/fleet.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { IosSession } from '../../src/ios/driver/session.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from './helpers.js';


const dir = mkdtempSync(join(tmpdir(), 'callhome-push-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const desired = join(dir, 'desired.yaml');
const settings = SettingsSchema.parse({ timeout: 10, connectTimeout: 10 });
let lab: Lab;

beforeAll(async () => {
  // The desired configuration of docs/cli.md, as it stands.
  copyFileSync(join(import.meta.dirname, '../fixtures/desired/cli-md-example.yaml'), desired);
  // Classic IOS factory defaults are what these assertions expect (test/fleet/trains.test.ts covers IOS XE).
  lab = await startLab({ devices: 5, stateDir: join(dir, 'state'), software: '15.2(4)M11' });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

async function push(limit: string, extra: Record<string, unknown> = {}) {
  const stdout = new Capture();
  const report = await runFleetPush({ inventory, knownHosts, limit, json: true, config: desired, ...extra }, { stdout, settings, env: {} });
  return { report, doc: JSON.parse(stdout.text) as { results: FleetResult[]; summary: Record<string, number> } };
}

async function contactOf(limit: string): Promise<unknown[]> {
  const stdout = new Capture();
  await runFleetShowConfig({ inventory, knownHosts, limit, json: true }, { stdout, settings, env: {} });
  return (JSON.parse(stdout.text) as { results: { data: { settings: { contactEmail?: string } } }[] }).results.map((r) => r.data.settings.contactEmail ?? null);
}

describe('push on the lab', () => {
  it('--dry-run prints the diff and commands and changes nothing', async () => {
    const { report, doc } = await push('r1', { dryRun: true });
    expect(report.exitCode).toBe(0);
    const r1 = doc.results[0];
    expect(r1?.changed).toBe(true);
    expect(r1?.commands).toContain('call-home');
    expect(r1?.commands).toContain('contact-email-addr noc@example.com');
    expect((r1?.data as { dryRun: boolean; diff: string[] }).dryRun).toBe(true);
    expect((r1?.data as { diff: string[] }).diff.some((l) => /^\+ +contact-email-addr noc@example\.com$/.test(l))).toBe(true);
    expect(await contactOf('r1')).toEqual([null]);
  });

  it('the first run applies and verifies, with --save; the second run changes nothing', async () => {
    const first = await push('r1,r2', { save: true });
    expect(first.doc.summary).toEqual({ total: 2, ok: 2, failed: 0, changed: 2 });
    expect(first.doc.results[0]?.data).toMatchObject({ saved: true, dryRun: false, endState: 'desired', partial: false });
    expect(await contactOf('r1,r2')).toEqual(['noc@example.com', 'noc@example.com']);
    const second = await push('r1,r2');
    expect(second.doc.summary).toEqual({ total: 2, ok: 2, failed: 0, changed: 0 });
    expect(second.doc.results.every((r) => r.commands.length === 0)).toBe(true);
  });

  it('a session dropped mid-push is restored and reported while the other device succeeds', async () => {
    // r3 drops the connection once, after 8 commands (inside configuration mode), as a flaky link
    // would; the lab reads the fault on every command, so it lapses after those 8 reads.
    let reads = 0;
    lab.device('r3').device.setFaults({
      get dropAfterCommands() {
        reads += 1;
        return reads <= 8 ? 8 : undefined;
      },
    });
    const { report, doc } = await push('r3,r4');
    lab.device('r3').device.setFaults({});
    expect(report.exitCode).toBe(2);
    const [r3, r4] = doc.results;
    expect(r4).toMatchObject({ host: 'r4', ok: true, changed: true });
    expect(r3?.ok).toBe(false);
    expect(r3?.error?.kind).toBe('session-closed');
    expect(r3?.error?.message).toContain('the previous call-home configuration is restored');
    expect((r3?.data as { restore: { ok: boolean } }).restore.ok).toBe(true);
    expect(r3?.data).toMatchObject({ endState: 'original', partial: false });
    expect(r3?.changed).toBe(false);
    expect(await contactOf('r3')).toEqual([null]);
    expect(reads).toBeGreaterThan(8);
  });

  it('a command that times out closes its session, so its late reply cannot pass for the next one', async () => {
    const r4 = lab.device('r4');
    const target = { name: 'r4', host: r4.host, port: r4.port, credentials: { username: 'admin', password: 'admin' }, checkHostKey: () => null };
    const session = await IosSession.open(target, { connectTimeoutMs: 5000, commandTimeoutMs: 5000, enableSecret: 'cisco' });
    try {
      await session.send('show version');
      r4.device.setFaults({ slowMs: 500 });
      await expect(session.send('show clock', { timeoutMs: 100 })).rejects.toMatchObject({ kind: 'timeout' });
      expect(session.isOpen).toBe(false);
      await expect(session.send('show version')).rejects.toMatchObject({ kind: 'session-closed', message: expect.stringContaining('closed when the reply to "show clock" did not come within 100 ms') });
    } finally {
      r4.device.setFaults({});
      session.close();
    }
  });

  it('a device that drops the `enable` typed ahead with the shell request gets it again once its prompt stays alone', async () => {
    lab.device('r4').device.setFaults({ startupInputLostMs: 200 });
    try {
      const logs = join(dir, 'logs-r4');
      const { doc } = await push('r4', { logDir: logs, dryRun: true });
      expect(doc.results[0], JSON.stringify(doc.results[0])).toMatchObject({ host: 'r4', ok: true });
      expect(readFileSync(join(logs, 'r4.log'), 'utf8')).toContain('the device dropped "enable" typed ahead of its first prompt');
    } finally {
      lab.device('r4').device.setFaults({});
    }
  });

  it('a wrong enable secret fails the device as auth at once and changes nothing', async () => {
    const wrong = join(dir, 'wrong-secret.yaml');
    writeFileSync(wrong, readFileSync(inventory, 'utf8').replace("enable-secret: cisco", "enable-secret: nope"));
    expect(readFileSync(wrong, 'utf8')).toContain('enable-secret: nope');
    const stdout = new Capture();
    const started = performance.now();
    const report = await runFleetPush({ inventory: wrong, knownHosts, limit: 'r2', json: true, config: desired }, { stdout, settings, env: {} });
    expect(report.results[0]).toMatchObject({ host: 'r2', ok: false, changed: false, error: { kind: 'auth', message: 'r2: the enable secret was refused (the device asked for it again)' } });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a device that drops the lines sent behind the enable secret gets them again, and later sessions send the secret alone', async () => {
    lab.device('r3').device.setFaults({ passwordFlushesInput: true });
    try {
      const logs = join(dir, 'logs-r3');
      const { doc } = await push('r3', { logDir: logs, dryRun: true });
      expect(doc.results[0], JSON.stringify(doc.results[0])).toMatchObject({ host: 'r3', ok: true });
      expect(readFileSync(join(logs, 'r3.log'), 'utf8')).toContain('the device dropped the lines sent behind the enable secret: sent again');
      const again = await push('r3', { logDir: logs, dryRun: true });
      expect(again.doc.results[0]?.ok).toBe(true);
    } finally {
      lab.device('r3').device.setFaults({});
    }
  });

  it('pipelined by default; a device that loses typed-ahead input is pushed line by line instead, and --line-by-line is honoured', async () => {
    lab.device('r5').device.setFaults({ typeaheadChars: 100 });
    try {
      const dir5 = join(dir, 'logs');
      const { doc } = await push('r5', { logDir: dir5 });
      expect(doc.results[0], JSON.stringify(doc.results[0])).toMatchObject({ host: 'r5', ok: true, changed: true, data: { endState: 'desired' } });
      expect(await contactOf('r5')).toEqual(['noc@example.com']);
      expect(readFileSync(join(dir5, 'r5.log'), 'utf8')).toContain('line by line from now on');
    } finally {
      lab.device('r5').device.setFaults({});
    }
    const again = await push('r4', { lineByLine: true, dryRun: true });
    expect(again.doc.results[0]?.ok).toBe(true);
  });
});
