/** Lab link faults: a per-connection round-trip time (WAN) and a terminal input buffer that loses typed-ahead input. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../src/lab/devices.js';
import { connect, openShell } from './helpers.js';

let dir: string;
let lab: Lab;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-link-'));
  lab = await startLab({ devices: 3, stateDir: dir, faults: { r2: { rttMs: 150 }, r3: { typeaheadChars: 20 }, r1: { startupInputLostMs: 300 } } });
});
afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('lab link faults', () => {
  it('rttMs delays every round trip of the connection, the handshake included', async () => {
    const started = performance.now();
    const client = await connect(lab.device('r2').port);
    // Version exchange, key exchange, new keys, service request and user authentication: several round trips.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 150);
    const shell = await openShell(client);
    await shell.until(/R2>$/);
    const sent = performance.now();
    expect(await shell.run('show privilege')).toContain('Current privilege level is 1');
    expect(performance.now() - sent).toBeGreaterThanOrEqual(150);
    client.end();
  });

  it('typeaheadChars loses input typed ahead beyond the buffer', async () => {
    const client = await connect(lab.device('r3').port);
    const shell = await openShell(client);
    await shell.until(/R3>$/);
    shell.take();
    // 45 characters at once: only the first 20 reach the device ("show privilege\rshow ").
    shell.send('show privilege\rshow privilege\rshow privilege\r');
    await shell.until(/R3>show $/);
    const seen = shell.take();
    expect(seen.match(/Current privilege level/g)).toHaveLength(1);
    // The device is left holding the partial line, as IOS would.
    shell.send('\x15show privilege\r');
    expect(await shell.until(/Current privilege level is 1\r\n\r?\n?R3>$/)).toContain('Current privilege level');
    client.end();
  });

  it('startupInputLostMs loses what is typed while the session starts, and takes input afterwards', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    shell.send('show privilege\r');
    await shell.until(/R1>$/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(shell.take()).not.toContain('show privilege');
    shell.send('show privilege\r');
    expect(await shell.until(/Current privilege level is 1\r\n\r?\n?R1>$/)).toMatch(/^show privilege\r\n/);
    client.end();
  });
});
