/** `callhome cases`, `cases close` and `cases update` (S55) against a real back end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCases } from '../../../commands/cases.js';
import { TOKEN } from '../helpers.js';
import { register, send, startRig, tempFailure, type Rig } from './helpers.js';

let rig: Rig;
let number = '';
beforeAll(async () => {
  rig = await startRig();
  await register(rig.b, 'CLICASE1', { contract: 'C-400' });
  number = (await send(rig.b, tempFailure('CLICASE1'))).results.caseNumber ?? '';
});
afterAll(async () => rig.stop());

const conn = () => ({ backend: rig.b.url, token: TOKEN });
async function capture(run: (deps: { stdout: (t: string) => void }) => Promise<void>): Promise<string> {
  let out = '';
  await run({ stdout: (t) => (out += t) });
  return out;
}

describe('callhome cases close|update', () => {
  it('updates, resolves and closes a case, which `cases NUMBER` then shows with its history', async () => {
    expect(number).toMatch(/^\d{9}$/);
    expect(await capture((d) => runCases({ ...conn(), json: false, action: 'update', number, note: 'engineer on site', priority: 1 }, d))).toBe(`Case ${number} is updated (P1).\n`);
    const resolved = JSON.parse(await capture((d) => runCases({ ...conn(), json: true, action: 'update', number, note: 'fan replaced', status: 'resolved' }, d))) as { status: string };
    expect(resolved.status).toBe('resolved');
    expect(await capture((d) => runCases({ ...conn(), json: false, action: 'close', number, note: 'confirmed' }, d))).toBe(`Case ${number} is closed (P1).\n`);
    const shown = await capture((d) => runCases({ ...conn(), json: false, action: number }, d));
    expect(shown).toMatch(new RegExp(`Case ${number} \\(closed, P1\\)`));
    expect(shown).toMatch(/engineer on site[\s\S]*fan replaced[\s\S]*confirmed/);
  });

  it('refuses what it cannot do with a message saying what to do instead', async () => {
    await expect(runCases({ ...conn(), json: false, action: 'close', number }, { stdout: () => undefined })).rejects.toMatchObject({ message: expect.stringContaining('--note') as unknown as string });
    await expect(runCases({ ...conn(), json: false, action: 'close', number: undefined, note: 'x' }, { stdout: () => undefined })).rejects.toMatchObject({ message: expect.stringContaining('case number') as unknown as string });
    await expect(runCases({ ...conn(), json: false, action: 'close', number, note: 'again' }, { stdout: () => undefined })).rejects.toMatchObject({ message: expect.stringContaining('closed') as unknown as string });
    await expect(runCases({ ...conn(), json: false, action: 'update', number: '999999999', note: 'x' }, { stdout: () => undefined })).rejects.toMatchObject({ message: expect.stringContaining('does not exist') as unknown as string });
  });
});
