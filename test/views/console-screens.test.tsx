/**
 * The console's screens on a real back end through ink-testing-library, at 80 columns: the messages
 * screen (width, "N new", g/G, filter words, empty filter), registration (tokens filled in, several
 * at once, results explained), cases and notifications opened with Enter, and terminal safety.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { renderXml } from '../../src/callhome/xml-render.js';
import { buildMessage } from '../backend/build-message.js';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { renderLiveConsole, type LiveConsole } from './live-console.js';
import { frameHas, waitFor } from './wait.js';

const KEY = { down: '\u001B[B', enter: '\r', esc: '\u001B', home: '\u001B[H', end: '\u001B[F' };
const WIDTH = 80;

// ink-testing-library's terminal is 100 columns; this file renders at 80, as a default terminal.
const probe = render(<></>);
Object.defineProperty(Object.getPrototypeOf(probe.stdout), 'columns', { get: () => WIDTH, configurable: true });
probe.unmount();

describe('console screens at 80 columns on a live back end', () => {
  let backend: TestBackend;
  let view: LiveConsole;
  let store: LiveConsole['store'];
  let ui: LiveConsole['ui'];
  const dir = mkdtempSync(join(tmpdir(), 'callhome-console-screens-'));
  const press = async (keys: string): Promise<void> => {
    ui.stdin.write(keys);
    await new Promise((r) => setImmediate(r));
  };
  const frame = (): string => ui.lastFrame() ?? '';
  const has = (t: string | RegExp) => frameHas(ui.lastFrame, t);
  const filter = async (text: string): Promise<void> => {
    await press('/');
    await has('/█');
    for (const c of text) await press(c);
    await press(KEY.enter);
  };
  let seq = 0;
  const post = (o: Parameters<typeof sampleWith>[0]) => postXml(backend.url, sampleWith({ messageId: `M${++seq}:${o.serial ?? 'X'}:1`, ...o }));

  beforeAll(async () => {
    const rulesFile = join(dir, 'rules.yaml');
    writeFileSync(rulesFile, 'rules:\n  - name: temp\n    match: { type: environment, event: "TEMP_FAILURE" }\n    outcome: case\n    priority: 2\n    recommendation: "Check the fans."\n  - name: rest\n    match: {}\n    outcome: none\n');
    backend = await startTestBackend({ rulesFile });
    const api = createApiClient({ url: backend.url, token: TOKEN });
    // SER0002 and SER0003 are in the installed base without cover: a trial under C-77 (S14).
    await api.importContracts([{ serial: 'SER0001', contractNumber: 'C-77', contractType: 'direct', company: 'Example', expiresAt: null }, ...['SER0002', 'SER0003'].map((serial) => ({ serial, contractNumber: '', contractType: 'direct', company: 'Example', expiresAt: null }))]);
    view = await renderLiveConsole(backend.url, api);
    ({ store, ui } = view);
  });

  afterAll(async () => {
    view.close();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits every column in 80 characters and escapes control codes from devices', async () => {
    await post({ serial: 'SER0001', hostname: 'R1', severity: 5, description: 'link down on Gi0/1 \u001b[2J\u0007 after a very long explanation that cannot fit' });
    await post({ serial: 'SER0002', hostname: 'R2', severity: 6, description: 'second' });
    await press('2');
    await has('second');
    for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(WIDTH);
    for (const header of ['Received', 'Device', 'Severity', 'Type', 'Event', 'Description', 'Via']) expect(frame()).toContain(header);
    expect(frame()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    expect(frame()).toContain('link down');
    expect(frame()).not.toContain('\u0007');
    // The whole text, opened: control codes from the device are shown escaped.
    await press('j');
    await press(KEY.enter);
    await has('Text    link down on Gi0/1');
    expect(frame()).toContain('\\e[2J\\x07');
    expect(frame()).not.toContain('\u0007');
    await press(KEY.esc);
    await press('g');
    await has('Filter: (none)');
  });

  it('marks new messages while scrolled away from the top; g / Home return, G / End go to the oldest', async () => {
    await press('j');
    await waitFor(() => store.getState().cursor.messages === 1, frame);
    await post({ serial: 'SER0002', hostname: 'R2', severity: 3, description: 'third' });
    await post({ serial: 'SER0002', hostname: 'R2', severity: 3, description: 'fourth' });
    await has('▲ 2 new');
    await press('g');
    await waitFor(() => !frame().includes('new (g'), frame);
    expect(store.getState().cursor.messages).toBe(0);
    await press('G');
    await waitFor(() => store.getState().cursor.messages === store.getState().messages.items.length - 1, frame);
    await press(KEY.home);
    await waitFor(() => store.getState().cursor.messages === 0, frame);
    await press(KEY.end);
    await waitFor(() => store.getState().cursor.messages > 0, frame);
    await press('g');
  });

  it('filters by severity name and number (and above, or exactly), type prefix and device in any case', async () => {
    await filter('sev:major');
    await has('filter sev:5');
    await waitFor(() => frame().includes('second') && frame().includes('link down') && !frame().includes('third'), frame);
    await filter('sev:=5');
    await waitFor(() => !frame().includes('second') && frame().includes('link down'), frame);
    await filter('device:r2 type:sys');
    await has('filter device:r2 type:sys');
    await waitFor(() => frame().includes('second') && frame().includes('third') && !frame().includes('link down'), frame);
    await filter('device:nosuch');
    await has('No message matches the filter');
    await filter('');
    await has('second');
  });

  it('opens the pending-registration notification on screen 6 with its token', async () => {
    await press('6');
    await has('pending-reg');
    const row = frame().split('\n').findIndex((l) => l.includes('SER0001'));
    const first = frame().split('\n').findIndex((l) => l.startsWith('>'));
    for (let i = first; i < row; i++) await press('j');
    await press(KEY.enter);
    await has(/Security token: \S+/);
    await press(KEY.esc);
    await has('Title / subject');
  });

  it('fills the token in with c on screen 4 and explains the result (contract)', async () => {
    await press('4');
    await has('SER0001');
    await press('c');
    await has('Token for SER0001: ••••');
    await has('(from its notification)');
    await press(KEY.enter);
    await has('SER0001 registered under contract C-77');
  });

  it('confirms several selected devices at once; a trial says why', async () => {
    await post({ serial: 'SER0003', hostname: 'R3', description: 'third device' });
    await has(/R3 .*pending/);
    // Rows: R1 registered, R2 pending, R3 pending.
    await waitFor(() => frame().includes('R3'), frame);
    await press('j');
    await press(' ');
    await press('j');
    await press(' ');
    await has('2 selected');
    await press('c');
    await has('Confirm 2 pending devices?');
    await press('y');
    await waitFor(() => /SER0002 is on trial until \d{4}-\d\d-\d\d because no contract covers the serial · SER0003 is on trial/.test(store.getState().notice?.text ?? ''), frame);
    await waitFor(() => !frame().includes('selected'), frame);
  });

  it('opens a case with Enter to read its whole text', async () => {
    await postXml(backend.url, renderXml(buildMessage({ serialNumber: 'SER0001', hostname: 'R1', messageId: 'M-case:SER0001:1', kind: 'environment', severity: 5, eventName: 'TEMP_FAILURE', description: 'TEMP_FAILURE: inlet 70C', attachments: [{ name: 'show environment all', data: 'Inlet 70C' }] })));
    await press('6');
    await has(/case open/);
    await press('g');
    await press(KEY.enter);
    await has('── Recommendation');
    expect(frame()).toContain('Check the fans.');
    expect(frame()).toContain('── Attachment: show environment all');
    await press(KEY.esc);
  });
});
