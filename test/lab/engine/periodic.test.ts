import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Periodic } from '../../../src/domain/callhome.js';
import { createCallHomeEngine } from '../../../src/lab/engine/engine.js';
import { nextOccurrence } from '../../../src/lab/engine/periodic.js';
import { createManualScheduler, createTimerScheduler } from '../../../src/lab/engine/scheduler.js';
import { configWith, httpProfile, makeHost, startHttpSink, type HttpSink } from './support.js';

const at = (iso: string): Date => new Date(`${iso}Z`);
const iso = (d: Date): string => d.toISOString().slice(0, 16);

describe('nextOccurrence on the device clock (C66)', () => {
  it.each<[string, Periodic, string, string]>([
    ['daily later today', { kind: 'daily', hh: 10, mm: 30 }, '2026-11-23T09:00', '2026-11-23T10:30'],
    ['daily at the same minute moves to tomorrow', { kind: 'daily', hh: 10, mm: 30 }, '2026-11-23T10:30', '2026-11-24T10:30'],
    ['weekly (Monday 2026-11-23) to Friday', { kind: 'weekly', day: 'friday', hh: 8, mm: 0 }, '2026-11-23T09:00', '2026-11-27T08:00'],
    ['weekly same day, time passed', { kind: 'weekly', day: 'monday', hh: 8, mm: 0 }, '2026-11-23T09:00', '2026-11-30T08:00'],
    ['weekly Sunday', { kind: 'weekly', day: 'sunday', hh: 23, mm: 59 }, '2026-11-23T09:00', '2026-11-29T23:59'],
    ['monthly this month', { kind: 'monthly', date: 28, hh: 1, mm: 5 }, '2026-11-23T09:00', '2026-11-28T01:05'],
    ['monthly next month', { kind: 'monthly', date: 5, hh: 1, mm: 5 }, '2026-11-23T09:00', '2026-12-05T01:05'],
    ['monthly 31 in February clamps to the last day', { kind: 'monthly', date: 31, hh: 0, mm: 0 }, '2027-02-01T00:00', '2027-02-28T00:00'],
    ['monthly across the year end', { kind: 'monthly', date: 1, hh: 0, mm: 0 }, '2026-12-15T00:00', '2027-01-01T00:00'],
    ['hourly', { kind: 'hourly', mm: 15 }, '2026-11-23T09:20', '2026-11-23T10:15'],
    ['interval aligned to the clock', { kind: 'interval', minutes: 15 }, '2026-11-23T09:20', '2026-11-23T09:30'],
  ])('%s', (_name, periodic, now, expected) => {
    expect(iso(nextOccurrence(periodic, at(now)))).toBe(expected);
  });
});

describe('periodic messages', () => {
  let sink: HttpSink;
  beforeAll(async () => {
    sink = await startHttpSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('sends the subscribed group on schedule and stops after the subscription is removed', async () => {
    const sched = createManualScheduler(at('2026-11-23T09:00').getTime());
    const profile = httpProfile('daily', `${sink.url}?p=daily`, {
      subscriptions: { inventory: { periodic: { kind: 'daily', hh: 10, mm: 30 } }, snapshot: { periodic: { kind: 'interval', minutes: 60 } } },
    });
    const host = makeHost(configWith([profile], { snapshotCommands: ['show clock'] }), { now: () => new Date(sched.now()) });
    const engine = createCallHomeEngine(host, { scheduler: sched, delivery: { httpRetryDelaysMs: [] } });
    const from = sink.received.length;
    const posts = (): string[] => sink.received.slice(from).map((r) => r.body);

    sched.advance(59 * 60_000); // 09:59: nothing yet
    expect(posts()).toHaveLength(0);
    sched.advance(60_000); // 10:00: snapshot
    await engine.idle();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]).toContain('<ch:Type>snapshot</ch:Type>');
    expect(posts()[0]).toContain('<aml-block:Name>show clock</aml-block:Name>');

    sched.advance(30 * 60_000); // 10:30: inventory
    await engine.idle();
    expect(posts()).toHaveLength(2);
    expect(posts()[1]).toContain('<ch:Type>inventory</ch:Type>');
    expect(posts()[1]).toContain('<ch:SubType>full</ch:SubType>');
    expect(posts()[1]).toContain('<aml-block:CreationDate>2026-11-23 10:30:00 GMT+00:00</aml-block:CreationDate>');

    sched.advance(24 * 60 * 60_000); // next day 10:30: 24 snapshots + 1 inventory; rate limit 20/min does not bite across hours
    await engine.idle();
    expect(posts().filter((b) => b.includes('<ch:Type>inventory</ch:Type>'))).toHaveLength(2);
    expect(posts().filter((b) => b.includes('<ch:Type>snapshot</ch:Type>'))).toHaveLength(25);

    host.setConfig(configWith([{ ...profile, subscriptions: {} }]));
    engine.configChanged();
    sched.advance(7 * 24 * 60 * 60_000);
    await engine.idle();
    expect(posts()).toHaveLength(27);
    expect(engine.statistics().sections.success.inventory?.http).toBe(2);
    expect(engine.statistics().sections.success.snapshot?.http).toBe(25);
    await engine.close();
  });

  it('schedules nothing while the service is off, and starts when configChanged says so', async () => {
    const sched = createManualScheduler(at('2026-11-23T09:00').getTime());
    const profile = httpProfile('weekly', `${sink.url}?p=weekly`, { subscriptions: { configuration: { periodic: { kind: 'weekly', day: 'tuesday', hh: 0, mm: 0 } } } });
    const host = makeHost(configWith([profile], { serviceEnabled: false }), { now: () => new Date(sched.now()) });
    const engine = createCallHomeEngine(host, { scheduler: sched });
    expect(sched.pending()).toBe(0);
    host.setConfig(configWith([profile]));
    engine.configChanged();
    expect(sched.pending()).toBe(1);
    const from = sink.received.length;
    sched.advance(15 * 60 * 60_000); // Tuesday 00:00
    await engine.idle();
    expect(sink.received.slice(from).map((r) => r.url)).toEqual(['/its/service/oddce/services/DDCEService?p=weekly']);
    await engine.close();
  });

  it('1,000 engines share one scheduler: one heap entry per subscription, no interval per device', async () => {
    const sched = createManualScheduler(at('2026-11-23T09:00').getTime());
    const profile = httpProfile('m', 'http://127.0.0.1:9/x', { subscriptions: { inventory: { periodic: { kind: 'monthly', date: 1, hh: 0, mm: 0 } } } });
    const engines = Array.from({ length: 1_000 }, () => createCallHomeEngine(makeHost(configWith([profile]), { now: () => new Date(sched.now()) }), { scheduler: sched }));
    expect(sched.pending()).toBe(1_000);
    await Promise.all(engines.map((e) => e.close()));
  });

  it('the timer scheduler runs tasks in time order on one timer', async () => {
    const scheduler = createTimerScheduler();
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.after(30, () => {
        order.push('late');
        resolve();
      });
      const cancel = scheduler.after(10, () => order.push('cancelled'));
      scheduler.after(5, () => order.push('early'));
      cancel();
    });
    expect(order).toEqual(['early', 'late']);
  });
});
