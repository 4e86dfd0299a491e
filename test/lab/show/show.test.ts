import { describe, expect, it } from 'vitest';
import { ciscoTacProfile, defaultCallHomeConfig, newUserProfile, type CallHomeConfig, type Profile } from '../../../src/domain/callhome.js';
import type { CallHomeStatistics, StatsCell } from '../../../src/domain/statistics.js';
import { labIdentity } from '../../../src/lab/identity.js';
import {
  showCallHome,
  showCallHomeAlertGroup,
  showCallHomeDetail,
  showCallHomeMailServerStatus,
  showCallHomeProfile,
  showCallHomeStatistics,
  showClock,
  showInventory,
  showLogging,
  showPrivilege,
  showVersion,
  type DeviceView,
} from '../../../src/lab/show/index.js';
import { parseShowCallHome, parseShowCallHomeDetail } from '../../../src/ios/parsers/show-call-home.js';
import { parseShowCallHomeProfile } from '../../../src/ios/parsers/show-call-home-profile.js';
import { parseShowCallHomeStatistics } from '../../../src/ios/parsers/show-call-home-statistics.js';
import { parseShowCallHomeMailServerStatus } from '../../../src/ios/parsers/show-call-home-mail-server-status.js';
import { parseShowCallHomeAlertGroup } from '../../../src/ios/parsers/show-call-home-alert-group.js';

/** Whitespace-normalised lines: the guide's PDF lost the column padding. */
function norm(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '');
}

const campusNoc: Profile = {
  ...newUserProfile('campus-noc'),
  emailAddresses: ['noc@example.com'],
  subscriptions: { configuration: { severity: 'normal' }, crash: { severity: 'normal' }, inventory: {} },
  syslogPatterns: [{ pattern: '.*CALL_LOOP.*', severity: 'debugging' }],
};
const tac: Profile = {
  ...ciscoTacProfile('X'),
  subscriptions: {
    configuration: { periodic: { kind: 'monthly', date: 14, hh: 11, mm: 12 } },
    crash: { severity: 'normal' },
    inventory: { periodic: { kind: 'monthly', date: 14, hh: 10, mm: 57 } },
  },
};
const config: CallHomeConfig = {
  ...defaultCallHomeConfig('X'),
  serviceEnabled: true,
  senderFrom: 'router@example.com',
  senderReplyTo: 'support@example.com',
  contactEmail: 'technical@example.com',
  phoneNumber: '+1-408-555-1234',
  streetAddress: '1234 Picaboo Street, Any city, Any state, 12345',
  customerId: 'ExampleCorp',
  contractId: 'X123456789',
  siteId: 'SantaClara',
  sourceInterface: 'GigabitEthernet1',
  mailServers: [
    { host: '223.255.254.254', priority: 2 },
    { host: '192.168.2.1', priority: 1 },
  ],
  httpProxy: { host: '192.168.1.1', port: 80 },
  snapshotCommands: ['show version', 'show clock'],
  profiles: [campusNoc, tac],
};
const cell = (total: number, email: number, http: number): StatsCell => ({ total, email, http });
const statistics: CallHomeStatistics = {
  sections: { success: { config: cell(1, 1, 0), inventory: cell(2, 2, 0) }, inQueue: {}, failed: {}, ratelimitDropped: {} },
  lastSent: '2010-01-11 18:32:32 GMT+00:00',
};
const now = new Date(Date.UTC(2026, 10, 23, 10, 15, 30, 123));
const view: DeviceView = {
  identity: labIdentity(1),
  hostname: 'R1',
  config,
  statistics,
  now,
  uptimeSeconds: 2 * 3600 + 3 * 60 + 10,
  logLines: ['*Nov 23 10:00:00.000: %SYS-5-CONFIG_I: Configured from console by admin on vty0'],
  probeMailServers: async () => [
    { host: '223.255.254.254', priority: 2, available: true },
    { host: '192.168.2.1', priority: 1, available: false },
  ],
};

/** The guide samples are classic IOS output: the same device view on a classic IOS 15.x device. */
const guideView: DeviceView = { ...view, identity: labIdentity(1, '15.2(4)M11') };

describe('show call-home family against the guide samples (spec §3.5)', () => {
  it('profile NAME matches §3.5.6 word for word, name flush left and body indented', () => {
    const out = showCallHomeProfile(guideView, 'CAMPUS-noc');
    expect(norm(out)).toEqual(
      norm(`Profile Name: campus-noc
  Profile status: ACTIVE
  Preferred Message Format: xml
  Message Size Limit: 3145728 Bytes
  Transport Method: email
  Email address(es): noc@example.com
  HTTP address(es): Not yet set up
  Alert-group          Severity
  -----
  configuration        normal
  crash                normal
  inventory            normal
  Syslog-Pattern       Severity
  -----
  .*CALL_LOOP.*       debug`),
    );
    expect(out.split('\n')[1]).toMatch(/^ {2}Profile status/);
    expect(showCallHomeProfile(guideView, 'nope')).toMatch(/^% Profile nope does not exist/);
  });

  it('profile all matches §3.5.5 and parses back to the same profiles', () => {
    const out = showCallHomeProfile(guideView, 'all');
    expect(norm(out)).toEqual(
      norm(`Profile Name: campus-noc
Profile status: ACTIVE
Preferred Message Format: xml
Message Size Limit: 3145728 Bytes
Transport Method: email
Email address(es): noc@example.com
HTTP address(es): Not yet set up
Alert-group Severity
-----
configuration normal
crash normal
inventory normal
Syslog-Pattern Severity
-----
.*CALL_LOOP.* debug
Profile Name: CiscoTAC-1
Profile status: INACTIVE
Profile mode: Full Reporting
Preferred Message Format: xml
Message Size Limit: 3145728 Bytes
Transport Method: email
Email address(es): callhome@cisco.com
HTTP address(es): https://tools.cisco.com/its/service/oddce/services/DDCEService
Periodic configuration info message is scheduled every 14 day of the month at 11:12
Periodic inventory info message is scheduled every 14 day of the month at 10:57
Alert-group Severity
-----
crash normal
Syslog-Pattern Severity
-----
.*CALL_LOOP.* debug`),
    );
    const parsed = parseShowCallHomeProfile(out);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.profiles.map((p) => p.name)).toEqual(['campus-noc', 'CiscoTAC-1']);
      expect(parsed.value.profiles[1]?.subscriptions.inventory?.periodic).toEqual({ kind: 'monthly', date: 14, hh: 10, mm: 57 });
      expect(parsed.value.profiles[0]?.syslogPatterns).toEqual([{ pattern: '.*CALL_LOOP.*', severity: 'debugging' }]);
    }
  });

  it('detail has the sampled settings in the sampled order, then groups and indented profiles', () => {
    const out = showCallHomeDetail(guideView);
    const settings = norm(out).slice(0, norm(out).indexOf('Available alert groups:'));
    expect(settings).toEqual(
      norm(`Current call home settings:
  call home feature: enable
  call home message's from address: router@example.com
  call home message's reply-to address: support@example.com
  vrf for call-home messages: Not yet set up
  contact person's email address: technical@example.com
  contact person's phone number: +1-408-555-1234
  street address: 1234 Picaboo Street, Any city, Any state, 12345
  customer ID: ExampleCorp
  contract ID: X123456789
  site ID: SantaClara
  source ip address: Not yet set up
  source interface: GigabitEthernet1
  Mail-server[1]: Address: 192.168.2.1 Priority: 1
  Mail-server[2]: Address: 223.255.254.254 Priority: 2
  http proxy: 192.168.1.1:80
  aaa-authorization: disable
  aaa-authorization username: callhome (default)
  data-privacy: normal
  syslog throttling: enable
  Rate-limit: 20 message(s) per minute
  Snapshot command[0]: show version
  Snapshot command[1]: show clock`),
    );
    expect(out).toContain('\n  Profile Name: CiscoTAC-1\n  Profile status: INACTIVE\n');
    const parsed = parseShowCallHomeDetail(out);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(JSON.stringify(parsed.value)).toContain('GigabitEthernet1');
  });

  it('summary uses `feature : `, lists every group and names only', () => {
    const out = showCallHome({ ...guideView, config: { ...config, alertGroupEnabled: { ...config.alertGroupEnabled, snapshot: false } } });
    const n = norm(out);
    expect(n[0]).toBe('Current call home settings:');
    expect(n[1]).toBe('call home feature : enable');
    expect(n).toContain('Rate-limit: 20 message(s) per minute');
    expect(n).toContain('snapshot Disable snapshot info');
    expect(n).toContain('environment Enable environmental info');
    expect(n.slice(-3)).toEqual(['Profiles:', 'Profile Name: campus-noc', 'Profile Name: CiscoTAC-1']);
    expect(out).not.toContain('source interface');
    expect(parseShowCallHome(out).ok).toBe(true);
  });

  it('alert-group matches §3.5.3 and parses back', () => {
    const out = showCallHomeAlertGroup(guideView);
    expect(norm(out).slice(0, 3)).toEqual(['Available alert groups:', 'Keyword State Description', '-----']);
    expect(norm(out)).toContain('crash Enable crash and traceback info');
    expect(parseShowCallHomeAlertGroup(out).ok).toBe(true);
  });

  it('mail-server status prints the wait line first and probes in priority order (§3.5.4)', async () => {
    const printed: string[] = [];
    const probing = { ...guideView, probeMailServers: () => (printed.push('<probes>'), guideView.probeMailServers()) };
    const result = await showCallHomeMailServerStatus(probing, (t) => printed.push(t));
    expect(printed).toEqual(['Please wait. Checking for mail server status ...\n', '<probes>']);
    const out = printed[0] + result;
    expect(norm(out)).toEqual([
      'Please wait. Checking for mail server status ...',
      'Mail-server[1]: Address: 192.168.2.1 Priority: 1 [Not Available]',
      'Mail-server[2]: Address: 223.255.254.254 Priority: 2 [Available]',
    ]);
    expect(parseShowCallHomeMailServerStatus(out).ok).toBe(true);
  });

  it('statistics is the canonical §3.5.7 layout, totals add up and it parses back', () => {
    const out = showCallHomeStatistics(guideView);
    const n = norm(out);
    expect(n[0]).toBe('Message Types Total Email HTTP');
    expect(n[2]).toBe('Total Success 3 3 0');
    expect(n[3]).toBe('Config 1 1 0');
    expect(n).toContain('Total Ratelimit');
    expect(n).toContain('-dropped 0 0 0');
    expect(n.filter((l) => l.startsWith('Send-CLI'))).toHaveLength(4);
    expect(n.at(-1)).toBe('Last call-home message sent time: 2010-01-11 18:32:32 GMT+00:00');
    const parsed = parseShowCallHomeStatistics(out);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.sections.success.inventory).toEqual(cell(2, 2, 0));
      expect(parsed.value.lastSent).toBe('2010-01-11 18:32:32 GMT+00:00');
    }
    expect(showCallHomeStatistics({ ...view, statistics: { ...statistics, lastSent: null } })).toMatch(/sent time: n\/a\n$/);
  });
});

describe('system show commands', () => {
  it('show version carries the fields netmiko/textfsm templates read', () => {
    const out = showVersion(view);
    expect(out).toMatch(/^Cisco IOS XE Software, Version 17\.\d+\.\w+\n/);
    expect(out).toContain('\nR1 uptime is 2 hours, 3 minutes\n');
    expect(out).toContain(`\nProcessor board ID ${view.identity.serial}\n`);
    expect(out).toMatch(/\ncisco CSR1000V \(VXE\) processor .* bytes of memory\.\n/);
    expect(out).toContain('\nConfiguration register is 0x2102\n');
  });

  it('show inventory, clock, logging and privilege', () => {
    expect(showInventory(view)).toContain(`NAME: "Chassis", DESCR: "CSR1000v Cloud Services Router"\nPID: CSR1000V`);
    expect(showInventory(view)).toMatch(new RegExp(`VID: V00 *, SN: ${view.identity.serial}\\n`));
    expect(showClock(view)).toBe('*10:15:30.123 UTC Mon Nov 23 2026\n');
    expect(showLogging(view)).toContain('Buffer logging:  level debugging, 1 messages logged');
    expect(showLogging(view).trimEnd().endsWith('on vty0')).toBe(true);
    expect(showPrivilege(15)).toBe('Current privilege level is 15\n');
  });

  it('identities are deterministic, distinct and cycle through the model mix', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => labIdentity(i + 1));
    expect(new Set(ids.map((i) => i.serial)).size).toBe(1000);
    expect(ids.every((i) => i.serial.length === 11)).toBe(true);
    expect(labIdentity(7)).toEqual(ids[6]);
    expect(new Set(ids.slice(0, 4).map((i) => i.model))).toEqual(new Set(['CSR1000V', 'ISR4451-X/K9', 'C9300-48P', 'ASR1001-X']));
  });
});
