/** `callhome demo --gateway` (issue 17): the HTTP half of the lab posts to a Transport Gateway, which forwards to the back end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../commands/demo.js';
import type { Demo } from '../../src/demo/demo.js';
import { isoWeek } from '../../src/gateway/logs.js';

describe('callhome demo --gateway', () => {
  it('runs a gateway between half of the lab and the back end, and says how to see it', async () => {
    const lines: string[] = [];
    const stdout = Object.assign(new Writable({ write(c: Buffer, _e, cb) { lines.push(...c.toString().split('\n').filter(Boolean)); cb(); } }), { isTTY: false });
    let forwarded = 0;
    let httpMessages = 0;
    let communicationLog = '';
    await runDemo(
      { devices: 4, json: true, gateway: true },
      {
        stdout,
        until: (demo: Demo) =>
          new Promise<void>((resolve) => {
            const check = (): void =>
              void demo.backend.eventLog.since(0, 10_000).then((events) => {
                httpMessages = events.filter((e) => e.type === 'message.received' && e.message.transport === 'http').length;
                forwarded = events.reduce((n, e) => n + (e.type === 'gateway.status' ? e.status.activity.forwarded : 0), 0);
                if (httpMessages >= 2 && forwarded >= 2) {
                  unsubscribe();
                  communicationLog = readFileSync(join(demo.gateway!.queueDir, 'logs', `communication-${isoWeek(new Date())}.csv`), 'utf8');
                  resolve();
                }
              });
            const unsubscribe = demo.backend.eventLog.subscribe(check);
            check();
          }),
      },
    );
    // The devices' HTTP posts went through the gateway: it reported forwarding them, and logged each
    expect(forwarded).toBeGreaterThanOrEqual(2);
    expect(communicationLog.split('\n').filter((l) => l.includes(',forwarded')).length).toBeGreaterThanOrEqual(2);
    const json = lines.map((l) => JSON.parse(l) as { event: string; message?: string; type?: string; gateway?: { url: string; queueDir: string }; company?: string });
    expect(json.some((j) => j.event === 'progress' && /gateway: demo-branch on http:\/\/127\.0\.0\.1:\d+ forwards the HTTP half/.test(j.message ?? ''))).toBe(true);
    const ready = json.find((j) => j.event === 'ready');
    expect(ready?.gateway?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(json.some((j) => j.event === 'backend' && j.type === 'gateway.registered' && j.company === 'acme')).toBe(true);
  }, 90_000);
});
