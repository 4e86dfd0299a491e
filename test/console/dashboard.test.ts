import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dashboardModel } from '../../src/console/dashboard-model.js';
import { createConsoleReducer, initialConsoleState } from '../../src/console/reducer.js';
import type { ConsoleAction } from '../../src/console/types.js';
import { createWall } from '../../views/dashboard/wall.js';
import { received, summary } from './fixtures.js';

const reduce = createConsoleReducer();
const NOW = Date.UTC(2026, 10, 23, 12, 5, 30);
const at = (min: number, sec: number) => new Date(Date.UTC(2026, 10, 23, 12, min, sec)).toISOString();

function state() {
  const actions: ConsoleAction[] = [
    { type: 'backend/events', events: [
      received(1, summary(1, { receivedAt: at(3, 1), severity: 6, eventName: 'TEMP_CRIT', description: 'too hot' })),
      received(2, summary(2, { receivedAt: at(3, 40), severity: 2 })),
      received(3, summary(3, { receivedAt: at(5, 10), severity: 7, serial: 'FOX2', hostname: 'R2', eventName: 'SYSTEM_CRASH', description: 'crashed' })),
      { seq: 4, at: at(5, 11), type: 'registration.changed', serial: 'FOX2', hostname: 'R2', from: 'pending', to: 'registered', trialEndsAt: null },
      { seq: 5, at: at(5, 12), type: 'listener.status', listener: 'smtp', state: 'listening', port: 2525, error: null },
    ] },
    { type: 'fleet/hosts', hosts: [{ name: 'r1', address: '127.0.0.1:1', serial: 'FOX1', hostname: 'R1' }] },
    { type: 'fleet/result', op: 'mail-status', result: { host: 'r1', ok: true, changed: false, commands: [], data: { servers: [{ address: '127.0.0.1', priority: 1, available: false }] }, error: null } },
  ];
  return actions.reduce(reduce, initialConsoleState());
}

describe('dashboard model', () => {
  it('derives per-minute counts, severities, registration, mail status and critical events', () => {
    const m = dashboardModel(state(), NOW, 5);
    expect(m.perMinute.x).toEqual(['12:01', '12:02', '12:03', '12:04', '12:05']);
    expect(m.perMinute.y).toEqual([0, 0, 2, 0, 1]);
    expect(m.severity.data[6]).toBe(1);
    expect(m.severity.data[7]).toBe(1);
    expect(m.severity.titles[6]).toBe('criti');
    expect(m.registration).toEqual([{ label: 'registered', count: 1, percent: 50 }, { label: 'pending', count: 1, percent: 50 }]);
    expect(m.mail.data).toEqual([['back end', 'SMTP :2525', 'Available'], ['r1', '127.0.0.1', 'Not Available']]);
    expect(m.critical).toHaveLength(2);
    expect(m.critical[0]).toContain('R2 fatal SYSTEM_CRASH: crashed');
  });

  it('draws headless on a fake terminal without throwing', () => {
    const output = Object.assign(new PassThrough(), { columns: 160, rows: 48, isTTY: true });
    let written = '';
    output.on('data', (c: Buffer) => (written += c.toString()));
    const wall = createWall({ output, input: new PassThrough(), terminal: 'xterm-256color', warnings: false });
    wall.draw(dashboardModel(state(), NOW));
    wall.destroy();
     
    const text = written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001b[()][A-Z0-9]/g, '');
    expect(text).toContain('Registration');
    expect(text).toContain('Mail');
    expect(text).toContain('Latest');
    expect(text).toContain('Messages');
  });
});
