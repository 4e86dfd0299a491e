import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../src/backend/server.js';
import { createApiClient } from '../../src/client/api-client.js';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { renderLiveConsole, type LiveConsole } from './live-console.js';
import { frameHas, waitFor } from './wait.js';

const KEY = { down: '\u001B[B', up: '\u001B[A', enter: '\r', esc: '\u001B' };

describe('console app on a live back end', () => {
  let backend: TestBackend;
  let view: LiveConsole;
  let store: LiveConsole['store'];
  let ui: LiveConsole['ui'];
  let restarted: Awaited<ReturnType<typeof startBackend>> | undefined;

  const press = async (keys: string): Promise<void> => {
    ui.stdin.write(keys);
    // Ink handles input on the next tick; wait until the store saw it by polling the frame in callers.
    await new Promise((r) => setImmediate(r));
  };
  const frame = (): string => ui.lastFrame() ?? '';
  const has = (t: string | RegExp) => frameHas(ui.lastFrame, t);

  beforeAll(async () => {
    backend = await startTestBackend();
    view = await renderLiveConsole(backend.url, createApiClient({ url: backend.url, token: TOKEN }));
    ({ store, ui } = view);
  });

  afterAll(async () => {
    view.close();
    await restarted?.close();
    await backend.stop();
  });

  it('shows new messages live, newest first, with the connection state', async () => {
    await postXml(backend.url, sampleWith({ serial: 'SER0001', hostname: 'R1', messageId: 'M1:SER0001:1', description: 'first one' }));
    await postXml(backend.url, sampleWith({ serial: 'SER0002', hostname: 'R2', messageId: 'M2:SER0002:1', description: 'second one', severity: 6 }));
    await press('2');
    await has('second one');
    const f = frame();
    expect(f.indexOf('second one')).toBeLessThan(f.indexOf('first one'));
    expect(f).toContain('6 critical');
    expect(f).toMatch(/● live/);
  });

  it('filters with / and opens a message with Enter, scrollable, Esc back', async () => {
    await press('/');
    await has('/█');
    await press('dev:R1');
    await press(KEY.enter);
    await has('filter device:R1');
    await waitFor(() => !frame().includes('second one') && frame().includes('first one'), frame);
    await press(KEY.enter);
    await has('Message M1:SER0001:1');
    expect(frame()).toContain('serial SER0001');
    await press(KEY.down);
    await has(/scroll \(2\//);
    await press(KEY.esc);
    await has('Filter: device:R1');
    await press('/');
    await press(KEY.enter);
    await has('second one');
  });

  it('shows every key with ? and switches screens with :name and numbers', async () => {
    await press('?');
    await has('Keys (Esc closes)');
    expect(frame()).toContain('Select / deselect the host');
    await press(KEY.esc);
    await waitFor(() => !frame().includes('Keys (Esc closes)'), frame);
    await press(':');
    await press('registration');
    await press(KEY.enter);
    await has('Serial');
    await has('SER0002');
    expect(frame()).toMatch(/pending: 2/);
    await press('3');
    await has('Back-end SMTP listener');
    expect(frame()).toMatch(/\[Available\] listening on port \d+/);
    await press('6');
    await has('Title / subject');
  });

  it('asks for a token on a pending device and reports a wrong one', async () => {
    await press('4');
    await has('SER0001');
    await press('c');
    await has('Token for SER0001');
    await press('wrong-token');
    await press(KEY.enter);
    await has(/SER0001 refused because the token for SER0001 is invalid/);
  });

  it('reconnects after the back end restarts and back-fills what it missed', async () => {
    await press('2');
    await has('second one');
    const port = backend.httpPort;
    const dbPath = `${backend.dir}/callhome.db`;
    await backend.close();
    await has(/reconnecting|connecting/);
    restarted = await startBackend({ dbPath, httpPort: port, smtpPort: null, token: TOKEN });
    // Posted right after the restart: the console gets it by back-fill or live, never twice.
    await postXml(restarted.url, sampleWith({ serial: 'SER0003', hostname: 'R3', messageId: 'M3:SER0003:1', description: 'after restart' }));
    await has('after restart');
    await has('● live');
    expect(frame().split('after restart').length - 1).toBe(1);
    expect(store.getState().messages.items.filter((m) => m.messageId === 'M3:SER0003:1')).toHaveLength(1);
  });

  it('quits with q', async () => {
    await press('q');
    await waitFor(() => store.getState().quit, frame);
  });
});
