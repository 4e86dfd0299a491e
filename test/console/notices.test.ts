import { afterEach, describe, expect, it } from 'vitest';
import { createIntents } from '../../src/console/adapters/intents.js';
import { createConsoleStore, type ConsoleStore } from '../../src/console/store.js';

const HOLD_MS = 300;
let store: ConsoleStore | undefined;
afterEach(() => store?.dispose());

describe('console notices', () => {
  it('a refusal stays readable: later info waits out the hold, and the newest info is shown after it', async () => {
    store = createConsoleStore({ batchMs: 1 });
    const intents = createIntents(store, { noticeHoldMs: HOLD_MS });
    intents.runCommand('frobnicate');
    const refusal = store.getState().notice;
    expect(refusal).toMatchObject({ level: 'error', text: expect.stringContaining('Unknown command ":frobnicate"') });
    intents.runCommand('select r*');
    intents.runCommand('select core-*');
    expect(store.getState().notice).toEqual(refusal);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 100));
    expect(store.getState().notice).toMatchObject({ level: 'info', text: '0 hosts selected' });
  });

  it('another error replaces a refusal at once, and a dismissal drops the waiting info too', async () => {
    store = createConsoleStore({ batchMs: 1 });
    const intents = createIntents(store, { noticeHoldMs: HOLD_MS });
    intents.runCommand('frobnicate');
    intents.runCommand('select r*');
    intents.runCommand('wibble');
    expect(store.getState().notice?.text).toContain('":wibble"');
    intents.runCommand('select r*');
    intents.dismissNotice();
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS + 100));
    expect(store.getState().notice).toBeNull();
  });
});
