import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newSessionState, type CliResult } from '../../../src/lab/ios-cli/index.js';
import { LabDevice } from '../../../src/lab/device.js';
import { labIdentity } from '../../../src/lab/identity.js';
import { loadDeviceState } from '../../../src/lab/persistence.js';

// The interpreter inside the real device: running vs startup, persisted in the state directory.
const dirs: string[] = [];
const devices: LabDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function boot(stateDir: string): Promise<LabDevice> {
  const state = await loadDeviceState(stateDir, 'r1', () => labIdentity(1));
  const device = new LabDevice({ identity: state.identity, stateDir, startup: state.startup, enableSecret: 'cisco', smtpPort: 1 });
  devices.push(device);
  return device;
}

async function run(device: LabDevice, lines: readonly string[]): Promise<string[]> {
  const session = newSessionState();
  const outputs: string[] = [];
  for (const line of lines) {
    let r: CliResult = await device.cli.execute(line, session);
    if (r.kind === 'password') r = await r.submit('cisco');
    if (r.kind === 'input') r = await r.submit('');
    outputs.push(r.output);
  }
  return outputs;
}

describe('CLI in the real lab device', () => {
  it('copy running-config startup-config survives a restart; unsaved changes do not', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'callhome-cli-'));
    dirs.push(stateDir);
    const first = await boot(stateDir);
    const outputs = await run(first, [
      'enable',
      'configure terminal',
      'hostname EDGE-1',
      'call-home',
      'profile CiscoTAC-1',
      'destination transport-method http',
      'active',
      'exit',
      'contact-email-addr username@example.com',
      'exit',
      'service call-home',
      'exit',
      'copy running-config startup-config',
      'configure terminal',
      'call-home',
      'contact-email-addr unsaved@example.com',
      'end',
    ]);
    expect(outputs.filter((o) => o.includes('%'))).toEqual([]);
    expect(outputs[12]).toBe('Building configuration...\n[OK]\n');
    const saved = (await run(first, ['enable', 'show running-config | section call-home']))[1];

    const second = await boot(stateDir);
    const [, running, startup] = await run(second, ['enable', 'show running-config | section call-home', 'show startup-config | i ^hostname']);
    expect(running).toBe(saved?.replace('unsaved@example.com', 'username@example.com'));
    expect(running).toContain(' contact-email-addr username@example.com\n');
    expect(startup).toBe('hostname EDGE-1\n');
    expect(second.cli.prompt({ ...newSessionState(), mode: { kind: 'privileged' } })).toBe('EDGE-1#');
  });

  it('logs leaving configuration mode and raises lab events into the logging buffer', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'callhome-cli-'));
    dirs.push(stateDir);
    const device = await boot(stateDir);
    const [, , , logging] = await run(device, ['enable', 'configure terminal', 'end', 'show logging']);
    expect(logging).toContain('%SYS-5-CONFIG_I');
    await run(device, ['enable', 'lab raise syslog 3 LINK UPDOWN "Interface GigabitEthernet1, changed state to down"']);
    const [, after] = await run(device, ['enable', 'show logging | i LINK']);
    expect(after).toContain('%LINK-3-UPDOWN: Interface GigabitEthernet1, changed state to down');
  });
});
