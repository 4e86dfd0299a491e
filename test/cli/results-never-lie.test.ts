/**
 * Issue 13, "Results that never lie": IOS `%` replies are failures (kind device-error, exit 2), a
 * dropped session is kind session-closed, a closed stdout ends any command quietly with status 0, and
 * bad flag values are usage errors. Real lab devices over SSH and the real executable.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { runFleetRequest } from '../../commands/request.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { Capture } from '../fleet/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-never-lie-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const settings = SettingsSchema.parse({ timeout: 10, connectTimeout: 10 });
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ devices: 3, stateDir: join(dir, 'state') });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

type Doc = { results: { host: string; ok: boolean; data: { output?: string }; error: { kind: string; message: string } | null }[]; summary: { failed: number } };

/** Runs the real executable; resolves with its exit code and both outputs. */
function callhome(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('IOS error replies are failures', () => {
  it('`callhome send test --profile no-such-profile` fails every device with kind device-error and the device’s text, exit 2', async () => {
    const { code, stdout } = await callhome(['send', 'test', '--profile', 'no-such-profile', '--inventory', inventory, '--known-hosts', knownHosts, '--json']);
    const doc = JSON.parse(stdout) as Doc;
    expect(code).toBe(2);
    expect(doc.summary.failed).toBe(3);
    for (const r of doc.results) {
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe('device-error');
      expect(r.error?.message).toContain('% Profile no-such-profile does not exist');
      expect(r.error?.message.match(new RegExp(r.host, 'g'))?.length).toBe(1);
    }
  });

  it('exec of a command IOS does not know is a device-error; its output is kept', async () => {
    const stdout = new Capture();
    const report = await runFleetExec({ inventory, knownHosts, limit: 'r1', json: true, command: 'show call-home bogus' }, { stdout, settings, env: {} });
    expect(report.exitCode).toBe(2);
    const [r1] = (JSON.parse(stdout.text) as Doc).results;
    expect(r1?.error?.kind).toBe('device-error');
    expect(r1?.error?.message).toMatch(/% Invalid input/);
    expect(r1?.data.output).toMatch(/% Invalid input/);
  });

  it('request with a profile the device does not have is a device-error', async () => {
    const stdout = new Capture();
    const report = await runFleetRequest({ inventory, knownHosts, limit: 'r2', json: true, request: { kind: 'config-sanity', profile: 'nope' } }, { stdout, settings, env: {} });
    const [r2] = (JSON.parse(stdout.text) as Doc).results;
    expect(r2?.error?.kind).toBe('device-error');
    expect(r2?.error?.message).toMatch(/%/);
    expect(report.exitCode).toBe(2);
  });

  it('a good command is still ok', async () => {
    const stdout = new Capture();
    const report = await runFleetExec({ inventory, knownHosts, limit: 'r3', json: true, command: 'show clock' }, { stdout, settings, env: {} });
    expect(report.exitCode).toBe(0);
  });
});

describe('a dropped session', () => {
  it('is kind session-closed, not unreachable', async () => {
    // The session's own set-up takes the first commands; the device drops the connection on the next.
    for (const after of [1, 2, 3]) {
      lab.device('r1').device.setFaults({ dropAfterCommands: after });
      const stdout = new Capture();
      await runFleetExec({ inventory, knownHosts, limit: 'r1', json: true, command: 'show version' }, { stdout, settings, env: {} });
      lab.device('r1').device.setFaults({});
      const [r1] = (JSON.parse(stdout.text) as Doc).results;
      expect(r1?.ok).toBe(false);
      expect(r1?.error?.kind).toBe('session-closed');
      expect(r1?.error?.message).toMatch(/closed/);
    }
  });
});

describe('closed stdout (EPIPE)', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('`callhome events --ndjson --follow | head -3` ends quietly with status 0', async () => {
    for (let i = 0; i < 3; i++) await postXml(backend.url, sampleWith({ serial: `EPIPE${i}00001`, messageId: `M${i}:EPIPE:1` }));
    const child = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" bin/callhome.js events --ndjson --follow --since 0 --backend ${backend.url} --token ${TOKEN} | head -3`], {
      env: { ...process.env, CALLHOME_CONFIG_DIR: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // head has its three lines and is gone; the next events make callhome write into the closed pipe.
    for (let i = 0; i < 60 && stdout.split('\n').length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    let n = 0;
    const code = await Promise.race([
      exited,
      (async () => {
        for (;;) {
          await postXml(backend.url, sampleWith({ serial: `EPIPEX${n}0001`, messageId: `M${n++}:EPIPEX:1` }));
          await new Promise((r) => setTimeout(r, 200));
        }
      })(),
    ]);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('flag validation', () => {
  it('--backend host:port without a scheme is a usage error that says what is accepted', async () => {
    const { code, stderr } = await callhome(['verify', '--inventory', inventory, '--config', 'x.yaml', '--backend', '127.0.0.1:8080']);
    expect(code).toBe(1);
    expect(stderr).toContain('--backend "127.0.0.1:8080" is not an http:// or https:// URL');
    expect(stderr).toContain('http://127.0.0.1:8080');
  });

  it('non-numeric or non-positive --concurrency and --timeout, and an empty --limit, are usage errors', async () => {
    for (const [flag, value, text] of [
      ['--concurrency', 'lots', '--concurrency "lots" is not a positive whole number'],
      ['--concurrency', '0', '--concurrency 0 is not a positive whole number'],
      ['--timeout', '-1', '--timeout -1 is not a positive number of seconds'],
      ['--limit', '', '--limit needs a host or group pattern'],
    ] as const) {
      const { code, stderr, stdout } = await callhome(['exec', 'show clock', '--inventory', inventory, '--known-hosts', knownHosts, flag, value]);
      expect(code, `${flag} ${value}`).toBe(1);
      expect(stderr).toContain(text);
      expect(stdout).toBe('');
    }
  }, 120_000);
});
