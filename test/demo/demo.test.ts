import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../commands/demo.js';
import type { Demo } from '../../src/demo/demo.js';

describe('callhome demo --headless', () => {
  it('starts lab and back end, configures both transports, registers devices and sees messages arrive', async () => {
    const lines: string[] = [];
    const stdout = Object.assign(new Writable({ write(c: Buffer, _e, cb) { lines.push(...c.toString().split('\n').filter(Boolean)); cb(); } }), { isTTY: false });
    let seen = { http: 0, email: 0, registered: 0, trial: 0 };
    await runDemo(
      { devices: 4, json: true },
      {
        stdout,
        until: (demo: Demo) =>
          new Promise<void>((resolve) => {
            const check = (): void => void demo.backend.eventLog.since(0, 10_000).then((events) => {
              const msgs = events.flatMap((e) => (e.type === 'message.received' ? [e.message] : []));
              const states = events.flatMap((e) => (e.type === 'registration.changed' ? [e.to] : []));
              seen = {
                http: msgs.filter((m) => m.transport === 'http').length,
                email: msgs.filter((m) => m.transport === 'email').length,
                registered: states.filter((s) => s === 'registered').length,
                trial: states.filter((s) => s === 'trial').length,
              };
              if (seen.http >= 2 && seen.email >= 2 && seen.registered >= 1 && seen.trial >= 1) {
                unsubscribe();
                resolve();
              }
            });
            const unsubscribe = demo.backend.eventLog.subscribe(check);
            check();
          }),
      },
    );
    expect(seen.http).toBeGreaterThanOrEqual(2);
    expect(seen.email).toBeGreaterThanOrEqual(2);
    // Of 4 devices, the demo confirms 2 (one covered → registered, one uncovered → trial) and leaves 2 pending.
    expect(seen).toMatchObject({ registered: 1, trial: 1 });
    const json = lines.map((l) => JSON.parse(l) as { event: string; message?: string; type?: string });
    expect(json.some((j) => j.event === 'progress' && /4\/4 devices configured/.test(j.message ?? ''))).toBe(true);
    expect(json.some((j) => j.event === 'ready')).toBe(true);
    expect(json.some((j) => j.event === 'backend' && j.type === 'message.received')).toBe(true);
  }, 60_000);
});
