/** The desired-configuration loader: the CLI.md example as it stands, and clear errors for bad input. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredConfig, parseDesiredYaml } from '../../../src/fleet/desired.js';
import { AbortError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-desired-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The AbortError message parseDesiredYaml throws for `text`. */
function failure(text: string): string {
  try {
    parseDesiredYaml(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AbortError);
    return (error as AbortError).message;
  }
  throw new Error('expected the desired configuration to be refused');
}

describe('desired configuration', () => {
  it('accepts the CLI.md example verbatim', async () => {
    const desired = await loadDesiredConfig(join(import.meta.dirname, '../../fixtures/desired/cli-md-example.yaml'));
    expect(desired).toMatchObject({
      service: true,
      contactEmail: 'noc@example.com',
      phoneNumber: '+1-408-555-1234',
      senderFrom: 'router@example.com',
      senderReplyTo: 'noc@example.com',
      mailServers: [
        { address: '127.0.0.1', priority: 1 },
        { address: 'mail2.example.com', priority: 2 },
      ],
      rateLimit: 20,
      snapshotCommands: ['show version', 'show clock'],
    });
    expect(desired.profiles?.['noc-http']).toMatchObject({
      active: true,
      transport: ['http'],
      format: 'xml',
      subscriptions: {
        inventory: { periodic: { kind: 'monthly', date: 1, hh: 9, mm: 0 } },
        configuration: { periodic: { kind: 'weekly', day: 'monday', hh: 10, mm: 0 } },
        environment: { severity: 'minor' },
        syslog: { severity: 'major', pattern: '.*' },
        crash: {},
      },
    });
    expect(desired.profiles?.['noc-mail']).toMatchObject({ email: ['noc@example.com'], format: 'long-text' });
    // Keys not named stay absent, so the planner leaves them alone.
    expect(desired.siteId).toBe('SITE-1');
    expect(desired.vrf).toBeUndefined();
    expect(desired.alertGroups).toBeUndefined();
  });

  it('names the file, the key path and the limit for values out of range', () => {
    const message = failure('rate-limit: 61\nmail-servers:\n  - { address: m1, priority: 0 }\nphone-number: "555 1234"\n');
    expect(message).toContain('bad.yaml');
    expect(message).toContain('rate-limit: rate-limit is 1..60 messages per minute');
    expect(message).toContain('mail-servers.0.priority: priority is 1..100');
    expect(message).toContain('phone-number: phone-number starts with + and holds only digits and -');
  });

  it('refuses unknown keys, bad schedules and options a group does not have', () => {
    const message = failure(
      'colour: blue\nprofiles:\n  p1:\n    subscriptions:\n      inventory: { periodic: "yearly 1 09:00" }\n      crash: { severity: major }\n      configuration: { periodic: "hourly 5" }\n',
    );
    expect(message).toContain('unknown key(s) "colour"');
    expect(message).toContain('profiles.p1.subscriptions.inventory.periodic: expected "daily HH:MM"');
  });

  it('checks group options once the shape is right', () => {
    const message = failure('profiles:\n  p1:\n    subscriptions:\n      crash: { severity: major }\n      configuration: { periodic: "hourly 5" }\n      inventory: { pattern: x }\n');
    expect(message).toContain('profiles.p1.subscriptions.crash.severity: crash has no severity option');
    expect(message).toContain('profiles.p1.subscriptions.configuration.periodic: hourly and interval schedules are for snapshot only');
    expect(message).toContain('profiles.p1.subscriptions.inventory.pattern: only syslog takes a pattern');
  });

  it('accepts up to five syslog patterns, for syslog only', () => {
    const ok = parseDesiredYaml('profiles:\n  p:\n    subscriptions:\n      syslog: { patterns: [{ pattern: A, severity: minor }, { pattern: B }] }\n', 'ok.yaml');
    expect(ok.profiles?.['p']?.subscriptions?.syslog?.patterns).toEqual([{ pattern: 'A', severity: 'minor' }, { pattern: 'B' }]);
    const six = Array.from({ length: 6 }, (_, i) => `{ pattern: P${i} }`).join(', ');
    expect(failure(`profiles:\n  p:\n    subscriptions:\n      syslog: { patterns: [${six}] }\n`)).toContain('at most 5 syslog patterns');
    expect(failure('profiles:\n  p:\n    subscriptions:\n      crash: { patterns: [{ pattern: A }] }\n')).toContain('patterns is for syslog only');
  });

  it('enforces the CiscoTAC-1 rules and profile-name rules', () => {
    const message = failure('profiles:\n  CiscoTAC-1: { format: long-text, email: [a@b.c], transport: [email, http] }\n');
    expect(message).toContain('profiles.CiscoTAC-1.format: CiscoTAC-1 sends xml only');
    expect(message).toContain('profiles.CiscoTAC-1.email: the e-mail destination of CiscoTAC-1 cannot be changed');
    expect(message).toContain('profiles.CiscoTAC-1.transport: CiscoTAC-1 uses exactly one transport');
    expect(failure('profiles:\n  all: {}\n')).toContain('a profile cannot be named "all"');
    expect(failure(`profiles:\n  ${'x'.repeat(32)}: {}\n`)).toContain('at most 31 characters');
    expect(failure('profiles:\n  Noc: {}\n  noc: {}\n')).toContain('listed twice');
  });

  it('refuses six mail servers, duplicate servers and quotes IOS cannot carry', () => {
    const six = Array.from({ length: 6 }, (_, i) => `  - { address: m${i}, priority: ${i + 1} }`).join('\n');
    expect(failure(`mail-servers:\n${six}\n`)).toContain('at most 5 mail servers');
    expect(failure('mail-servers:\n  - { address: m, priority: 1 }\n  - { address: M, priority: 2 }\n')).toContain('each mail server address appears once');
    expect(failure('street-address: \'1 "Main" St\'\n')).toContain('street-address cannot contain a double quote');
  });

  it('reports YAML syntax errors and unreadable files', async () => {
    expect(failure('profiles: [\n')).toContain('bad.yaml is not valid YAML');
    await expect(loadDesiredConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/Cannot read the desired configuration .*missing\.yaml \(ENOENT\)/);
    const file = join(dir, 'null.yaml');
    writeFileSync(file, 'contact-email: null\nservice: disabled\n');
    expect(await loadDesiredConfig(file)).toMatchObject({ contactEmail: null, service: false });
  });
});
