import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CISCO_TAC_URL } from '../../../src/domain/callhome.js';
import { findProfile } from '../../../src/ios/config/ops.js';
import { Harness, XE_IDENTITY } from './harness.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/lab/${name}`, import.meta.url), 'utf8');
const blocks = fixture('worked-examples.txt')
  .split('\n')
  .filter((l) => !l.startsWith('#'))
  .join('\n')
  .split('---\n');

async function privileged(): Promise<Harness> {
  const h = new Harness();
  await h.enable();
  return h;
}

describe('spec §2.6 worked examples', () => {
  it('has the five transcripts', () => {
    expect(blocks).toHaveLength(5);
  });

  it('contact information', async () => {
    // Given a privileged session, when the guide's contact block runs, then every field is set.
    const h = await privileged();
    const outputs = await h.transcript(blocks[0] ?? '');
    expect(outputs[0]).toBe('Enter configuration commands, one per line.  End with CNTL/Z.\n');
    expect(outputs.slice(1).every((o) => o === '')).toBe(true);
    const c = h.device.running().callHome;
    expect(c).toMatchObject({
      contactEmail: 'username@example.com',
      phoneNumber: '+1-222-333-4444',
      streetAddress: '1234 Any Street, Any city, Any state, 12345',
      customerId: 'Customer1234',
      siteId: 'Site1ManhattanNY',
      contractId: 'Company1234',
    });
    expect(h.prompt()).toBe('R1#');
  });

  it('mail servers', async () => {
    const h = await privileged();
    await h.transcript(blocks[1] ?? '');
    expect(h.device.running().callHome.mailServers).toEqual([
      { host: 'smtp.example.com', priority: 1 },
      { host: '192.168.0.1', priority: 2 },
    ]);
  });

  it('CiscoTAC-1 over HTTPS', async () => {
    const h = await privileged();
    await h.transcript(blocks[2] ?? '');
    const tac = findProfile(h.device.running().callHome, 'CiscoTAC-1');
    expect(tac).toMatchObject({ active: true, transportHttp: true, transportEmail: false, httpUrls: [CISCO_TAC_URL] });
  });

  it('configuring and enabling Smart Call Home, saved to startup', async () => {
    const h = await privileged();
    const outputs = await h.transcript(blocks[3] ?? '');
    expect(outputs.at(-1)).toBe('Building configuration...\n[OK]\n');
    const startup = h.device.startup();
    expect(startup?.callHome.serviceEnabled).toBe(true);
    expect(startup?.callHome.contactEmail).toBe('username@example.com');
    expect(findProfile(startup?.callHome ?? h.device.running().callHome, 'ciscotac-1')?.active).toBe(true);
  });

  it('the one-line examples, with the doc typos resolved', async () => {
    const h = await privileged();
    const outputs = await h.transcript(blocks[4] ?? '');
    expect(outputs.filter((o) => o.includes('%'))).toEqual([]);
    const c = h.device.running().callHome;
    expect(h.device.calls.filter((x) => x.method === 'reportingEnabled')).toEqual([{ method: 'reportingEnabled', args: ['full'] }]);
    expect(c.contactEmail).toBe('email@company.com');
    expect(c.serviceEnabled).toBe(true);
    const p1 = findProfile(c, 'profile1');
    expect(p1).toMatchObject({ active: false, transportEmail: true, emailAddresses: ['myaddress@example.com'], format: 'xml', messageSizeLimit: 3145728 });
    expect(findProfile(c, 'profile2')).toBeUndefined();
    expect(findProfile(c, 'testprofile')).toMatchObject({ emailAddresses: ['myaddress@example.com'], predefined: false });
    expect(c.snapshotCommands).toEqual(['show version']);
    expect(c).toMatchObject({
      senderFrom: 'username@example.com',
      senderReplyTo: 'username@example.com',
      sourceInterface: 'loopback1',
      sourceIpAddress: '209.165.200.226',
      vrf: 'vpn1',
      httpProxy: { host: '1.1.1.1', port: 1 },
      aaaAuthorization: true,
      aaaUsername: 'username',
      syslogThrottling: true,
      dataPrivacyLevel: 'high',
    });
    expect(c.mailServers).toEqual([{ host: 'stmp.example.com', priority: 1 }]);
    expect(h.prompt()).toBe('R1#');
  });

  it('the guide typos themselves are rejected as IOS would', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'call-home');
    // `ip-address` is neither a call-home nor a (config) command; the caret is where `ip` stops matching.
    expect(await h.out('ip-address 209.165.200.226')).toBe(`${' '.repeat('R1(cfg-call-home)#'.length + 2)}^\n% Invalid input detected at '^' marker.\n\n`);
    // `rename profile2 testprofile` lacks the `profile` keyword.
    expect(await h.out('rename profile2 testprofile')).toContain("% Invalid input detected at '^' marker.");
  });
});

describe('spec §2.7 running-config rendering', () => {
  it('renders the sample call-home section exactly', async () => {
    const h = await privileged();
    await h.ok(
      'configure terminal',
      'service call-home',
      'call-home',
      'contact-email-addr technical@example.com',
      'phone-number +1-408-555-1234',
      'street-address "1234 Picaboo Street, Any city, Any state, 12345"',
      'customer-id ExampleCorp',
      'site-id SantaClara',
      'contract-id X123456789',
      'sender from router@example.com',
      'sender reply-to support@example.com',
      'mail-server 223.255.254.254 priority 2',
      'mail-server 192.168.2.1 priority 1',
      'source-interface GigabitEthernet1',
      'http-proxy 192.168.1.1 port 80',
      'alert-group-config snapshot',
      'add-command "show version"',
      'add-command "show clock"',
      'exit',
      'profile campus-noc',
      'destination address email noc@example.com',
      'subscribe-to-alert-group configuration',
      'subscribe-to-alert-group crash',
      'subscribe-to-alert-group inventory',
      'subscribe-to-alert-group syslog severity debugging pattern ".*CALL_LOOP.*"',
      'exit',
      'profile CiscoTAC-1',
      'destination transport-method http',
      'active',
      'end',
    );
    expect(await h.out('show running-config | section call-home')).toBe(fixture('running-config-call-home.txt'));
  });

  it('frames the section with a plausible IOS configuration', async () => {
    const h = new Harness(XE_IDENTITY);
    await h.enable();
    const text = await h.out('show running-config');
    expect(text).toMatch(/^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n!\nversion 17\.3\n/);
    expect(text).toContain('\nhostname R1\n');
    expect(text).toContain('\ninterface GigabitEthernet1\n');
    expect(text.endsWith('\nend\n')).toBe(true);
    const bytes = Number(/Current configuration : (\d+) bytes/.exec(text)?.[1]);
    expect(bytes).toBe(Buffer.byteLength(text.slice(text.indexOf('!\nversion'))));
  });

  it('writes defaults only with `all`', async () => {
    const h = await privileged();
    const plain = await h.out('show running-config | section call-home');
    expect(plain).toBe('call-home\n');
    const all = await h.out('show running-config all | section call-home');
    expect(all).toContain(' rate-limit 20\n');
    expect(all).toContain(' syslog-throttling\n');
    expect(all).toContain(' data-privacy level normal\n');
    expect(all).toContain(' aaa-authorization username callhome\n');
    expect(all).toContain(' profile "CiscoTAC-1"\n  no active\n');
  });

  it('replays into a fresh device to the same configuration', async () => {
    const h = await privileged();
    await h.transcript(blocks[4] ?? '');
    await h.ok(
      'configure terminal',
      'call-home',
      'rate-limit 33',
      'no alert-group diagnostic',
      'no syslog-throttling',
      'data-privacy hostname',
      'profile p3',
      'destination transport-method http',
      'no destination transport-method email',
      'destination address http https://127.0.0.1:8443/its/service/oddce/services/DDCEService',
      'destination preferred-msg-format long-text',
      'destination message-size-limit 5000',
      'subscribe-to-alert-group environment severity major',
      'subscribe-to-alert-group inventory periodic weekly monday 10:05',
      'subscribe-to-alert-group snapshot periodic interval 15',
      'subscribe-to-alert-group syslog severity minor pattern "LINK-3 UPDOWN"',
      'end',
    );
    const text = await h.out('show running-config');
    const replay = new Harness();
    await replay.enable();
    await replay.ok('configure terminal');
    const lines = text.slice(text.indexOf('!\nversion')).split('\n');
    for (const line of lines) {
      if (line.trim() === '' || line.trim() === 'end' || /^(!|version|service timestamps|platform|boot-|no aaa new-model|no ip http|login|license|redundancy|interface|ip|line| ip| negotiation| no mop| stopbits| login| transport)/.test(line)) continue;
      const o = await replay.out(line.trim());
      expect(o, line).toBe('');
    }
    expect(replay.device.running().callHome).toEqual(h.device.running().callHome);
  });
});
