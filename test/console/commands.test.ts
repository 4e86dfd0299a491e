import { describe, expect, it } from 'vitest';
import { runConsole } from '../../commands/console.js';
import { runDemo } from '../../commands/demo.js';
import { AbortError } from '../../src/errors.js';
import { Writable } from 'node:stream';

describe('console and demo without a terminal', () => {
  it('console points to the scripted twins', async () => {
    const error = await runConsole({}, { stdout: { isTTY: false } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toContain('needs a terminal');
    expect((error as AbortError).tryMessage).toContain('callhome messages');
  });

  // `demo --devices 0` is refused as the flag is read: test/cli/numeric-flags.test.ts.
  it('demo asks for --headless', async () => {
    const stdout = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
    await expect(runDemo({ devices: 2 }, { stdout })).rejects.toThrow(/needs a terminal/);
  });
});
