import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLab } from '../../../commands/lab.js';
import { startLab } from '../../../src/lab/devices.js';
import { connect, execOnce, openShell, enable } from '../ssh/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('callhome lab', () => {
  it('prints the JSON ready line once every device listens, serves until stopped, then closes', async () => {
    let printed = '';
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let port = 0;
    const running = runLab(
      { devices: 2, port: 0, inventoryOut: path.join(dir, 'inv.yaml'), knownHostsOut: path.join(dir, 'kh'), stateDir: path.join(dir, 'state'), smtpPort: 2525, json: true },
      {
        stdout: (t) => (printed += t),
        until: async () => {
          const inv = await readFile(path.join(dir, 'inv.yaml'), 'utf8');
          port = Number(/port: (\d+)/.exec(inv)?.[1]);
          const c = await connect(port);
          const { out } = await execOnce(c, 'show privilege');
          expect(out).toContain('Current privilege level is 1');
          c.end();
          stop();
          await stopped;
        },
      },
    );
    await running;
    expect(JSON.parse(printed.trim())).toEqual({ event: 'ready', devices: 2, inventory: path.resolve(dir, 'inv.yaml') });
    await expect(connect(port)).rejects.toThrow();
  });

  // A bad --smtp-port is refused as the flag is read: test/cli/numeric-flags.test.ts.
  it('rejects an unreadable --authorized-keys file with what to do', async () => {
    const base = { devices: 1, port: 0, inventoryOut: path.join(dir, 'i2'), knownHostsOut: path.join(dir, 'k2'), stateDir: path.join(dir, 's2'), json: true };
    const deps = { stdout: () => undefined, until: async () => undefined };
    await expect(runLab({ ...base, smtpPort: 25, authorizedKeys: path.join(dir, 'missing.pub') }, deps)).rejects.toThrow(/--authorized-keys/);
  });

  it('names a broken startup-config file instead of starting with a surprise', async () => {
    const stateDir = path.join(dir, 'broken');
    await mkdir(path.join(stateDir, 'devices', 'r1'), { recursive: true });
    await writeFile(path.join(stateDir, 'devices', 'r1', 'startup-config.json'), '{"version":1,"config":{"hostname":');
    await expect(startLab({ devices: 1, stateDir })).rejects.toThrow(/startup-config\.json is not valid JSON/);
  });

  it('logs raised events in show logging (lab raise, hidden from ?)', async () => {
    const lab = await startLab({ devices: 1, stateDir: path.join(dir, 'raise') });
    try {
      const c = await connect(lab.device('r1').port);
      const shell = await openShell(c);
      await enable(shell);
      await shell.run('lab raise syslog 3 LINK UPDOWN "Interface Gi1 changed state to down"');
      const help = await shell.run('terminal length 0');
      expect(help).not.toContain('%');
      const logging = await shell.run('show logging');
      expect(logging).toMatch(/\*\w{3} +\d+ \d\d:\d\d:\d\d\.\d{3}: %LINK-3-UPDOWN: Interface Gi1 changed state to down/);
      shell.take();
      shell.send('?');
      const list = await shell.until(/R1#$/);
      expect(list).not.toMatch(/^\s*lab\s/m);
      c.end();
    } finally {
      await lab.close();
    }
  });
});
