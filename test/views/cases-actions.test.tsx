/**
 * The cases screen's actions (S55) through ink-testing-library against a real back end: resolve and
 * close the selected case with a note; the back end records it (history, status) and the screen says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { api, TOKEN } from '../backend/helpers.js';
import { register, send, startRig, tempFailure, type CaseDoc, type Rig } from '../backend/sr-notify/helpers.js';
import { renderLiveConsole } from './live-console.js';

let rig: Rig;
let number = '';
beforeAll(async () => {
  rig = await startRig();
  await register(rig.b, 'CONCASE1', { contract: 'C-500', hostname: 'core9' });
  number = (await send(rig.b, tempFailure('CONCASE1', 'core9'))).results.caseNumber ?? '';
});
afterAll(async () => rig.stop());

describe('console cases screen', () => {
  it('resolves and then closes the selected case with a note, and refuses a note on a closed case', async () => {
    expect(number).not.toBe('');
    const c = await renderLiveConsole(rig.b.url, createApiClient({ url: rig.b.url, token: TOKEN }));
    const { press, has } = c;
    try {
      await press('6');
      await press('r');
      await has(number);
      await press('R');
      await has(`Resolve case ${number}`);
      for (const ch of 'fan replaced') await press(ch);
      await press('\r');
      await has(`Case ${number} is resolved.`);
      expect((await api<CaseDoc>(rig.b.url, `/cases/${number}`)).body.status).toBe('resolved');
      await press('C');
      await has(`Close case ${number}`);
      for (const ch of 'confirmed') await press(ch);
      await press('\r');
      await has(`Case ${number} is closed.`);
      const c = (await api<CaseDoc>(rig.b.url, `/cases/${number}`)).body;
      expect(c.status).toBe('closed');
      expect(c.history.map((h) => h.note).slice(-2)).toEqual([expect.stringMatching(/^resolved by .+: fan replaced$/), expect.stringMatching(/^closed by .+: confirmed$/)]);
      await press('n');
      await has(`Case ${number} is closed; a new failure opens a new case.`);
    } finally {
      c.close();
    }
  });
});
