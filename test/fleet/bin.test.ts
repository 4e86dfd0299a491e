/** The fleet commands through the real executable: yargs wiring, stdout discipline and exit codes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIos, type FakeIos } from '../ios/driver/fake-ios.js';
import { writeInventory } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-bin-'));
let device: FakeIos;

beforeAll(async () => {
  device = await startFakeIos({ outputs: { 'show clock': '10:00:00 UTC' } });
  writeInventory(join(dir, 'inv.yaml'), { r1: { port: device.port }, r2: { port: device.port, password: 'wrong' } });
});
afterAll(async () => {
  await device.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('callhome exec (bin)', () => {
  it('prints only the JSON document on stdout and exits 2 when a device fails', async () => {
    const { code, stdout } = await run(['exec', 'show clock', '--inventory', join(dir, 'inv.yaml'), '--known-hosts', join(dir, 'kh'), '--accept-new-host-keys', '--json']);
    const doc = JSON.parse(stdout) as { results: { host: string; ok: boolean; data: unknown }[]; summary: unknown };
    expect(doc.summary).toEqual({ total: 2, ok: 1, failed: 1, changed: 0 });
    expect(doc.results[0]).toMatchObject({ host: 'r1', ok: true, data: { output: '10:00:00 UTC' } });
    expect(code).toBe(2);
  });
});
