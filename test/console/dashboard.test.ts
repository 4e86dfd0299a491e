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
    // Whole words, most severe first.
    expect(m.severity.map((s) => s.label)).toEqual(['catastrophic', 'disaster', 'fatal', 'critical', 'major', 'minor', 'warning', 'notification', 'normal', 'debugging']);
    expect(m.severity.find((s) => s.label === 'critical')?.count).toBe(1);
    expect(m.severity.find((s) => s.label === 'fatal')?.count).toBe(1);
    expect(m.registration).toEqual([{ label: 'registered', count: 1, percent: 50 }, { label: 'pending', count: 1, percent: 50 }]);
    expect(m.mail.data).toEqual([['back end', 'SMTP :2525', 'Available'], ['r1', '127.0.0.1', 'Not Available']]);
    expect(m.critical).toHaveLength(2);
    expect(m.critical[0]).toContain('R2 fatal SYSTEM_CRASH: crashed');
  });

  /** Draws the model on a fake terminal of the given size and returns the text written, escapes removed. */
  function drawText(model: ReturnType<typeof dashboardModel>, columns: number, rows: number): string {
    const output = Object.assign(new PassThrough(), { columns, rows, isTTY: true });
    let written = '';
    output.on('data', (c: Buffer) => (written += c.toString()));
    const wall = createWall({ output, input: new PassThrough(), terminal: 'xterm-256color', warnings: false });
    wall.draw(model);
    wall.destroy();
    return written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ' ').replace(/\u001b[()][A-Z0-9]/g, '');
  }

  for (const [columns, rows] of [[160, 45], [80, 24]] as const) {
    it(`shows mail-server names and status and whole-word severities at ${columns}×${rows}`, () => {
      const text = drawText(dashboardModel(state(), NOW), columns, rows);
      expect(text).toContain('r1');
      expect(text).toContain('127.0.0.1');
      expect(text).toContain('Not Available');
      expect(text).toContain('SMTP :2525');
      expect(text).toContain('catastrophic');
      expect(text).toMatch(/critical\s+1/);
    });
  }

  it('counts messages per minute in whole numbers', () => {
    const text = drawText(dashboardModel(state(), NOW), 160, 45);
    expect(text).not.toMatch(/\b\d\.\d\d\b/);
  });

  it('shows a refused token and a lost back end large, with the URL', () => {
    const base = { ...state(), backendUrl: 'http://127.0.0.1:8080' };
    const refused = dashboardModel({ ...base, connection: { kind: 'unauthorized', retryAfterSeconds: null } }, NOW);
    expect(refused.alarm?.title).toBe('TOKEN REFUSED');
    const text = drawText(refused, 80, 24);
    expect(text).toContain('T O K E N   R E F U S E D');
    expect(text).toContain('http://127.0.0.1:8080');
    const lost = dashboardModel({ ...base, connection: { kind: 'backing-off', attempt: 3, retryInMs: 4000 } }, NOW);
    expect(lost.alarm?.title).toBe('BACK END LOST');
    expect(drawText(lost, 160, 45)).toContain('No connection to http://127.0.0.1:8080');
    expect(dashboardModel({ ...base, connection: { kind: 'open' } }, NOW).alarm).toBeNull();
  });

  it('never writes device text to the terminal as control codes', () => {
    const evil = [received(9, summary(9, { receivedAt: at(5, 20), severity: 7, hostname: 'R\u001b[2J9', description: 'boom\u0007\u009b31m' }))];
    const s = reduce(state(), { type: 'backend/events', events: evil });
    const m = dashboardModel(s, NOW);
    expect(m.critical[0]).toContain('R\\e[2J9');
    expect(m.critical[0]).toContain('boom\\x07\\x9b31m');
    expect(m.critical.join('')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
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
