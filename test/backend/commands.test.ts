import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCases } from '../../commands/cases.js';
import { runContracts } from '../../commands/contracts.js';
import { runDevices } from '../../commands/devices.js';
import { runMessages } from '../../commands/messages.js';
import { runNotifications } from '../../commands/notifications.js';
import { runRegistration } from '../../commands/registration.js';
import { runRegistrations } from '../../commands/registrations.js';
import { runReports } from '../../commands/reports.js';
import { runEvents } from '../../commands/events.js';
import { createApiClient } from '../../src/client/api-client.js';
import type { AbortError } from '../../src/errors.js';
import { renderXml } from '../../src/callhome/codec.js';
import { buildMessage } from './build-message.js';
import { postXml, startTestBackend, TOKEN, type TestBackend } from './helpers.js';

let b: TestBackend;
const dir = mkdtempSync(join(tmpdir(), 'callhome-cmd-'));

beforeAll(async () => {
  b = await startTestBackend();
  await postXml(b.url, renderXml(buildMessage({ serialNumber: 'CMD0001', hostname: 'C1' })));
  await postXml(b.url, renderXml(buildMessage({ serialNumber: 'CMD0002', hostname: 'C2', kind: 'syslog', severity: 5, description: '%SYS-2-MALLOCFAIL: x' })));
});
afterAll(async () => {
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a twin and captures what it prints. */
async function capture(run: (deps: { stdout: (t: string) => void }) => Promise<void>): Promise<string> {
  let out = '';
  await run({ stdout: (t) => (out += t) });
  return out;
}
const conn = () => ({ backend: b.url, token: TOKEN });

describe('scripted twins', () => {
  it('devices --json prints the CLI.md contract; the table shows each device', async () => {
    const json = JSON.parse(await capture((d) => runDevices({ ...conn(), json: true }, d))) as { devices: Record<string, unknown>[] };
    expect(json.devices.map((x) => [x['serial'], x['hostname'], x['model'], x['registration']])).toEqual([
      ['CMD0001', 'C1', 'CSR1000V', 'pending'],
      ['CMD0002', 'C2', 'CSR1000V', 'pending'],
    ]);
    expect(json.devices[0]).toHaveProperty('lastMessageAt');
    const table = await capture((d) => runDevices({ ...conn(), json: false }, d));
    expect(table).toMatch(/Hostname.*Serial.*Model.*Registration/);
    expect(table).toContain('CMD0002');
  });

  it('messages --json with filters', async () => {
    const json = JSON.parse(await capture((d) => runMessages({ ...conn(), json: true, type: 'syslog', severity: 'major', limit: 10 }, d))) as { messages: Record<string, unknown>[]; next: null };
    expect(json.next).toBeNull();
    expect(json.messages).toHaveLength(1);
    expect(json.messages[0]).toMatchObject({ serial: 'CMD0002', hostname: 'C2', type: 'syslog', alertGroup: 'syslog', severity: 5, transport: 'http' });
    expect(Object.keys(json.messages[0] ?? {})).toEqual(expect.arrayContaining(['id', 'serial', 'hostname', 'type', 'alertGroup', 'severity', 'receivedAt', 'transport']));
  });

  it('contracts import (YAML and CSV), registration confirm, registrations, reports --csv, notifications, cases', async () => {
    const yamlFile = join(dir, 'contracts.yaml');
    writeFileSync(yamlFile, 'contracts:\n  - { serial: CMD0001, contract: C-77, company: ExampleCorp, expires: 2099-12-31 }\n');
    const csvFile = join(dir, 'contracts.csv');
    // A quoted company with a comma and a comment line: real spreadsheets export both.
    writeFileSync(csvFile, 'serial,contract,type,company,expires\n# exported 2026-11-23\nCMD0002,,direct,ExampleCorp,\nCMD0003,C-9,direct,"Example, Inc.",2099-12-31\n');
    expect(await capture((d) => runContracts({ ...conn(), json: false, action: 'import', file: yamlFile }, d))).toBe('Imported 1 contract rows; 0 registrations changed state.\n');
    expect(JSON.parse(await capture((d) => runContracts({ ...conn(), json: true, action: 'import', file: csvFile }, d)))).toEqual({ imported: 2, changed: 0 });
    const listed = JSON.parse(await capture((d) => runContracts({ ...conn(), json: true, action: 'list' }, d))) as { contracts: { serial: string; company: string }[] };
    expect(listed.contracts.find((c) => c.serial === 'CMD0003')?.company).toBe('Example, Inc.');
    const notes = JSON.parse(await capture((d) => runNotifications({ ...conn(), json: true, limit: 50 }, d))) as { notifications: { serial: string; body: string }[] };
    const token = (serial: string) => /Security token: (\S+)/.exec(notes.notifications.find((n) => n.serial === serial)?.body ?? '')?.[1] ?? '';
    expect(await capture((d) => runRegistration({ ...conn(), json: false, action: 'confirm', serial: 'CMD0001', secret: token('CMD0001') }, d))).toBe('CMD0001 is registered (contract C-77).\n');
    const trial = JSON.parse(await capture((d) => runRegistration({ ...conn(), json: true, action: 'confirm', serial: 'CMD0002', secret: token('CMD0002') }, d))) as { registration: { state: string } };
    expect(trial.registration.state).toBe('trial');
    await expect(runRegistration({ ...conn(), json: false, action: 'confirm', serial: 'NOPE', secret: 'X' }, { stdout: () => undefined })).rejects.toThrow(/No registration exists for serial NOPE/);
    const regs = JSON.parse(await capture((d) => runRegistrations({ ...conn(), json: true }, d))) as { registrations: { serial: string; state: string }[] };
    expect(regs.registrations.map((r) => [r.serial, r.state])).toEqual([['CMD0001', 'registered'], ['CMD0002', 'trial']]);
    const csv = await capture((d) => runReports({ ...conn(), json: false, kind: 'device', csv: true }, d));
    // The first release's columns, in their order; later columns (company) come after them.
    expect(csv.split('\r\n')[0]?.split(',').slice(0, 9).join(',')).toBe('hostname,serial,model,softwareVersion,registration,contract,lastInventoryAt,lastConfigurationAt,lastMessageAt');
    expect(csv).toContain('C1,CMD0001,CSR1000V,17.3.1,registered,C-77,');
    expect(JSON.parse(await capture((d) => runCases({ ...conn(), json: true }, d)))).toEqual({ cases: [] });
    expect(await capture((d) => runCases({ ...conn(), json: false }, d))).toBe('No cases.\n');
  });

  it('says what to do when the token is wrong or the back end is not there', async () => {
    await expect(runDevices({ backend: b.url, token: 'wrong', json: true }, { stdout: () => undefined })).rejects.toMatchObject({ message: expect.stringContaining('refused the token') as unknown as string, tryMessage: expect.stringContaining('CALLHOME_TOKEN') as unknown as string });
    await expect(runDevices({ backend: 'http://127.0.0.1:1', token: TOKEN, json: true }, { stdout: () => undefined })).rejects.toMatchObject({ tryMessage: expect.stringContaining('callhome serve') as unknown as string });
  });
});

describe('query command flags and token problems', () => {
  const fails = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AbortError);

  it('refuses a time that is not one, a misspelt type, a non-numeric page size and a URL without a scheme, saying what is accepted', async () => {
    const since = await fails(runMessages({ ...conn(), json: true, since: 'yesterday' }, { stdout: () => undefined }));
    expect(since.message).toBe('--since "yesterday" is not a time.');
    expect(since.tryMessage).toMatch(/ISO 8601 .*30m, 2h, 7d/);
    const type = await fails(runMessages({ ...conn(), json: true, type: 'sylog' }, { stdout: () => undefined }));
    expect(type.message).toContain('did you mean syslog?');
    expect(type.tryMessage).toContain('inventory');
    const size = await fails(runMessages({ ...conn(), json: true, max: 'abc' }, { stdout: () => undefined }));
    expect(size.message).toBe('--max "abc" is not a page size.');
    expect(size.tryMessage).toBe('Give a whole number from 1 to 1000.');
    expect((await fails(runNotifications({ ...conn(), json: true, max: '0' }, { stdout: () => undefined }))).message).toContain('is not a page size');
    const url = await fails(runMessages({ backend: '127.0.0.1:8080', token: TOKEN, json: true }, { stdout: () => undefined }));
    expect(url.message).toContain('is not an http:// or https:// URL');
    expect(url.tryMessage).toContain('http://127.0.0.1:8080');
    const seq = await fails(runEvents({ ndjson: true, follow: false, since: 'yesterday' }, { stdout: () => undefined, stderr: () => undefined, connection: { url: b.url, token: TOKEN } }));
    expect(seq.message).toBe('--since "yesterday" is not an event seq.');
  });

  it('accepts ages and dates, --max, and --limit as a deprecated spelling', async () => {
    const recent = JSON.parse(await capture((d) => runMessages({ ...conn(), json: true, since: '2h' }, d))) as { messages: unknown[] };
    expect(recent.messages).toHaveLength(2);
    const future = JSON.parse(await capture((d) => runMessages({ ...conn(), json: true, since: '2999-01-01' }, d))) as { messages: unknown[] };
    expect(future.messages).toHaveLength(0);
    const one = JSON.parse(await capture((d) => runMessages({ ...conn(), json: true, max: '1' }, d))) as { messages: unknown[]; next: string | null };
    expect(one.messages).toHaveLength(1);
    expect(one.next).not.toBeNull();
    let warned = '';
    let out = '';
    await runMessages({ ...conn(), json: true, limit: '1' }, { stdout: (t) => (out += t), stderr: (t) => (warned += t) });
    expect((JSON.parse(out) as { messages: unknown[] }).messages).toHaveLength(1);
    expect(warned).toMatch(/--limit is deprecated .* use --max/);
  });

  it('says missing, refused and throttled tokens the same way on every command, with the wait, never ?token=', async () => {
    const missing = await fails(runMessages({ backend: b.url, json: true }, { stdout: () => undefined, client: createApiClient({ url: b.url, token: undefined }) }));
    expect(missing.message).toBe(`No API token for the back end at ${b.url}.`);
    const missingEvents = await fails(runEvents({ ndjson: true, follow: false }, { stdout: () => undefined, stderr: () => undefined, connection: { url: b.url, token: undefined } }));
    expect(missingEvents.message).toBe(missing.message);
    expect(missingEvents.tryMessage).toBe(missing.tryMessage);
    const throttled = await startTestBackend({ authThrottle: { freeFailures: 1, baseDelayMs: 50, maxDelayMs: 100 } });
    try {
      const refused = await fails(runDevices({ backend: throttled.url, token: 'wrong', json: true }, { stdout: () => undefined }));
      expect(refused.message).toBe(`The back end at ${throttled.url} refused the token.`);
      const refusedStream = await fails(runEvents({ ndjson: true, follow: false }, { stdout: () => undefined, stderr: () => undefined, connection: { url: throttled.url, token: 'wrong' } }));
      expect(refusedStream.message).toMatch(new RegExp(`^The back end at ${throttled.url.replace(/[.]/g, '\\.')} refused the token`));
      const slowed = await fails(runNotifications({ backend: throttled.url, token: 'wrong', json: true }, { stdout: () => undefined }));
      expect(slowed.message).toMatch(/refused the token; wrong tokens are slowed down, try again in \d+ s\./);
      for (const e of [missing, refused, refusedStream, slowed]) {
        expect(e.tryMessage).toContain('$CALLHOME_TOKEN');
        expect(e.tryMessage).toContain('--token-file');
        expect(`${e.message} ${e.tryMessage ?? ''}`).not.toContain('?token=');
      }
      // The right token is still accepted at once.
      expect(JSON.parse(await capture((d) => runDevices({ backend: throttled.url, token: TOKEN, json: true }, d)))).toEqual({ devices: [] });
    } finally {
      await throttled.stop();
    }
  });

  it('exits 1 with the usage error through the executable, and never sends limit=NaN', async () => {
    const child = spawn(process.execPath, ['bin/callhome.js', 'messages', '--backend', b.url, '--max', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CALLHOME_TOKEN: TOKEN } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('--max "abc" is not a page size.');
    expect(stderr).not.toContain('NaN');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('callhome serve', () => {
  it('prints the ready line, generates a token to stderr only, serves HTTPS with a self-signed certificate and SMTP', async () => {
    const child = spawn(process.execPath, ['bin/callhome.js', 'serve', '--json', '--http-port', '0', '--smtp-port', '0', '--https-self-signed', '--db', join(dir, 'serve.db')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CALLHOME_TOKEN: '', CALLHOME_LOG_LEVEL: 'warn' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const ready = JSON.parse(line) as { event: string; http: number; smtp: number };
    expect(ready).toMatchObject({ event: 'ready', http: expect.any(Number) as unknown as number, smtp: expect.any(Number) as unknown as number });
    const token = /API token \(set CALLHOME_TOKEN to reuse it\): (\S+)/.exec(stderr)?.[1];
    expect(token).toBeDefined();
    // HTTPS with the generated certificate (the client trusts it explicitly for this test only).
    const https = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      https.get(`https://127.0.0.1:${ready.http}/api/v1/devices`, { rejectUnauthorized: false, headers: { authorization: `Bearer ${token ?? ''}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr.match(new RegExp(token ?? 'x', 'g'))).toHaveLength(1);
  }, 60_000);
});
