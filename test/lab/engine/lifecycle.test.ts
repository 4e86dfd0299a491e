import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallHomeEngine } from '../../../src/lab/engine/engine.js';
import { eventRows, renderShowCallHomeEvents } from '../../../src/lab/show/xe-call-home.js';
import { parseShowCallHomeEvents } from '../../../src/ios/parsers/show-call-home-events.js';
import { configWith, httpProfile, makeHost, startHttpSink, type HttpSink } from './support.js';

let sink: HttpSink;
beforeAll(async () => {
  sink = await startHttpSink();
});
afterAll(async () => {
  await sink.close();
});

describe('engine lifecycle and robustness', () => {
  it('a failing capture becomes an attachment that says so; the message still goes', async () => {
    const host = makeHost(configWith([httpProfile('p', `${sink.url}?p=cap`)]));
    const engine = createCallHomeEngine({ ...host, capture: (cmd) => (cmd === 'show inventory' ? Promise.reject(new Error('session closed')) : host.capture(cmd)) });
    const from = sink.received.length;
    engine.test('p');
    await engine.idle();
    const [req] = sink.received.slice(from);
    expect(req?.body).toContain('<![CDATA[show inventory\n% Call Home could not collect this output: session closed]]>');
    expect(engine.statistics().sections.success.test?.http).toBe(1);
    await engine.close();
  });

  it('does not route its own CALL_HOME syslog lines (no feedback loop)', async () => {
    const engine = createCallHomeEngine(makeHost(configWith([httpProfile('all', sink.url, { subscriptions: { syslog: {} } })])));
    expect(engine.raise({ kind: 'syslog', facility: 'CALL_HOME', syslogLevel: 3, mnemonic: 'HTTP_REQUEST_FAILED', text: 'Call-Home HTTP request failed (ERR 0)' })).toEqual({ kind: 'queued', profiles: [] });
    expect(engine.raise({ kind: 'syslog', facility: 'SYS', syslogLevel: 3, mnemonic: 'X', text: 'y' })).toEqual({ kind: 'queued', profiles: ['all'] });
    await engine.close();
  });

  it('close drops the backlog, resolves idle and ignores later events', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host = makeHost(configWith([httpProfile('p', `${sink.url}?p=close`)]));
    const engine = createCallHomeEngine({
      ...host,
      capture: async (cmd) => {
        await gate;
        return `${cmd}\nR1#`;
      },
    });
    const from = sink.received.length;
    for (let i = 0; i < 5; i += 1) engine.test('p');
    expect(engine.statistics().sections.inQueue.test?.http).toBe(5);
    const idle = engine.idle();
    const closed = engine.close();
    release();
    await Promise.all([idle, closed]);
    expect(engine.raise({ kind: 'crash', eventName: 'TRACEBACK', description: 't' })).toEqual({ kind: 'queued', profiles: [] });
    expect(sink.received.slice(from).length).toBeLessThanOrEqual(1);
  });

  it('a diagnostic event carries the running hostname and the affected slot as an rme:Card', async () => {
    const host = makeHost(configWith([httpProfile('p', `${sink.url}?p=host`, { subscriptions: { diagnostic: { severity: 'minor' } } })]));
    const engine = createCallHomeEngine({ ...host, hostname: () => 'CORE-1' });
    const from = sink.received.length;
    expect(engine.raise({ kind: 'diagnostic', severity: 5, eventName: 'GOLD_FAIL', description: 'port loopback failed', slot: '0/1' })).toEqual({ kind: 'queued', profiles: ['p'] });
    await engine.idle();
    const [body] = sink.received.slice(from).map((r) => r.body);
    expect(body).toContain('<ch:Name>CORE-1</ch:Name>');
    expect(body).toContain('<rme:LocationWithinContainer>0/1</rme:LocationWithinContainer>');
    expect(body).toContain('<aml-block:Severity>5</aml-block:Severity>');
    await engine.close();
  });

  it('stamps the Last Triggered time of the subscription that fired, and only that one (show call-home events)', async () => {
    const config = configWith([httpProfile('p', `${sink.url}?p=events`, { subscriptions: { diagnostic: { severity: 'minor' }, crash: {} } })]);
    const host = makeHost(config);
    const engine = createCallHomeEngine(host);
    expect(engine.lastTriggered('p', 'diagnostic')).toBeUndefined();
    engine.raise({ kind: 'diagnostic', severity: 5, eventName: 'GOLD_FAIL', description: 'port loopback failed' });
    await engine.idle();
    const stamp = engine.lastTriggered('P', 'diagnostic');
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+00:00$/);
    const parsed = parseShowCallHomeEvents(renderShowCallHomeEvents(eventRows(config, (p, g) => engine.lastTriggered(p, g))));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const byGroup = new Map(parsed.value.events.map((e) => [e.alertGroup, e.lastTriggered]));
    expect(byGroup.get('diagnostic')).toBe(stamp);
    expect(byGroup.get('crash')).toBeNull();
    await engine.close();
  });
});
