import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciscoTacProfile, type Profile } from '../../../src/domain/callhome.js';
import { createCallHomeEngine } from '../../../src/lab/engine/engine.js';
import { createManualScheduler } from '../../../src/lab/engine/scheduler.js';
import { anonymousId } from '../../../src/lab/engine/privacy.js';
import { TRUNCATION_MARK } from '../../../src/lab/engine/size-limit.js';
import type { LabEvent } from '../../../src/lab/types.js';
import { configWith, httpProfile, IDENTITY, makeHost, startHttpSink, type HttpSink } from './support.js';

let sink: HttpSink;
beforeAll(async () => {
  sink = await startHttpSink();
});
afterAll(async () => {
  await sink.close();
});

const FAST = { delivery: { httpRetryDelaysMs: [], httpTimeoutMs: 5_000 } };
const url = (name: string): string => `${sink.url}?p=${name}`;

/** Receives the bodies posted for one engine run, by profile. */
function postsFor(profile: string, from: number): string[] {
  return sink.received.slice(from).filter((r) => r.url.endsWith(`?p=${profile}`)).map((r) => r.body);
}

function matrixProfiles(): Profile[] {
  return [
    httpProfile('major-syslog', url('major-syslog'), { subscriptions: { syslog: { severity: 'major' } } }),
    httpProfile('inactive', url('inactive'), { active: false, subscriptions: { syslog: {}, environment: {} } }),
    httpProfile('env-minor', url('env-minor'), { subscriptions: { environment: { severity: 'minor' } } }),
    httpProfile('updown', url('updown'), { subscriptions: { syslog: { severity: 'debugging' } }, syslogPatterns: [{ pattern: '.*LINK-3-UPDOWN.*', severity: 'debugging' }] }),
    httpProfile('crash', url('crash'), { subscriptions: { crash: {}, inventory: {} } }),
  ];
}

const syslog = (level: number, facility: string, mnemonic: string, text = 'x'): LabEvent => ({ kind: 'syslog', syslogLevel: level, facility, mnemonic, text });

describe('event routing (C62)', () => {
  it.each<[string, LabEvent, string[]]>([
    ['syslog critical(2)=major passes major, not pattern', syslog(2, 'SYS', 'CPUHOG'), ['major-syslog']],
    ['syslog error(3)=minor is below major', syslog(3, 'SYS', 'MEMDUMP'), []],
    ['syslog matching the pattern at any level', syslog(3, 'LINK', 'UPDOWN', 'Interface Gi1, changed state to down'), ['updown']],
    ['syslog emergency(0)=fatal reaches major and pattern? no: pattern misses', syslog(0, 'SYS', 'FATAL'), ['major-syslog']],
    ['environment major passes minor threshold', { kind: 'environment', severity: 5, eventName: 'TEMP_HIGH', description: 'Inlet temp' }, ['env-minor']],
    ['environment warning is below minor', { kind: 'environment', severity: 3, eventName: 'TEMP_WARN', description: 'Inlet temp' }, []],
    ['crash goes to its subscriber', { kind: 'crash', eventName: 'TRACEBACK', description: 'traceback' }, ['crash']],
    ['inventory FRU insert', { kind: 'inventory', eventName: 'FRU_INSERT', description: 'NIM inserted' }, ['crash']],
    ['diagnostic has no subscriber', { kind: 'diagnostic', severity: 5, eventName: 'GOLD', description: 'd' }, []],
  ])('%s', async (_name, event, expected) => {
    const host = makeHost(configWith(matrixProfiles(), { syslogThrottling: false }));
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    const outcome = engine.raise(event);
    expect(outcome).toEqual({ kind: 'queued', profiles: expected });
    await engine.idle();
    for (const name of expected) expect(postsFor(name, from)).toHaveLength(1);
    expect(sink.received.length - from).toBe(expected.length);
    await engine.close();
  });

  it('sends nothing when the service or the alert group is disabled, or the contact e-mail is missing', async () => {
    const event = syslog(1, 'SYS', 'ALERT');
    for (const patch of [{ serviceEnabled: false }, { contactEmail: undefined }]) {
      const engine = createCallHomeEngine(makeHost(configWith(matrixProfiles(), patch)), FAST);
      expect(engine.raise(event)).toEqual({ kind: 'queued', profiles: [] });
      await engine.close();
    }
    const base = configWith(matrixProfiles());
    const engine = createCallHomeEngine(makeHost({ ...base, alertGroupEnabled: { ...base.alertGroupEnabled, syslog: false } }), FAST);
    expect(engine.raise(event)).toEqual({ kind: 'queued', profiles: [] });
    expect(engine.raise({ kind: 'crash', eventName: 'SYSTEM_CRASH', description: 'c' })).toEqual({ kind: 'queued', profiles: ['crash'] });
    await engine.close();
  });

  it('the syslog message carries the IOS line, ch = 7 − syslog severity and the show logging attachment', async () => {
    const host = makeHost(configWith(matrixProfiles()), { now: () => new Date(1370401896041) });
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    engine.raise(syslog(1, 'CLEAR', 'COUNTERS', 'Clear counter on all interfaces by console'));
    await engine.idle();
    const [body] = postsFor('major-syslog', from);
    expect(body).toContain('<ch:MessageDescription>*Jun  5 03:11:36.041: %CLEAR-1-COUNTERS: Clear counter on all interfaces by console</ch:MessageDescription>');
    expect(body).toContain('<aml-block:Severity>6</aml-block:Severity>');
    expect(body).toContain('<aml-session:MessageId>M1:9S1NMSF22DW:51AEAC68</aml-session:MessageId>');
    expect(body).toContain('<aml-block:GroupId>G1:9S1NMSF22DW:51AEAC68</aml-block:GroupId>');
    expect(body).toContain(`<aml-session:To>${url('major-syslog').replace(/&/g, '&amp;')}</aml-session:To>`);
    expect(body).toContain('<aml-block:Name>show logging</aml-block:Name>');
    expect(body).toContain('<![CDATA[show logging\n');
    expect(host.captured).toEqual(['show logging']);
    await engine.close();
  });
});

describe('syslog throttling (C67)', () => {
  it('suppresses an identical syslog alert within the window and lets it through after', async () => {
    const sched = createManualScheduler(Date.UTC(2026, 10, 23, 12));
    const host = makeHost(configWith(matrixProfiles()), { now: () => new Date(sched.now()) });
    const engine = createCallHomeEngine(host, { ...FAST, scheduler: sched });
    const event = syslog(1, 'SYS', 'REPEAT', 'same text');
    expect(engine.raise(event).kind === 'queued' && engine.raise(event)).toEqual({ kind: 'queued', profiles: [] });
    expect(engine.raise(syslog(1, 'SYS', 'REPEAT', 'other text'))).toEqual({ kind: 'queued', profiles: ['major-syslog'] });
    sched.advance(60 * 60_000);
    expect(engine.raise(event)).toEqual({ kind: 'queued', profiles: ['major-syslog'] });
    await engine.close();
  });
});

describe('manual sends and targeting (C45–C51)', () => {
  const profiles = (): Profile[] => [
    httpProfile('subscribed', url('subscribed'), { subscriptions: { configuration: { periodic: { kind: 'daily', hh: 1, mm: 0 } } } }),
    httpProfile('sleeping', url('sleeping'), { active: false, subscriptions: { configuration: {} } }),
    httpProfile('other', url('other')),
  ];

  it('without a profile: active subscribed profiles; with one: that profile whatever its state', async () => {
    const engine = createCallHomeEngine(makeHost(configWith(profiles())), FAST);
    expect(engine.sendAlertGroup('configuration', {})).toEqual({ kind: 'queued', profiles: ['subscribed'] });
    expect(engine.sendAlertGroup('configuration', { profile: 'SLEEPING' })).toEqual({ kind: 'queued', profiles: ['sleeping'] });
    expect(engine.sendAlertGroup('inventory', { profile: 'other' })).toEqual({ kind: 'queued', profiles: ['other'] });
    expect(engine.sendAlertGroup('inventory', { profile: 'nope' })).toEqual({ kind: 'rejected', message: '% Profile nope does not exist' });
    await engine.idle();
    const stats = engine.statistics();
    expect(stats.sections.success.config).toEqual({ total: 2, email: 0, http: 2 });
    expect(stats.sections.success.inventory).toEqual({ total: 1, email: 0, http: 1 });
    expect(stats.sections.success.total).toEqual({ total: 3, email: 0, http: 3 });
    await engine.close();
  });

  it('rejects sends while the service is off or the contact e-mail is missing', async () => {
    const off = createCallHomeEngine(makeHost(configWith(profiles(), { serviceEnabled: false })), FAST);
    expect(off.test('other')).toMatchObject({ kind: 'rejected', message: expect.stringContaining('service call-home') });
    const noContact = createCallHomeEngine(makeHost(configWith(profiles(), { contactEmail: undefined })), FAST);
    expect(noContact.sendAlertGroup('configuration', { profile: 'other' })).toMatchObject({ kind: 'rejected', message: expect.stringContaining('contact-email-addr') });
    await off.close();
    await noContact.close();
  });

  it('test sends the default or given text with show version and show inventory', async () => {
    const host = makeHost(configWith(profiles()));
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    expect(engine.test('other', 'hello from the lab')).toEqual({ kind: 'queued', profiles: ['other'] });
    expect(engine.test('other')).toEqual({ kind: 'queued', profiles: ['other'] });
    await engine.idle();
    const bodies = postsFor('other', from);
    expect(bodies[0]).toContain('<ch:MessageDescription>hello from the lab</ch:MessageDescription>');
    expect(bodies[1]).toContain('<ch:MessageDescription>test message.</ch:MessageDescription>');
    expect(bodies[0]).toContain('<ch:Type>test</ch:Type>');
    expect(bodies[0]).toContain('<ch:SubType>test</ch:SubType>');
    expect(host.captured).toEqual(['show version', 'show inventory', 'show version', 'show inventory']);
    expect(engine.statistics().sections.success.test?.http).toBe(2);
    await engine.close();
  });

  it('request defaults to an inactive CiscoTAC-1 and carries the kind and CCO ID', async () => {
    const tac = { ...ciscoTacProfile(IDENTITY.serial), transportEmail: false, transportHttp: true, httpUrls: [url('tac')] };
    const base = configWith([]);
    const host = makeHost({ ...base, profiles: [tac] });
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    expect(engine.request('product-advisory', { ccoid: 'jdoe' })).toEqual({ kind: 'queued', profiles: ['CiscoTAC-1'] });
    await engine.idle();
    const [body] = postsFor('tac', from);
    expect(body).toContain('<ch:SubType>product-advisory</ch:SubType>');
    expect(body).toContain('<ch:CCOID>jdoe</ch:CCOID>');
    expect(host.captured).toContain('show license all');
    expect(host.captured).toContain('show running-config all');
    expect(engine.statistics().sections.success.request?.total).toBe(1);
    await engine.close();
  });
});

describe('anonymous mode (C69)', () => {
  it('sends only crash, inventory and test, with every identifying field blanked', async () => {
    const tac: Profile = { ...ciscoTacProfile(IDENTITY.serial), active: true, mode: 'anonymous', transportEmail: false, transportHttp: true, httpUrls: [url('anon')], subscriptions: { crash: {}, inventory: {}, syslog: {}, configuration: {} } };
    const host = makeHost(configWith([], { profiles: [tac], customerId: 'ACME', siteId: 'HQ', phoneNumber: '+1-555' }));
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    expect(engine.raise(syslog(0, 'SYS', 'BAD'))).toEqual({ kind: 'queued', profiles: [] });
    expect(engine.sendAlertGroup('configuration', { profile: 'CiscoTAC-1' })).toMatchObject({ kind: 'rejected' });
    expect(engine.raise({ kind: 'crash', eventName: 'SYSTEM_CRASH', description: 'R1 crashed' })).toEqual({ kind: 'queued', profiles: ['CiscoTAC-1'] });
    expect(engine.reportingEnabled('anonymous')).toEqual({ kind: 'queued', profiles: ['CiscoTAC-1'] });
    await engine.idle();
    const bodies = postsFor('anon', from);
    expect(bodies).toHaveLength(2);
    const anon = anonymousId(IDENTITY.serial);
    expect(anon).toMatch(/^ANON[0-9A-F]{12}$/);
    for (const body of bodies) {
      expect(XMLValidator.validate(body)).toBe(true);
      expect(body).not.toContain(IDENTITY.serial);
      expect(body).not.toContain('noc@example.com');
      expect(body).not.toContain('ACME');
      expect(body).not.toMatch(/\bR1\b/);
      expect(body).toMatch(new RegExp(`<aml-session:MessageId>M\\d+:${anon}:[0-9A-F]+</aml-session:MessageId>`));
      expect(body).toContain('<ch:Name></ch:Name>');
      expect(body).toContain('<ch:Email></ch:Email>');
      expect(body).toContain(`<rme:SerialNumber>${anon}</rme:SerialNumber>`);
      expect(body).toContain(`<ch:DeviceId>CSR1000V@C@${anon}</ch:DeviceId>`);
      expect(body).toContain('<rme:Model>CSR1000V</rme:Model>');
    }
    expect(bodies[0]).toContain('<ch:MessageDescription>&lt;removed&gt; crashed</ch:MessageDescription>');
    await engine.close();
  });
});

describe('data privacy (C68)', () => {
  async function configAttachment(patch: { dataPrivacyLevel: 'normal' | 'high'; dataPrivacyHostname: boolean }): Promise<string> {
    const engine = createCallHomeEngine(makeHost(configWith([httpProfile('cfg', url('cfg'))], patch)), FAST);
    const from = sink.received.length;
    engine.sendAlertGroup('configuration', { profile: 'cfg' });
    await engine.idle();
    await engine.close();
    return postsFor('cfg', from)[0] ?? '';
  }

  it('normal scrubs credentials and communities in the configuration attachments only', async () => {
    const body = await configAttachment({ dataPrivacyLevel: 'normal', dataPrivacyHostname: false });
    expect(body).toContain('enable secret 9 <removed>');
    expect(body).toContain('username admin privilege 15 password 0 <removed>');
    expect(body).toContain('snmp-server community <removed> RO');
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('adminpass');
    expect(body).toContain(' ip address 10.1.1.1 255.255.255.0');
    expect(body).toContain('hostname R1');
    expect(body).toContain('<ch:Name>R1</ch:Name>');
  });

  it('high also removes addresses and the domain name; hostname removes the name', async () => {
    const body = await configAttachment({ dataPrivacyLevel: 'high', dataPrivacyHostname: true });
    expect(body).toContain(' ip address <removed> <removed>');
    expect(body).toContain('ip domain name <removed>');
    expect(body).not.toContain('10.1.1.1');
    expect(body).toContain('hostname <removed>');
    expect(body).toContain('<ch:Name></ch:Name>');
    // show version is not a configuration attachment.
    expect(body).toContain(`output of show version\nProcessor board ID ${IDENTITY.serial}\nR1#`);
  });
});

describe('rate limit (C70)', () => {
  it('drops messages over N per minute and counts them as Ratelimit-dropped', async () => {
    const sched = createManualScheduler(Date.UTC(2026, 10, 23, 12));
    const host = makeHost(configWith([httpProfile('rl', url('rl'))], { rateLimit: 3 }), { now: () => new Date(sched.now()) });
    const engine = createCallHomeEngine(host, { ...FAST, scheduler: sched });
    const outcomes = Array.from({ length: 5 }, () => engine.test('rl'));
    expect(outcomes.map((o) => (o.kind === 'queued' ? o.profiles.length : -1))).toEqual([1, 1, 1, 0, 0]);
    sched.advance(60_000);
    expect(engine.test('rl')).toEqual({ kind: 'queued', profiles: ['rl'] });
    await engine.idle();
    const s = engine.statistics();
    expect(s.sections.success.test).toEqual({ total: 4, email: 0, http: 4 });
    expect(s.sections.ratelimitDropped.test).toEqual({ total: 2, email: 0, http: 2 });
    expect(s.sections.ratelimitDropped.total).toEqual({ total: 2, email: 0, http: 2 });
    expect(s.sections.inQueue.total).toEqual({ total: 0, email: 0, http: 0 });
    expect(s.sections.failed.total).toEqual({ total: 0, email: 0, http: 0 });
    await engine.close();
  });
});

describe('message-size limit (C71)', () => {
  it('cuts attachment data to fit and marks the cut', async () => {
    const engine = createCallHomeEngine(makeHost(configWith([httpProfile('small', url('small'), { messageSizeLimit: 4_500 })])), FAST);
    const from = sink.received.length;
    engine.sendAlertGroup('configuration', { profile: 'small' });
    await engine.idle();
    const [body = ''] = postsFor('small', from);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4_500);
    expect(Buffer.byteLength(body)).toBeGreaterThan(4_400);
    expect(body).toContain(TRUNCATION_MARK);
    expect(XMLValidator.validate(body)).toBe(true);
    expect(engine.statistics().sections.success.config?.http).toBe(1);
    await engine.close();
  });

  it('fails a message whose mandatory fields alone exceed the limit', async () => {
    const host = makeHost(configWith([httpProfile('tiny', url('tiny'), { messageSizeLimit: 50 })]));
    const engine = createCallHomeEngine(host, FAST);
    const from = sink.received.length;
    engine.test('tiny');
    await engine.idle();
    expect(postsFor('tiny', from)).toHaveLength(0);
    expect(engine.statistics().sections.failed.test?.http).toBe(1);
    expect(host.logs.some((l) => l.startsWith('%CALL_HOME-3-MESSAGE_SIZE_OVER_LIMIT: Message for profile tiny'))).toBe(true);
    await engine.close();
  });
});
