/**
 * The console's registration screen (S96 part): trial and contract expiry countdowns, the devices expiring
 * soon, and why a pending device was refused (S16) — from a live back end, through ink-testing-library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../src/callhome/codec.js';
import { createApiClient } from '../../src/client/api-client.js';
import { buildMessage } from '../backend/build-message.js';
import { importBackOffice } from '../backend/entitlement/fixtures.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { renderLiveConsole, type LiveConsole } from './live-console.js';
import { frameHas } from './wait.js';

describe('registration screen countdowns on a live back end', () => {
  let backend: TestBackend;
  let view: LiveConsole;
  let ui: LiveConsole['ui'];
  const frame = (): string => ui.lastFrame() ?? '';
  const has = (t: string | RegExp) => frameHas(ui.lastFrame, t);

  beforeAll(async () => {
    backend = await startTestBackend();
    // A contract ends at the start of its day: 21 days ahead is 20 days and part of one, so 21 left at any hour.
    const soon = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    await importBackOffice(backend.url, {
      contracts: [
        { number: 'C-SOON', type: 'direct', company: 'acme', expires: soon, serials: ['CNT00001'] },
        { number: 'C-LATER', type: 'direct', company: 'acme', expires: '2099-12-31' },
        { number: 'C-ZGONE', type: 'direct', company: 'acme', expires: '2099-12-31', serials: ['CNT00004'] },
      ],
      installedBase: [
        { serial: 'CNT00001', company: 'acme' },
        { serial: 'CNT00002', company: 'acme' },
        { serial: 'CNT00004', company: 'acme' },
      ],
    });
    const confirm = async (serial: string, hostname: string, series?: string): Promise<void> => {
      await postXml(backend.url, renderXml(buildMessage({ serialNumber: serial, hostname, ...(series ? { series } : {}) })));
      const notes = (await api<{ notifications: { serial: string; kind: string; body: string }[] }>(backend.url, '/notifications')).body.notifications;
      const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === serial && n.kind === 'pending-registration')?.body ?? '')?.[1] ?? '';
      await api(backend.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } });
    };
    await confirm('CNT00001', 'covered-1');
    await confirm('CNT00002', 'trial-2');
    await confirm('CNT00003', 'refused-3', 'No Such Family');
    await confirm('CNT00004', 'lapsed-4');
    // Its contract lapses (not the one the trial rests on, C-LATER, the first eligible by number): it expires (S21).
    await importBackOffice(backend.url, { contracts: [{ number: 'C-ZGONE', type: 'direct', company: 'acme', expires: '2020-01-01', serials: ['CNT00004'] }] });
    view = await renderLiveConsole(backend.url, createApiClient({ url: backend.url, token: TOKEN }));
    ui = view.ui;
  });

  afterAll(async () => {
    view.close();
    await backend.stop();
  });

  it('counts devices per state, counts down the contract and the trial, flags what expires within 30 days, and shows why a pending device was refused', async () => {
    ui.stdin.write('4');
    // Rows appear from the replayed events first; the countdowns come with the device snapshot.
    await has('contract 21d left');
    await has('refused: no-eligible-');
    const f = frame();
    expect(f).toMatch(/covered-1 .*registered .*contract 21d left/);
    expect(f).toMatch(/trial-2 .*trial .*trial 120d left/);
    expect(f).toMatch(/refused-3 .*pending .*refused: no-eligible-/);
    expect(f).toContain('expiring within 30 days: 1');
    // S97: counts per state, and the expired device listed with no countdown.
    for (const count of ['pending: 1', 'registered: 1', 'trial: 1', 'expired: 1']) expect(f).toContain(count);
    expect(f).toMatch(/lapsed-4 .*expired/);
    expect(f).not.toMatch(/lapsed-4 .*d left/);
  });
});
