/**
 * Issue 11 item 9 (the fleet's share): device text reaches the operator's terminal with its control
 * characters escaped in every human output of a fleet run (plain lines, the table, the failure report);
 * `--json` keeps the data exactly as the device sent it. Item 13: `callhome config set` refuses a URL
 * with embedded credentials and does not repeat the password.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfig } from '../../commands/config.js';
import { runFleetExec } from '../../commands/exec.js';
import { openSettingsStore, SettingsSchema } from '../../src/settings.js';
import { startFakeIos, type FakeIos } from '../ios/driver/fake-ios.js';
import { Capture, writeInventory } from '../fleet/helpers.js';

// An OSC title change, a bell, a C1 CSI (clear screen) and a DEL. (The session itself applies
// backspaces and carriage returns as a terminal does, so those never reach the output as such.)
const HOSTILE = 'ok\x1b]0;pwned\x07 \x9b2J done\x7f';

const dir = mkdtempSync(join(tmpdir(), 'callhome-term-safety-'));
const inventory = join(dir, 'inventory.yaml');
let device: FakeIos;

beforeAll(async () => {
  device = await startFakeIos({ outputs: { 'show hostile': HOSTILE, 'show refused': `% Invalid input \x1b]0;owned\x07` } });
  writeInventory(inventory, { r1: { port: device.port } });
});
afterAll(async () => {
  await device.close();
  rmSync(dir, { recursive: true, force: true });
});

const settings = SettingsSchema.parse({ timeout: 5, connectTimeout: 5 });
const run = async (command: string, extra: Record<string, unknown>): Promise<string> => {
  const stdout = new Capture();
  await runFleetExec({ inventory, knownHosts: join(dir, 'kh'), acceptNewHostKeys: true, command, ...extra }, { stdout, settings, env: {} });
  return stdout.text;
};
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('device text in human fleet output', () => {
  it('plain, table and failure output show control characters escaped', async () => {
    for (const output of ['plain', 'table', 'failures'] as const) {
      const text = await run('show hostile', { output });
      const failed = await run('show refused', { output });
      for (const t of [text, failed]) expect(CONTROL.test(t), `${output}: ${JSON.stringify(t)}`).toBe(false);
      expect(failed).toContain('\\e]0;owned\\x07');
      if (output !== 'failures') expect(text).toContain('ok\\e]0;pwned\\x07 \\x9b2J done\\x7f');
    }
  });

  it('--json keeps the data as the device sent it', async () => {
    const doc = JSON.parse(await run('show hostile', { json: true })) as { results: { data: { output: string } }[] };
    expect(doc.results[0]?.data.output).toBe(HOSTILE);
  });
});

describe('callhome config set', () => {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env['CALLHOME_CONFIG_DIR'];
    process.env['CALLHOME_CONFIG_DIR'] = dir;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env['CALLHOME_CONFIG_DIR'];
    else process.env['CALLHOME_CONFIG_DIR'] = previous;
  });

  it('refuses a back-end URL with embedded credentials, without echoing the password, and stores nothing', () => {
    for (const url of ['http://admin:s3cret-pw@127.0.0.1:8080', 'https://token-s3cret-pw@backend.example.com']) {
      let message = '';
      try {
        runConfig({ action: 'set', key: 'backendUrl', value: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/must not hold a user name or password/);
      expect(message).not.toContain('s3cret-pw');
    }
    expect(() => runConfig({ action: 'set', key: 'backendUrl', value: '127.0.0.1:8080' })).toThrow(/http:\/\/ or https:\/\//);
    expect(runConfig({ action: 'set', key: 'backendUrl', value: 'https://backend.example.com' })).toBe('backendUrl = https://backend.example.com');
    expect(readFileSync(openSettingsStore().path, 'utf8')).not.toContain('s3cret');
  });
});
