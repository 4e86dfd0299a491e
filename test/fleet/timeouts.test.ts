/**
 * Issue 11 item 12, honest timeouts: a silent host (it accepts TCP and never speaks SSH) fails with an
 * error that says what was tried, and --connect-attempts / --connect-timeout decide what that costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture, writeInventory } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-timeouts-'));
const sockets = new Set<net.Socket>();
const silent = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('error', () => undefined);
});
const inventory = join(dir, 'inventory.yaml');

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  writeInventory(inventory, { quiet: { port: (silent.address() as AddressInfo).port } });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

type Doc = { results: { error: { kind: string; message: string } | null }[] };

async function run(flags: { connectTimeout?: number; connectAttempts?: number }): Promise<{ error: Doc['results'][number]['error']; seconds: number }> {
  const stdout = new Capture();
  const started = performance.now();
  await runFleetExec({ inventory, knownHosts: join(dir, 'kh'), json: true, command: 'show clock', ...flags }, { stdout, settings: SettingsSchema.parse({ connectTimeout: 10 }), env: {} });
  return { error: (JSON.parse(stdout.text) as Doc).results[0]?.error ?? null, seconds: (performance.now() - started) / 1000 };
}

describe('a silent host', () => {
  it('fails as a timeout whose message says every attempt, its timeout and the waits between', async () => {
    const { error, seconds } = await run({ connectTimeout: 0.4, connectAttempts: 3 });
    expect(error?.kind).toBe('timeout');
    expect(error?.message).toMatch(/^quiet: no SSH handshake with 127\.0\.0\.1:\d+ within 400 ms \(3 attempts of up to 0\.4 s each, 0\.2 s and 0\.4 s apart; [\d.]+ s in all\)$/);
    // Three attempts of 0.4 s plus 0.6 s of waiting.
    expect(seconds).toBeGreaterThanOrEqual(1.8);
  });

  it('--connect-attempts 1 tries once', async () => {
    const { error, seconds } = await run({ connectTimeout: 0.4, connectAttempts: 1 });
    expect(error?.message).toMatch(/within 400 ms$/);
    expect(seconds).toBeLessThan(1.8);
  });
});
