/**
 * Issue 12: every fleet command against both software trains. A `mixed` lab runs IOS XE 17.9.4a
 * (r1), classic IOS 15.2(4)M11 (r2) and IOS XE 16.12.5 (r3); each command reads every device
 * with nothing left unparsed, and push takes both trains to the same desired state.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetMailStatus } from '../../commands/mail-status.js';
import { runFleetProfiles } from '../../commands/profiles.js';
import { runFleetPush } from '../../commands/push.js';
import { runFleetSend } from '../../commands/send.js';
import { runFleetShowConfig } from '../../commands/show-config.js';
import { runFleetStats } from '../../commands/stats.js';
import { detectTrain } from '../../src/ios/parsers/index.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-trains-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const desired = join(dir, 'desired.yaml');
const settings = SettingsSchema.parse({ timeout: 10, connectTimeout: 5 });
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ devices: 3, stateDir: join(dir, 'state'), software: 'mixed' });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
  copyFileSync(join(import.meta.dirname, '../fixtures/desired/cli-md-example.yaml'), desired);
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

type Doc = { results: { host: string; ok: boolean; changed: boolean; commands: string[]; data: Record<string, unknown>; error: { kind: string; message: string } | null }[]; summary: Record<string, number> };

async function json(run: (opts: never, deps: never) => Promise<unknown>, extra: Record<string, unknown> = {}): Promise<{ doc: Doc; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  await run({ inventory, knownHosts, json: true, ...extra } as never, { stdout, stderr, settings, env: {} } as never);
  return { doc: JSON.parse(stdout.text) as Doc, stderr: stderr.text };
}

/** Every device answered and every line was read. */
function allRead(doc: Doc): void {
  expect(doc.results.map((r) => [r.host, r.ok, r.error?.message ?? null])).toEqual(['r1', 'r2', 'r3'].map((h) => [h, true, null]));
  for (const r of doc.results) expect(r.data['unparsed'], r.host).toBeUndefined();
}

describe('fleet commands on a mixed lab (IOS XE and classic IOS)', () => {
  it('runs the trains it says it runs, and show version tells them apart', async () => {
    const trains = await Promise.all(lab.devices.map(async (d) => detectTrain(await d.device.capture('show version'))));
    expect(trains).toEqual(['xe', 'classic', 'xe']);
    expect(lab.devices.map((d) => d.identity.model)).toEqual(['CSR1000V', 'CISCO2911/K9', 'CSR1000V']);
  });

  it('stats, mail-status, profiles and show-config read both trains', async () => {
    for (const run of [runFleetStats, runFleetMailStatus, runFleetProfiles, runFleetShowConfig]) allRead((await json(run as never)).doc);
    const config = (await json(runFleetShowConfig as never)).doc;
    // IOS XE ships with Call Home on for Smart Licensing; classic IOS with it off.
    expect(config.results.map((r) => (r.data['settings'] as { serviceEnabled: boolean }).serviceEnabled)).toEqual([true, false, true]);
    const profiles = (await json(runFleetProfiles as never)).doc;
    expect(profiles.results.map((r) => (r.data['profiles'] as { name: string; active: boolean }[]).find((p) => p.name === 'CiscoTAC-1')?.active)).toEqual([true, false, true]);
  });

  it('push takes both trains to the desired state, verifies it, and a second run changes nothing', async () => {
    const first = (await json(runFleetPush as never, { config: desired })).doc;
    expect(first.summary).toEqual({ total: 3, ok: 3, failed: 0, changed: 3 });
    for (const r of first.results) expect(r.data, r.host).toMatchObject({ endState: 'desired' });
    const second = (await json(runFleetPush as never, { config: desired })).doc;
    expect(second.summary).toEqual({ total: 3, ok: 3, failed: 0, changed: 0 });
    const config = (await json(runFleetShowConfig as never)).doc;
    expect(config.results.map((r) => (r.data['settings'] as { contactEmail?: string }).contactEmail)).toEqual(['noc@example.com', 'noc@example.com', 'noc@example.com']);
  });

  it('send reaches both trains', async () => {
    const { doc } = await json(runFleetSend as never, { request: { kind: 'test', profile: 'CiscoTAC-1' } });
    expect(doc.results.map((r) => [r.host, r.ok])).toEqual([
      ['r1', true],
      ['r2', true],
      ['r3', true],
    ]);
  });

  it('warns once per run about lines it did not read, and keeps them in --json', async () => {
    // A device printing a field this version does not know (what a newer IOS XE release would do).
    lab.device('r2').device.setFaults({ extraOutput: { 'show call-home statistics': 'Total Nonce          0              0              0\n' } });
    const { doc, stderr } = await json(runFleetStats as never);
    lab.device('r2').device.setFaults({});
    const r2 = doc.results.find((r) => r.host === 'r2');
    expect(r2?.ok).toBe(true);
    expect(r2?.data['unparsed']).toEqual([expect.objectContaining({ text: 'Total Nonce          0              0              0' })]);
    expect(stderr.match(/did not understand/g)?.length).toBe(1);
  });
});
