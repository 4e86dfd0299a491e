import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfig } from '../../commands/config.js';
import { AbortError } from '../../src/errors.js';
import { requestCommandLine, sendCommandLine } from '../../src/fleet/exec-requests.js';
import { openSettingsStore } from '../../src/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-config-'));
let previous: string | undefined;
beforeAll(() => {
  previous = process.env['CALLHOME_CONFIG_DIR'];
  process.env['CALLHOME_CONFIG_DIR'] = dir;
});
afterAll(() => {
  if (previous === undefined) delete process.env['CALLHOME_CONFIG_DIR'];
  else process.env['CALLHOME_CONFIG_DIR'] = previous;
  rmSync(dir, { recursive: true, force: true });
});

describe('callhome config', () => {
  it('lists defaults, sets validated values and reads them back from the file in CALLHOME_CONFIG_DIR', () => {
    expect(JSON.parse(runConfig({ action: 'list', json: true }))).toMatchObject({ concurrency: 50, timeout: 30 });
    expect(runConfig({ action: 'set', key: 'concurrency', value: '200' })).toBe('concurrency = 200');
    expect(runConfig({ action: 'get', key: 'concurrency' })).toBe('200');
    runConfig({ action: 'set', key: 'knownHosts', value: '/tmp/kh' });
    const file = openSettingsStore().path;
    expect(file.startsWith(dir)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ concurrency: 200, knownHosts: '/tmp/kh' });
    runConfig({ action: 'unset', key: 'concurrency' });
    expect(runConfig({ action: 'get', key: 'concurrency', json: true })).toBe('{"concurrency":50}');
  });

  it('rejects unknown keys with the list of valid ones, and bad values with the reason', () => {
    expect(() => runConfig({ action: 'set', key: 'password', value: 'x' })).toThrow(AbortError);
    try {
      runConfig({ action: 'set', key: 'password', value: 'x' });
    } catch (error) {
      expect((error as AbortError).tryMessage).toContain('concurrency, timeout, connectTimeout, knownHosts, backendUrl, tokenEnv');
    }
    expect(() => runConfig({ action: 'set', key: 'concurrency', value: 'lots' })).toThrow(/"lots" is not a valid value for concurrency/);
    expect(() => runConfig({ action: 'set', key: 'backendUrl', value: 'not a url' })).toThrow(/backendUrl/);
  });
});

describe('send and request lines', () => {
  it('builds the IOS EXEC lines of spec §3', () => {
    expect(sendCommandLine({ kind: 'test', profile: 'noc-http', message: 'hello world' })).toBe('call-home test "hello world" profile noc-http');
    expect(sendCommandLine({ kind: 'alert-group', group: 'inventory', profile: 'CiscoTAC-1' })).toBe('call-home send alert-group inventory profile CiscoTAC-1');
    expect(sendCommandLine({ kind: 'cli', commands: ['show version', 'show run'], srNumber: '123456' })).toBe('call-home send "show version;show run" tac-service-request 123456');
    expect(sendCommandLine({ kind: 'cli', commands: ['show diag'], email: 'support@example.com', msgFormat: 'xml' })).toBe('call-home send "show diag" email support@example.com msg-format xml');
    expect(sendCommandLine({ kind: 'cli', commands: ['show diag'], http: true, destinationEmail: 'a@b.c' })).toBe('call-home send "show diag" http destination-email-address a@b.c');
    expect(requestCommandLine({ kind: 'output-analysis', command: 'show diag', profile: 'TG' })).toBe('call-home request output-analysis "show diag" profile TG');
    expect(requestCommandLine({ kind: 'bugs-list', ccoid: 'jdoe' })).toBe('call-home request bugs-list ccoid jdoe');
  });

  it('refuses what IOS would refuse, before any device is touched', () => {
    expect(() => sendCommandLine({ kind: 'cli', commands: ['show diag'] })).toThrow(/needs --email, --http or --sr/);
    expect(() => sendCommandLine({ kind: 'cli', commands: ['show diag'], http: true })).toThrow(/--destination-email or --sr/);
    expect(() => sendCommandLine({ kind: 'test', profile: 'two words' })).toThrow(/one word/);
    expect(() => requestCommandLine({ kind: 'output-analysis' })).toThrow(/needs the show command/);
    expect(() => requestCommandLine({ kind: 'output-analysis', command: 'show "x"' })).toThrow(/double quote/);
  });
});
