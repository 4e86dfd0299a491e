import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateHostKey } from '../../../src/lab/persistence.js';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../src/lab/devices.js';
import { connect, execOnce, openShell, enable } from '../ssh/helpers.js';

const run = promisify(execFile);
let dir: string;
const labs: Lab[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-fleet-'));
});
afterAll(async () => {
  await Promise.all(labs.map((l) => l.close()));
  await rm(dir, { recursive: true, force: true });
});

async function lab(options: Parameters<typeof startLab>[0]): Promise<Lab> {
  const l = await startLab(options);
  labs.push(l);
  return l;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('startLab', () => {
  it('writes an inventory (contract 2) and an OpenSSH known_hosts that the real ssh client accepts with key auth', async () => {
    const { privateKey: priv, publicKey: pub } = generateHostKey();
    const keyFile = path.join(dir, 'id_ed25519');
    await writeFile(keyFile, priv, { mode: 0o600 });
    await chmod(keyFile, 0o600);
    const l = await lab({ devices: 3, stateDir: path.join(dir, 'a'), authorizedKeys: [pub] });
    const inv = path.join(dir, 'inv.yaml');
    const kh = path.join(dir, 'known_hosts');
    await l.writeInventory(inv);
    await l.writeKnownHosts(kh);
    const doc = parse(await readFile(inv, 'utf8')) as { defaults: Record<string, string>; groups: { lab: { hosts: string[] } }; hosts: Record<string, { host: string; port: number; vars: Record<string, string> }> };
    expect(doc.defaults).toEqual({ username: 'admin', password: 'admin', 'enable-secret': 'cisco' });
    expect(doc.groups.lab.hosts).toEqual(['r1', 'r2', 'r3']);
    expect(doc.hosts['r2']).toEqual({ host: '127.0.0.1', port: l.device('r2').port, vars: { hostname: 'R2', serial: l.device('r2').identity.serial, model: 'ISR4451-X/K9' } });
    const lines = (await readFile(kh, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${l.device('r1').port} ssh-ed25519 AAAA`));

    const { stdout } = await run('/usr/bin/ssh', [
      '-p', String(l.device('r1').port),
      '-i', keyFile,
      '-o', 'BatchMode=yes',
      '-o', 'IdentitiesOnly=yes',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${kh}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      'admin@127.0.0.1',
      'show call-home statistics',
    ], { timeout: 20_000 });
    expect(stdout).toMatch(/^Message Types\s+Total\s+Email\s+HTTP/);
    expect(stdout).toContain('Last call-home message sent time: n/a');
  });

  it('keeps host keys, identities and the saved startup-config across a restart', async () => {
    const stateDir = path.join(dir, 'b');
    const first = await lab({ devices: 1, stateDir });
    await first.writeKnownHosts(path.join(dir, 'kh1'));
    const serial = first.device('r1').identity.serial;
    const client = await connect(first.device('r1').port);
    const shell = await openShell(client);
    await enable(shell);
    await shell.run('configure terminal');
    await shell.run('hostname EDGE1', /EDGE1\(config\)#$/);
    await shell.run('call-home', /\(cfg-call-home\)#$/);
    await shell.run('site-id Lab-7', /\(cfg-call-home\)#$/);
    await shell.run('end', /EDGE1#$/);
    shell.take();
    shell.send('write memory\r');
    await shell.until(/EDGE1#$/);
    client.end();
    await first.close();
    labs.splice(labs.indexOf(first), 1);

    const second = await lab({ devices: 1, stateDir });
    await second.writeKnownHosts(path.join(dir, 'kh2'));
    expect(await readFile(path.join(dir, 'kh2'), 'utf8')).toBe((await readFile(path.join(dir, 'kh1'), 'utf8')).replace(/:\d+ /, `:${second.device('r1').port} `));
    expect(second.device('r1').identity.serial).toBe(serial);
    const c2 = await connect(second.device('r1').port);
    const { out } = await execOnce(c2, 'show call-home');
    expect(out).toContain('site ID: Lab-7');
    const ver = await execOnce(c2, 'show version');
    expect(ver.out).toContain('EDGE1 uptime is');
    c2.end();
  });

  it('injects faults: refused login, dropped connection, slow answers, changed host key, unreachable', async () => {
    const l = await lab({
      devices: 4,
      stateDir: path.join(dir, 'c'),
      faults: { r1: { refuseLogin: true }, r2: { dropAfterCommands: 2 }, r3: { slowMs: 150 }, r4: { unreachable: true } },
    });
    await expect(connect(l.device('r1').port)).rejects.toThrow(/authentication/i);

    const c2 = await connect(l.device('r2').port);
    const shell = await openShell(c2);
    await shell.until(/R2>$/);
    await shell.run('show clock');
    shell.take();
    shell.send('show privilege\r');
    await shell.until('closed');
    expect(shell.output).toContain('Current privilege level is 1');
    c2.end();

    const c3 = await connect(l.device('r3').port);
    const started = Date.now();
    await execOnce(c3, 'show clock');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    c3.end();

    expect(await refused(l.device('r4').port)).toBe(true);
    l.device('r4').device.setFaults({});
    const c4 = await (async () => {
      for (;;) {
        try {
          return await connect(l.device('r4').port);
        } catch {
          await new Promise((r) => setImmediate(r));
        }
      }
    })();
    expect((await execOnce(c4, 'show privilege')).out).toContain('level is 1');
    c4.end();
    l.device('r4').device.setFaults({ unreachable: true });
    for (let i = 0; i < 100 && !(await refused(l.device('r4').port)); i++) await new Promise((r) => setImmediate(r));
    expect(await refused(l.device('r4').port)).toBe(true);

    const kh = path.join(dir, 'kh-c');
    await l.writeKnownHosts(kh);
    const expected = (await readFile(kh, 'utf8')).split('\n').find((x) => x.startsWith(`[127.0.0.1]:${l.device('r3').port} `))?.split(' ')[2];
    const seenKey = async (): Promise<string> => {
      let seen = '';
      const c = await connect(l.device('r3').port, { hostVerifier: (key: Buffer) => ((seen = key.toString('base64')), true) });
      c.end();
      return seen;
    };
    expect(await seenKey()).toBe(expected);
    l.device('r3').device.setFaults({ changedHostKey: true });
    const changed = await seenKey();
    expect(changed).not.toBe(expected);
    expect(changed).toMatch(/^AAAAC3NzaC1lZDI1NTE5/);
  });

  it('refuses bad options with a clear error', async () => {
    await expect(startLab({ devices: 0, stateDir: path.join(dir, 'd') })).rejects.toThrow(/--devices must be/);
    await expect(startLab({ devices: 2, port: 65535, stateDir: path.join(dir, 'd') })).rejects.toThrow(/consecutive ports/);
  });
});
