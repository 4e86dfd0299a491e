import { describe, expect, it } from 'vitest';
import { createConsoleReducer, initialConsoleState } from '../../src/console/reducer.js';
import { fleetTotals } from '../../src/console/selectors.js';
import { createConsoleStore } from '../../src/console/store.js';
import { fitColumns, messageColumns } from '../../src/console/columns.js';
import { parseFilter, formatFilter, matchesFilter, resolveDevice, resolveTypePrefix } from '../../src/console/filter.js';
import { formatTime } from '../../src/console/time-style.js';
import { terminalSafe, terminalSafeLines } from '../../src/util/terminal-text.js';
import type { ConsoleAction, ConsoleState } from '../../src/console/types.js';
import { received, summary } from './fixtures.js';

const reduce = createConsoleReducer({ messages: 5, cases: 3, notifications: 3 });
const run = (actions: ConsoleAction[], s: ConsoleState = initialConsoleState()) => actions.reduce(reduce, s);

describe('console reducer', () => {
  it('prepends live messages newest first and folds duplicates by seq', () => {
    const s = run([
      { type: 'backend/events', events: [received(1), received(2)] },
      { type: 'backend/events', events: [received(2), received(1), received(3)] },
    ]);
    expect(s.messages.items.map((m) => m.id)).toEqual([3, 2, 1]);
    expect(s.lastSeq).toBe(3);
    expect(s.received).toBe(3);
    expect(s.devices['FOX1']?.lastMessageAt).toBe(summary(3).receivedAt);
  });

  it('keeps at most the configured number of messages and continues older pages before the oldest kept', () => {
    const events = Array.from({ length: 8 }, (_, i) => received(i + 1));
    const s = run([{ type: 'backend/events', events }]);
    expect(s.messages.items.map((m) => m.id)).toEqual([8, 7, 6, 5, 4]);
    expect(s.messages.older).toEqual({ kind: 'before', receivedAt: summary(4).receivedAt, id: 4 });
  });

  it('applies the filter to live events and to nothing else', () => {
    const s = run([
      { type: 'ui/filter', filter: parseFilter('device:R2 sev:6') },
      { type: 'backend/events', events: [received(1, summary(1, { hostname: 'R2', severity: 7 })), received(2, summary(2, { hostname: 'R2', severity: 3 })), received(3)] },
    ]);
    expect(s.messages.items.map((m) => m.id)).toEqual([1]);
    expect(s.severityCounts[3]).toBe(1);
    expect(s.received).toBe(3);
  });

  it('appends older pages, trimming the newest end when over capacity, and keeps the selection on its row', () => {
    let s = run([{ type: 'api/messages', mode: 'replace', messages: [summary(10), summary(9), summary(8)], next: 'c1' }]);
    expect(s.messages.older).toEqual({ kind: 'cursor', cursor: 'c1' });
    s = run([{ type: 'ui/screen', screen: 'messages' }, { type: 'ui/move', delta: 2, length: 3 }, { type: 'api/messages-loading' }], s);
    expect(s.messages.loadingOlder).toBe(true);
    s = run([{ type: 'api/messages', mode: 'older', messages: [summary(7), summary(6), summary(5)], next: null }], s);
    expect(s.messages.items.map((m) => m.id)).toEqual([9, 8, 7, 6, 5]);
    expect(s.messages.newerTrimmed).toBe(true);
    expect(s.messages.older).toEqual({ kind: 'end' });
    expect(s.messages.items[s.cursor.messages]?.id).toBe(8);
    // while scrolled into the past, live messages are counted, not inserted
    s = run([{ type: 'backend/events', events: [received(11, summary(11))] }], s);
    expect(s.messages.unseenNewer).toBe(1);
    expect(s.messages.items[0]?.id).toBe(9);
  });

  it('keeps a selected row on the same message when live ones arrive above it', () => {
    let s = run([{ type: 'ui/screen', screen: 'messages' }, { type: 'backend/events', events: [received(1), received(2), received(3)] }]);
    s = run([{ type: 'ui/move', delta: 1, length: 3 }], s);
    expect(s.messages.items[s.cursor.messages]?.id).toBe(2);
    s = run([{ type: 'backend/events', events: [received(4)] }], s);
    expect(s.messages.items[s.cursor.messages]?.id).toBe(2);
  });

  it('tracks registration, listeners, cases and notifications from events', () => {
    const s = run([
      { type: 'backend/events', events: [
        { seq: 1, at: '2026-11-23T12:00:00Z', type: 'registration.changed', serial: 'FOX1', hostname: 'R1', from: null, to: 'pending', trialEndsAt: null },
        { seq: 2, at: '2026-11-23T12:00:01Z', type: 'registration.changed', serial: 'FOX1', hostname: 'R1', from: 'pending', to: 'trial', trialEndsAt: '2026-12-23T12:00:00Z' },
        { seq: 3, at: '2026-11-23T12:00:02Z', type: 'listener.status', listener: 'smtp', state: 'listening', port: 2525, error: null },
        { seq: 4, at: '2026-11-23T12:00:03Z', type: 'case.opened', case: { id: 1, number: 'SR1', serial: 'FOX1', hostname: 'R1', status: 'open', priority: 2, title: 'crash', openedAt: 'x', updatedAt: 'x' } },
        { seq: 5, at: '2026-11-23T12:00:04Z', type: 'case.updated', case: { id: 1, number: 'SR1', serial: 'FOX1', hostname: 'R1', status: 'updated', priority: 2, title: 'crash', openedAt: 'x', updatedAt: 'y' } },
        { seq: 6, at: '2026-11-23T12:00:05Z', type: 'notification.sent', notification: { id: 1, kind: 'case', serial: 'FOX1', to: ['noc@x'], subject: 's', sentAt: 'x', delivered: true } },
      ] },
    ]);
    expect(s.devices['FOX1']).toMatchObject({ registration: 'trial', trialEndsAt: '2026-12-23T12:00:00Z' });
    expect(s.listeners.smtp).toEqual({ state: 'listening', port: 2525, error: null });
    expect(s.cases).toHaveLength(1);
    expect(s.cases[0]?.status).toBe('updated');
    expect(s.notifications).toHaveLength(1);
  });

  it('counts a host whose session was closed as down, like one never reached; a device that answered with an error stays up', () => {
    const hosts = ['r1', 'r2', 'r3', 'r4'];
    const result = (host: string, kind: 'session-closed' | 'unreachable' | 'cli' | null) => ({
      type: 'fleet/result' as const,
      op: 'stats' as const,
      result: { host, ok: kind === null, changed: false, commands: [], data: null, error: kind === null ? null : { kind, message: kind } },
    });
    const s = run([
      { type: 'fleet/hosts', hosts: hosts.map((name, i) => ({ name, address: `127.0.0.1:${i + 1}`, serial: null, hostname: name.toUpperCase() })) },
      { type: 'fleet/started', op: 'stats', hosts },
      result('r1', null),
      result('r2', 'session-closed'),
      result('r3', 'unreachable'),
      result('r4', 'cli'),
    ]);
    expect(s.fleet.map((h) => [h.name, h.reachable])).toEqual([['r1', true], ['r2', false], ['r3', false], ['r4', true]]);
    expect(fleetTotals(s)).toMatchObject({ hosts: 4, up: 2, down: 2, unknown: 0 });
  });

  it('records fleet results, reachability and the selection', () => {
    let s = run([
      { type: 'fleet/hosts', hosts: [{ name: 'r1', address: '127.0.0.1:1', serial: null, hostname: 'R1' }, { name: 'r2', address: '127.0.0.1:2', serial: null, hostname: 'R2' }] },
      { type: 'fleet/started', op: 'stats', hosts: ['r1', 'r2'] },
    ]);
    expect(s.fleet.map((h) => h.running)).toEqual(['stats', 'stats']);
    s = run([
      { type: 'fleet/result', op: 'stats', result: { host: 'r1', ok: true, changed: false, commands: [], data: {}, error: null } },
      { type: 'fleet/result', op: 'stats', result: { host: 'r2', ok: false, changed: false, commands: [], data: null, error: { kind: 'unreachable', message: 'ECONNREFUSED' } } },
      { type: 'ui/toggle-host', host: 'r2' },
    ], s);
    expect(s.fleet.map((h) => [h.running, h.reachable])).toEqual([[null, true], [null, false]]);
    expect(s.selectedHosts).toEqual(['r2']);
    s = run([{ type: 'ui/toggle-host', host: 'r2' }], s);
    expect(s.selectedHosts).toEqual([]);
  });

  it('only opens the detail it is waiting for', () => {
    const detail = { summary: summary(5), fields: {}, attachments: [], results: {}, raw: '<x/>' };
    let s = run([{ type: 'ui/open-detail', key: 'message:4' }, { type: 'api/detail', key: 'message:5', doc: { kind: 'message', detail } }]);
    expect(s.detail.kind).toBe('loading');
    s = run([{ type: 'ui/open-detail', key: 'message:5' }, { type: 'api/detail', key: 'message:5', doc: { kind: 'message', detail } }, { type: 'ui/scroll-detail', delta: 3 }], s);
    expect(s.detail).toMatchObject({ kind: 'open', scroll: 3 });
  });
});

describe('filter', () => {
  it('round-trips and matches', () => {
    const f = parseFilter('dev:R1 type:crash sev:7 kernel panic');
    expect(formatFilter(f)).toBe('device:R1 type:crash sev:7 kernel panic');
    expect(matchesFilter(summary(1, { type: 'crash', alertGroup: 'crash', severity: 8, description: 'Kernel Panic at 0x1' }), f)).toBe(true);
    expect(matchesFilter(summary(1, { type: 'crash', severity: 6, description: 'kernel panic' }), f)).toBe(false);
    expect(parseFilter('sev:x').text).toBe('sev:x');
  });
});

describe('console store', () => {
  it('publishes batched snapshots', async () => {
    const store = createConsoleStore({ batchMs: 20 });
    let notified = 0;
    store.subscribe(() => notified++);
    for (let i = 1; i <= 100; i++) store.dispatch({ type: 'backend/events', events: [received(i)] });
    expect(store.getSnapshot().lastSeq).toBe(0);
    expect(store.getState().lastSeq).toBe(100);
    await new Promise<void>((resolve) => store.subscribe(resolve));
    expect(notified).toBe(1);
    expect(store.getSnapshot().lastSeq).toBe(100);
    store.dispose();
  });
});

describe('filter words', () => {
  it('reads severities by name or number, and above unless =, type prefixes and devices in any case', () => {
    expect(parseFilter('sev:major')).toMatchObject({ severity: 5 });
    expect(parseFilter('sev:=4')).toMatchObject({ severity: 4, severityExact: true });
    expect(parseFilter('severity:=minor')).toMatchObject({ severity: 4, severityExact: true });
    expect(formatFilter(parseFilter('sev:=4'))).toBe('sev:=4');
    const exact = parseFilter('sev:=4');
    expect(matchesFilter(summary(1, { severity: 4 }), exact)).toBe(true);
    expect(matchesFilter(summary(1, { severity: 5 }), exact)).toBe(false);
    expect(matchesFilter(summary(1, { severity: 5 }), parseFilter('sev:4'))).toBe(true);
    expect(matchesFilter(summary(1, { type: 'syslog', alertGroup: 'syslog' }), parseFilter('type:SYS'))).toBe(true);
    expect(matchesFilter(summary(1, { type: 'inventory', alertGroup: 'inventory' }), parseFilter('type:sys'))).toBe(false);
    expect(matchesFilter(summary(1, { hostname: 'R1' }), parseFilter('device:r1'))).toBe(true);
    expect(resolveTypePrefix('sys')).toBe('syslog');
    expect(resolveTypePrefix('c')).toBeUndefined();
    expect(resolveDevice('r1', { FOX1: { serial: 'FOX1', hostname: 'R1', model: '', registration: 'pending', trialEndsAt: null, lastMessageAt: null } })).toBe('FOX1');
  });
});

describe('columns and time style', () => {
  it('fits the message columns in 80 characters without dropping one, and gives extra room to the description', () => {
    const specs = messageColumns('utc');
    const at80 = fitColumns(specs, 80);
    expect(at80).toHaveLength(specs.length);
    expect(at80.reduce((a, b) => a + b, 0) + 2 + specs.length - 1).toBeLessThanOrEqual(80);
    const at160 = fitColumns(specs, 160);
    const desc = specs.findIndex((c) => c.header === 'Description');
    expect(at160[desc]).toBeGreaterThan(specs[desc]?.width ?? 0);
    expect(at160.reduce((a, b) => a + b, 0) + 2 + specs.length - 1).toBe(160);
  });

  it('writes one timestamp style with its zone', () => {
    expect(formatTime('2026-12-06T09:21:20.123Z', 'utc')).toBe('2026-12-06 09:21:20Z');
    expect(formatTime('2026-12-06T09:21:20.123Z', 'local')).toMatch(/^2026-12-0\d \d\d:\d\d:20[+-]\d\d:\d\d$/);
    expect(formatTime(null, 'utc')).toBe('-');
  });

  it('escapes control characters of device text for a terminal', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007\u009b\u202e\n')).toBe('a\\e[2Jb\\x07\\x9b\\u202e\\n');
    expect(terminalSafeLines('x\r\ny\u001b')).toBe('x\ny\\e');
  });

  it('a device snapshot read before live events does not drop a device those events brought, nor its newer last message', () => {
    const live = run([{ type: 'backend/events', events: [received(1)] }]);
    const seen = live.devices['FOX1'];
    expect(seen).toBeDefined();
    const older = { serial: 'FOX1', hostname: 'R1', model: 'ISR4451', registration: 'pending' as const, trialEndsAt: null, lastMessageAt: '2000-01-01T00:00:00.000Z' };
    const other = { serial: 'FOX9', hostname: 'R9', model: 'ISR4451', registration: 'registered' as const, trialEndsAt: null, lastMessageAt: null };
    const stale = run([{ type: 'api/devices', devices: [other] }], live);
    expect(Object.keys(stale.devices).sort()).toEqual(['FOX1', 'FOX9']);
    const merged = run([{ type: 'api/devices', devices: [older, other] }], live);
    expect(merged.devices['FOX1']?.lastMessageAt).toBe(seen?.lastMessageAt);
    expect(merged.devices['FOX1']?.model).toBe('ISR4451');
  });
});
