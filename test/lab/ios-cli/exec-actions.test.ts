import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

async function privileged(): Promise<Harness> {
  const h = new Harness();
  await h.enable();
  return h;
}

describe('call-home EXEC actions (spec §3.1–3.4)', () => {
  it('call-home test with and without text', async () => {
    const h = await privileged();
    expect(await h.out('call-home test profile profile1')).toBe('Sending test message to profile1...\n');
    expect(await h.out('call-home test "link flap drill" profile CiscoTAC-1')).toBe('Sending test message to CiscoTAC-1...\n');
    expect(h.device.calls).toEqual([
      { method: 'test', args: ['profile1', undefined] },
      { method: 'test', args: ['CiscoTAC-1', 'link flap drill'] },
    ]);
  });

  it('prints the engine refusal as an IOS % line', async () => {
    const h = await privileged();
    h.device.nextOutcome = { kind: 'rejected', message: 'Profile nosuch does not exist' };
    expect(await h.out('call-home test profile nosuch')).toBe('% Profile nosuch does not exist\n');
  });

  it('call-home send alert-group, with and without profile, and diagnostic modules', async () => {
    const h = await privileged();
    await h.ok(
      'call-home send alert-group configuration profile CiscoTAC-1',
      'call-home send alert-group inventory',
      'call-home send alert-group crash',
      'call-home send alert-group diagnostic module 1 profile p1',
    );
    expect(h.device.calls).toEqual([
      { method: 'sendAlertGroup', args: ['configuration', { profile: 'CiscoTAC-1' }] },
      { method: 'sendAlertGroup', args: ['inventory', {}] },
      { method: 'sendAlertGroup', args: ['crash', {}] },
      { method: 'sendAlertGroup', args: ['diagnostic', { profile: 'p1', module: '1' }] },
    ]);
  });

  it('call-home request forms with profile and ccoid', async () => {
    const h = await privileged();
    await h.ok('call-home request output-analysis "show diag" profile TG', 'call-home request config-sanity profile TG', 'call-home request bugs-list ccoid jdoe', 'call-home request product-advisory');
    expect(h.device.calls).toEqual([
      { method: 'request', args: ['output-analysis', { command: 'show diag', profile: 'TG' }] },
      { method: 'request', args: ['config-sanity', { profile: 'TG' }] },
      { method: 'request', args: ['bugs-list', { ccoid: 'jdoe' }] },
      { method: 'request', args: ['product-advisory', {}] },
    ]);
    expect(await h.out('call-home request output-analysis')).toBe('% Incomplete command.\n\n');
  });

  it('call-home send "<cli>" in the three guide forms, with the validation of §3.4', async () => {
    const h = await privileged();
    await h.ok(
      'call-home send "show version;show running-config;show inventory" email support@example.com msg-format xml',
      'call-home send "show diag" email support@example.com',
      'call-home send "show version;show run" tac-service-request 123456',
      'call-home send "show version" http destination-email-address ops@example.com',
    );
    expect(h.device.calls).toEqual([
      { method: 'sendCli', args: [['show version', 'show running-config', 'show inventory'], { email: 'support@example.com', format: 'xml' }] },
      { method: 'sendCli', args: [['show diag'], { email: 'support@example.com' }] },
      { method: 'sendCli', args: [['show version', 'show run'], { serviceRequest: '123456' }] },
      { method: 'sendCli', args: [['show version'], { http: true, destinationEmail: 'ops@example.com' }] },
    ]);
    expect(await h.out('call-home send "show version"')).toBe('% A TAC service request number is required when no email address is given.\n');
    expect(await h.out('call-home send "show version" http')).toBe('% A destination email address or a TAC service request number is required with http.\n');
    expect(await h.out('call-home send "show diag" email a@b.c msg-format short-text')).toContain("% Invalid input detected at '^' marker.");
    expect(h.device.calls).toHaveLength(4);
  });
});

describe('lab raise (hidden, privileged EXEC)', () => {
  it('raises every kind of event', async () => {
    const h = await privileged();
    await h.ok(
      'lab raise syslog 3 LINK UPDOWN "Interface GigabitEthernet1, changed state to down"',
      'lab raise diagnostic major DIAG_FAIL "Online diagnostic failed"',
      'lab raise environment critical TEMP_ALARM "Inlet temperature critical"',
      'lab raise crash TRACEBACK "Traceback at 0x1234"',
      'lab raise inventory FRU_INSERT',
      'lab raise configuration',
    );
    expect(h.device.events).toEqual([
      { kind: 'syslog', syslogLevel: 3, facility: 'LINK', mnemonic: 'UPDOWN', text: 'Interface GigabitEthernet1, changed state to down' },
      { kind: 'diagnostic', severity: 5, eventName: 'DIAG_FAIL', description: 'Online diagnostic failed' },
      { kind: 'environment', severity: 6, eventName: 'TEMP_ALARM', description: 'Inlet temperature critical' },
      { kind: 'crash', eventName: 'TRACEBACK', description: 'Traceback at 0x1234' },
      { kind: 'inventory', eventName: 'FRU_INSERT', description: 'FRU inserted' },
      { kind: 'configuration', description: 'Configuration changed' },
    ]);
  });

  it('is not listed by ? and not available in user EXEC', async () => {
    const h = new Harness();
    expect(await h.out('lab raise configuration')).toContain("% Invalid input detected at '^' marker.");
    await h.enable();
    expect(h.cli.help('', h.session)).not.toMatch(/^\s+lab\s/m);
    expect(h.cli.help('l', h.session)).toBe('logout\n\n');
    expect(await h.out('lab raise syslog 8 LINK UPDOWN "x"')).toBe(`${' '.repeat('R1#'.length + 17)}^\n% Invalid input detected at '^' marker.\n\n`);
  });
});

describe('robustness', () => {
  it('never throws on hostile input', async () => {
    const h = await privileged();
    const lines = ['"', '""', '|', '| i x', 'show run | i (', 'show run | i [', '\u0000\u0001', 'x'.repeat(5000), 'conf t', 'call-home', 'profile "', 'exit', `profile "${'a'.repeat(40)}`, '   ', 'no', 'default', 'do', 'do do show version'];
    for (const line of lines) {
      const r = await h.run(line);
      expect(['output', 'password', 'input', 'close']).toContain(r.kind);
    }
    expect(h.prompt()).toBe('R1(config)#');
  });
});

describe('commands Call Home attaches (spec §4.2)', () => {
  it('every attachment command of the engine runs without an IOS error', async () => {
    const { ALERT_GROUP_COMMANDS, PRODUCT_ADVISORY_COMMANDS, TEST_COMMANDS } = await import('../../../src/lab/engine/commands.js');
    const h = await privileged();
    const all = new Set([...Object.values(ALERT_GROUP_COMMANDS).flat(), ...PRODUCT_ADVISORY_COMMANDS, ...TEST_COMMANDS]);
    for (const command of all) {
      const output = await h.out(command);
      expect(output, command).not.toMatch(/^%|\n%/);
      expect(output.length, command).toBeGreaterThan(0);
    }
    const macs = await h.out('show diag all eeprom detail | include MAC');
    expect(macs).toMatch(/^ +Chassis MAC Address +: 0050\.56[0-9a-f]{2}\.[0-9a-f]{4}\n +MAC Address block size +: 1\n$/);
  });
});
