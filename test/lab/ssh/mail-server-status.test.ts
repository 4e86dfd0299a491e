import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../src/lab/devices.js';
import { connect, openShell, enable } from './helpers.js';

// A mail server that accepts and then says nothing: the probe hangs until we let it go.
let silent: Server;
const held: Socket[] = [];
let dir: string;
let lab: Lab;

beforeAll(async () => {
  silent = createServer((s) => held.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  dir = await mkdtemp(path.join(tmpdir(), 'lab-mailstatus-'));
  lab = await startLab({ devices: 1, stateDir: dir, smtpPort: address.port });
});
afterAll(async () => {
  await lab?.close();
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('show call-home mail-server status over SSH', () => {
  it('prints "Please wait" before the probes answer, as IOS does, then the result', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    await enable(shell);
    for (const line of ['configure terminal', 'call-home', 'mail-server 127.0.0.1 priority 1', 'end']) expect(await shell.run(line)).not.toContain('%');
    shell.take();
    shell.send('show call-home mail-server status\r');
    await shell.until('Please wait. Checking for mail server status ...\r\n');
    // The probe is connected and waiting for a banner that never comes: no result may be printed yet.
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(shell.output).not.toContain('Mail-server[1]');
    expect(shell.output).not.toMatch(/R1#$/);
    for (const s of held) s.destroy();
    const out = await shell.until(/R1#$/);
    expect(out).toMatch(/Please wait\. Checking for mail server status \.\.\.\r\n[\s\S]*Mail-server\[1\]: Address: 127\.0\.0\.1 Priority: 1.*\[Not Available\]\r\n/);
    client.end();
  });

  it('keeps the wait line inside a piped output, where the filter decides', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    await shell.until(/R1>$/);
    const before = held.length;
    const waitOnly = shell.run('show call-home mail-server status | include Please');
    while (held.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const s of held) s.destroy();
    const out = await waitOnly;
    expect(out).toContain('Please wait. Checking for mail server status ...');
    expect(out).not.toContain('Mail-server[1]');
    client.end();
  });
});
