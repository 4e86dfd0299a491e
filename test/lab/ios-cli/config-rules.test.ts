import { describe, expect, it } from 'vitest';
import { CISCO_TAC_URL, ciscoTacProfile, defaultCallHomeConfig } from '../../../src/domain/callhome.js';
import { findProfile } from '../../../src/ios/config/ops.js';
import { Harness, IDENTITY } from './harness.js';

const caret = (prompt: string, column: number): string => `${' '.repeat(prompt.length + column)}^\n% Invalid input detected at '^' marker.\n\n`;
const CH = 'R1(cfg-call-home)#';
const PR = 'R1(cfg-call-home-profile)#';

async function inCallHome(): Promise<Harness> {
  const h = new Harness();
  await h.enable();
  await h.ok('configure terminal', 'call-home');
  return h;
}

const config = (h: Harness) => h.device.running().callHome;
const profile = (h: Harness, name: string) => findProfile(config(h), name);

describe('argument lengths and ranges (C6)', () => {
  it('enforces every text limit of spec §2.2 at the first character of the value', async () => {
    const h = await inCallHome();
    const cases: [string, number, number][] = [
      ['street-address', 200, 15],
      ['customer-id', 64, 12],
      ['site-id', 200, 8],
      ['contract-id', 64, 12],
      ['source-interface', 64, 17],
    ];
    for (const [command, limit, column] of cases) {
      expect(await h.out(`${command} ${'x'.repeat(limit)}`), command).toBe('');
      expect(await h.out(`${command} ${'x'.repeat(limit + 1)}`), command).toBe(caret(CH, column));
    }
    expect(await h.out(`contact-email-addr ${'a'.repeat(190)}@example.c`)).toBe('');
    expect(await h.out(`contact-email-addr ${'a'.repeat(191)}@example.c`)).toBe(caret(CH, 19));
    expect(await h.out(`aaa-authorization username ${'u'.repeat(65)}`)).toBe(caret(CH, 27));
    expect(await h.out(`mail-server ${'m'.repeat(61)}.com priority 1`)).toBe(caret(CH, 12));
  });

  it('checks the phone number format and length', async () => {
    const h = await inCallHome();
    await h.ok('phone-number +1-222-333-4444');
    expect(await h.out('phone-number 1-222-333-4444')).toBe(caret(CH, 13));
    expect(await h.out('phone-number +1-222-333-444455')).toBe(caret(CH, 13));
    expect(await h.out('phone-number +1-222-abc')).toBe(caret(CH, 13));
    await h.ok('phone-number "+1 222 333 4444"');
    expect(config(h).phoneNumber).toBe('+1 222 333 4444');
  });

  it('checks ranges: priority, port, rate-limit, message size, monthly date, time', async () => {
    const h = await inCallHome();
    await h.ok('mail-server 10.0.0.1 priority 100', 'http-proxy proxy.example.com port 65535', 'rate-limit 1', 'rate-limit 60');
    expect(await h.out('http-proxy 1.1.1.1 port 0')).toBe(caret(CH, 24));
    expect(await h.out('rate-limit 0')).toBe(caret(CH, 11));
    await h.ok('profile p1', 'destination message-size-limit 50', 'destination message-size-limit 3145728');
    expect(await h.out('destination message-size-limit 49')).toBe(caret(PR, 31));
    expect(await h.out('destination message-size-limit 3145729')).toBe(caret(PR, 31));
    expect(await h.out('subscribe-to-alert-group inventory periodic monthly 32 10:00')).toBe(caret(PR, 52));
    expect(await h.out('subscribe-to-alert-group inventory periodic daily 24:00')).toBe(caret(PR, 50));
    expect(await h.out('subscribe-to-alert-group configuration periodic hourly 5')).toBe(caret(PR, 48));
    await h.ok('subscribe-to-alert-group snapshot periodic hourly 59');
    expect(profile(h, 'p1')?.subscriptions.snapshot).toEqual({ periodic: { kind: 'hourly', mm: 59 } });
  });

  it('limits profile names to 31 characters and refuses "all"', async () => {
    const h = await inCallHome();
    await h.ok(`profile ${'p'.repeat(31)}`, 'exit');
    expect(await h.out(`profile ${'p'.repeat(32)}`)).toBe(caret(CH, 8));
    expect(await h.out('profile all')).toBe('% Profile name "all" is reserved; use another name.\n');
    expect(await h.out('profile ALL')).toBe('% Profile name "all" is reserved; use another name.\n');
    expect(h.prompt()).toBe(CH);
  });

  it('keeps at most five mail servers and re-prioritises an existing one', async () => {
    const h = await inCallHome();
    for (let i = 1; i <= 5; i += 1) await h.ok(`mail-server 10.0.0.${i} priority ${10 - i}`);
    expect(await h.out('mail-server 10.0.0.6 priority 1')).toBe('% Only 5 mail servers can be configured; remove one with "no mail-server HOST".\n');
    await h.ok('mail-server 10.0.0.1 priority 1');
    expect(config(h).mailServers.map((m) => `${m.host}/${m.priority}`)).toEqual(['10.0.0.1/1', '10.0.0.5/5', '10.0.0.4/6', '10.0.0.3/7', '10.0.0.2/8']);
    await h.ok('no mail-server 10.0.0.5', 'mail-server 10.0.0.6 priority 2');
    expect(config(h).mailServers).toHaveLength(5);
    await h.ok('no mail-server all');
    expect(config(h).mailServers).toEqual([]);
  });
});

describe('no and default forms (C5)', () => {
  it('clears or restores every cfg-call-home setting', async () => {
    const h = await inCallHome();
    await h.ok(
      'contact-email-addr a@b.c',
      'phone-number +1-222',
      'street-address "x y"',
      'customer-id c',
      'site-id s',
      'contract-id k',
      'sender from f@b.c',
      'sender reply-to r@b.c',
      'source-interface Loopback0',
      'source-ip-address 2001:db8::1',
      'vrf v1',
      'http-proxy 2001:db8::2 port 3128',
      'aaa-authorization',
      'aaa-authorization username ch',
      'no syslog-throttling',
      'data-privacy level high',
      'data-privacy hostname',
      'rate-limit 5',
      'no alert-group all',
      'alert-group crash',
    );
    expect(config(h).alertGroupEnabled).toMatchObject({ crash: true, syslog: false, inventory: false });
    await h.ok(
      'no contact-email-addr',
      'no phone-number +1-222',
      'default street-address',
      'no customer-id',
      'no site-id',
      'no contract-id',
      'no sender from',
      'no sender reply-to',
      'no source-interface',
      'no source-ip-address',
      'no vrf',
      'no http-proxy',
      'no aaa-authorization',
      'default aaa-authorization username',
      'default syslog-throttling',
      'no data-privacy level',
      'no data-privacy hostname',
      'default rate-limit',
      'default alert-group all',
    );
    const reset = JSON.parse(JSON.stringify(config(h))) as unknown;
    expect(reset).toEqual(JSON.parse(JSON.stringify(defaultCallHomeConfig(IDENTITY.serial))));
  });

  it('profile commands: no active, no/default destination and subscriptions', async () => {
    const h = await inCallHome();
    await h.ok(
      'profile p1',
      'no active',
      'destination transport-method http',
      'destination address email a@example.com',
      'destination address email b@example.com',
      'destination address http http://127.0.0.1:1/x',
      'destination preferred-msg-format short-text',
      'subscribe-to-alert-group all',
    );
    expect(profile(h, 'p1')).toMatchObject({ active: false, transportEmail: true, transportHttp: true, format: 'short-text' });
    expect(Object.keys(profile(h, 'p1')?.subscriptions ?? {})).toHaveLength(7);
    await h.ok(
      'default active',
      'no destination address email a@example.com',
      'no destination address http http://127.0.0.1:1/x',
      'no destination transport-method email',
      'default destination preferred-msg-format',
      'no subscribe-to-alert-group crash',
    );
    expect(profile(h, 'p1')).toMatchObject({ active: true, emailAddresses: ['b@example.com'], httpUrls: [], transportEmail: false, transportHttp: true, format: 'xml' });
    expect(profile(h, 'p1')?.subscriptions.crash).toBeUndefined();
    // Turning both transports off brings email back (C33).
    await h.ok('no destination transport-method http');
    expect(profile(h, 'p1')).toMatchObject({ transportEmail: true, transportHttp: false });
    await h.ok('no subscribe-to-alert-group all');
    expect(profile(h, 'p1')?.subscriptions).toEqual({});
  });

  it('no profile deletes, copy and rename keep the rules', async () => {
    const h = await inCallHome();
    await h.ok('profile p1', 'destination address email x@example.com', 'exit', 'copy profile p1 p2', 'rename profile p2 p3');
    expect(profile(h, 'p3')?.emailAddresses).toEqual(['x@example.com']);
    expect(await h.out('copy profile p1 P3')).toBe('% Profile P3 already exists.\n');
    expect(await h.out('copy profile nosuch p4')).toBe('% Profile nosuch does not exist.\n');
    expect(await h.out('rename profile CiscoTAC-1 tac')).toBe('% Profile CiscoTAC-1 is predefined and cannot be renamed.\n');
    expect(await h.out('no profile CiscoTAC-1')).toBe('% Profile CiscoTAC-1 is predefined and cannot be removed.\n');
    await h.ok('no profile p3');
    expect(profile(h, 'p3')).toBeUndefined();
  });

  it('snapshot add-command and no add-command', async () => {
    const h = await inCallHome();
    await h.ok('alert-group-config snapshot', 'add-command "show version"', 'add-command "show ip route"', 'no add-command "show version"');
    expect(config(h).snapshotCommands).toEqual(['show ip route']);
    expect(await h.out(`add-command "${'s'.repeat(129)}"`)).toBe(caret('R1(cfg-call-home-snapshot)#', 12));
    await h.ok('exit', 'no alert-group-config snapshot');
    expect(config(h).snapshotCommands).toEqual([]);
  });
});

describe('CiscoTAC-1 (C32–C44)', () => {
  it('is present with the guide defaults and inactive', async () => {
    const h = await inCallHome();
    expect(profile(h, 'CiscoTAC-1')).toEqual(ciscoTacProfile(IDENTITY.serial));
    expect(profile(h, 'CiscoTAC-1')?.active).toBe(false);
  });

  it('uses exactly one transport', async () => {
    const h = await inCallHome();
    await h.ok('profile CiscoTAC-1', 'destination transport-method http');
    expect(profile(h, 'CiscoTAC-1')).toMatchObject({ transportHttp: true, transportEmail: false });
    await h.ok('destination transport-method email');
    expect(profile(h, 'CiscoTAC-1')).toMatchObject({ transportHttp: false, transportEmail: true });
    await h.ok('no destination transport-method email');
    expect(profile(h, 'CiscoTAC-1')).toMatchObject({ transportHttp: true, transportEmail: false });
  });

  it('keeps xml and its email address but lets the HTTP URL change (Call Home v3)', async () => {
    const h = await inCallHome();
    await h.ok('profile CiscoTAC-1');
    expect(await h.out('destination preferred-msg-format long-text')).toBe('% Message format of profile CiscoTAC-1 cannot be modified; it is xml only.\n');
    expect(await h.out('destination address email me@example.com')).toBe('% Destination email address of profile CiscoTAC-1 cannot be modified.\n');
    await h.ok('destination address http http://127.0.0.1:8080/its/service/oddce/services/DDCEService');
    expect(profile(h, 'CiscoTAC-1')?.httpUrls).toEqual(['http://127.0.0.1:8080/its/service/oddce/services/DDCEService']);
    await h.ok('no destination address http');
    expect(profile(h, 'CiscoTAC-1')?.httpUrls).toEqual([CISCO_TAC_URL]);
  });

  it('default active deactivates CiscoTAC-1; anonymous-reporting-only is for it alone', async () => {
    const h = await inCallHome();
    await h.ok('profile CiscoTAC-1', 'active', 'default active', 'anonymous-reporting-only');
    expect(profile(h, 'CiscoTAC-1')).toMatchObject({ active: false, mode: 'anonymous' });
    await h.ok('exit', 'profile p1');
    expect(await h.out('anonymous-reporting-only')).toBe('% Anonymous reporting applies to the predefined profile only, not to p1.\n');
  });

  it('restores default subscriptions with default subscribe-to-alert-group', async () => {
    const h = await inCallHome();
    await h.ok('profile CiscoTAC-1', 'no subscribe-to-alert-group all');
    expect(profile(h, 'CiscoTAC-1')?.subscriptions).toEqual({});
    await h.ok('default subscribe-to-alert-group syslog');
    expect(profile(h, 'CiscoTAC-1')?.syslogPatterns).toEqual([{ pattern: '.*CALL_LOOP.*', severity: 'debugging' }]);
    await h.ok('default subscribe-to-alert-group all');
    expect(profile(h, 'CiscoTAC-1')).toEqual(ciscoTacProfile(IDENTITY.serial));
  });

  it('allows one active Smart Licensing profile only', async () => {
    const h = await inCallHome();
    await h.ok('profile p1', 'reporting smart-licensing-data', 'exit', 'profile p2');
    expect(await h.out('reporting smart-licensing-data')).toBe('% Only one active profile can report Smart Licensing data.\n');
    await h.ok('no active', 'reporting all');
    expect(await h.out('active')).toBe('% Only one active profile can report Smart Licensing data.\n');
    expect(profile(h, 'p2')).toMatchObject({ active: false, reportSmartLicensing: true, reportSmartCallHome: true });
  });

  it('call-home reporting anonymous sets up CiscoTAC-1 and sends the anonymous inventory', async () => {
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'call-home reporting anonymous http-proxy proxy.example.com port 8080');
    expect(config(h)).toMatchObject({ serviceEnabled: true, httpProxy: { host: 'proxy.example.com', port: 8080 } });
    expect(profile(h, 'CiscoTAC-1')).toMatchObject({ active: true, mode: 'anonymous', transportHttp: true, transportEmail: false });
    expect(h.device.calls).toEqual([{ method: 'reportingEnabled', args: ['anonymous'] }]);
    expect(await h.out('do show running-config | section call-home')).toBe(
      'service call-home\ncall-home\n http-proxy "proxy.example.com" port 8080\n profile "CiscoTAC-1"\n  active\n  anonymous-reporting-only\n  destination transport-method http\n',
    );
  });
});

describe('hostname and trustpoints', () => {
  it('changes the prompt and the running-config; no hostname goes back to Router', async () => {
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'hostname EDGE-7');
    expect(h.prompt()).toBe('EDGE-7(config)#');
    expect(await h.out('hostname 7bad')).toBe(caret('EDGE-7(config)#', 9));
    await h.ok('no hostname');
    expect(h.prompt()).toBe('Router(config)#');
  });

  it('runs the crypto pki authenticate paste dialog of spec §10.5', async () => {
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'crypto pki trustpoint cisco', 'enrollment terminal', 'exit');
    let r = await h.run('crypto pki authenticate cisco');
    expect(r).toMatchObject({ kind: 'input', output: 'Enter the base 64 encoded CA certificate.\nEnd with a blank line or the word "quit" on a line by itself\n\n' });
    for (const line of ['MIIDAzCCAmwCEQC5L2DMiJ+hekYJuFtwbIqvMA0GCSqGSIb3DQEBBQUAMIHBMQsw', 'quit']) {
      if (r.kind !== 'input') throw new Error('dialog ended early');
      r = await r.submit(line);
    }
    expect(r).toMatchObject({ kind: 'input', prompt: '% Do you accept this certificate? [yes/no]: ' });
    if (r.kind !== 'input') return;
    expect(r.output).toMatch(/^Certificate has the following attributes:\n {4}Fingerprint MD5: ([0-9A-F]{8} ){3}[0-9A-F]{8}\n {4}Fingerprint SHA1: ([0-9A-F]{8} ){4}[0-9A-F]{8}\n$/);
    expect(await r.submit('yes')).toEqual({ kind: 'output', output: 'Trustpoint CA certificate accepted.\n% Certificate successfully imported\n' });
    expect(h.device.running().trustpoints).toEqual([{ name: 'cisco', enrollmentTerminal: true, authenticated: true }]);
    expect(await h.out('do show running-config | section crypto')).toBe('crypto pki trustpoint cisco\n enrollment terminal\n revocation-check none\n');
    expect(await h.out('crypto pki authenticate other')).toBe('% Could not find trustpoint other; create it with "crypto pki trustpoint other".\n');
  });
});
