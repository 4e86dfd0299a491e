import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../src/lab/devices.js';
import { connect, execOnce, openShell, enable } from './helpers.js';

let dir: string;
let lab: Lab;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-ssh-'));
  lab = await startLab({ devices: 2, stateDir: dir, banner: 'Authorized access only' });
});
afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('interactive IOS session', () => {
  it('logs in to user EXEC after the banner, enables with a hidden secret, and exits', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    const first = await shell.until(/R1>$/);
    expect(first).toContain('Authorized access only\r\n');
    expect(await shell.run('show privilege')).toContain('Current privilege level is 1\r\n');
    shell.take();
    shell.send('enable\r');
    await shell.until('Password: ');
    shell.send('cisco\r');
    const afterEnable = await shell.until(/R1#$/);
    expect(afterEnable).not.toContain('cisco');
    expect(await shell.run('show privilege')).toContain('Current privilege level is 15');
    shell.take();
    shell.send('exit\r');
    await shell.until('closed');
    client.end();
  });

  it('echoes typed characters with CR LF and handles backspace, Ctrl-U and Ctrl-C', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    await shell.until(/R1>$/);
    shell.take();
    shell.send('show clockk\x7f');
    await shell.until('show clockk\b \b');
    shell.send('\r');
    const out = await shell.until(/\*\d\d:\d\d:\d\d\.\d{3} UTC .*\r\nR1>$/);
    expect(out.startsWith('show clockk\b \b\r\n*')).toBe(true);
    shell.take();
    shell.send('garbage\x15');
    await shell.until('\b \b'.repeat(7));
    shell.send('junk\x03');
    await shell.until(/\^C\r\nR1>$/);
    client.end();
  });

  it('answers ? without Enter and reprints the line', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    await shell.until(/R1>$/);
    shell.take();
    shell.send('show ?');
    const out = await shell.until(/R1>show $/);
    expect(out).toMatch(/clock/);
    client.end();
  });

  it('pages long output with --More-- and honours terminal length 0', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client, { rows: 10 });
    await shell.until(/R1>$/);
    shell.take();
    shell.send('show call-home statistics\r');
    const page1 = await shell.until(' --More-- ');
    expect(page1.split('\r\n').length).toBeLessThanOrEqual(11);
    shell.take();
    shell.send('\r');
    const oneLine = await shell.until(' --More-- ');
    expect(oneLine.split('\r\n').filter((l) => l.trim() !== '' && !l.includes('--More--'))).toHaveLength(1);
    shell.take();
    shell.send(' ');
    await shell.until(' --More-- ');
    shell.send('q');
    await shell.until(/R1>$/);
    const full = await shell.run('terminal length 0');
    expect(full).not.toContain('%');
    const stats = await shell.run('show call-home statistics');
    expect(stats).not.toContain('--More--');
    expect(stats).toContain('Last call-home message sent time:');
    client.end();
  });

  it('honours window-change for the page length', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client, { rows: 10 });
    await shell.until(/R1>$/);
    shell.channel.setWindow(30, 100, 0, 0);
    // The next command is handled after the window-change request (same channel, in order).
    await shell.run('show privilege');
    shell.send('show call-home statistics\r');
    const page = await shell.until(' --More-- ');
    expect(page.split('\r\n').length).toBe(31);
    shell.send('q');
    await shell.until(/R1>$/);
    client.end();
  });

  it('runs exec requests at user privilege and shares state across concurrent sessions', async () => {
    const port = lab.device('r2').port;
    const [a, b] = await Promise.all([connect(port), connect(port)]);
    const shell = await openShell(a);
    await enable(shell, 'R2');
    await shell.run('configure terminal');
    await shell.run('call-home');
    const contact = await shell.run('contact-email-addr noc@example.com');
    expect(contact).not.toContain('%');
    await shell.run('end');
    const { out, code } = await execOnce(b, 'show call-home');
    expect(code).toBe(0);
    expect(out).toContain("contact person's email address: noc@example.com\r\n");
    const priv = await execOnce(b, 'show privilege');
    expect(priv.out).toContain('Current privilege level is 1');
    a.end();
    b.end();
  });

  it('rejects a wrong password and keyboard-interactive', async () => {
    await expect(connect(lab.device('r1').port, { password: 'wrong' })).rejects.toThrow(/authentication/i);
    await expect(connect(lab.device('r1').port, { password: undefined, tryKeyboard: true })).rejects.toThrow();
  });

  it('survives random input in every session (fuzz) and stays usable', async () => {
    const client = await connect(lab.device('r1').port);
    const shell = await openShell(client);
    await shell.until(/R1>$/);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const alphabet = 'show call-home ? | include x"\'\x7f\x15\x03\x1a\t\x1b[A\r\n\0éΩ';
    for (let i = 0; i < 40; i++) {
      let chunk = '';
      for (let j = 0; j < 30; j++) chunk += alphabet[Math.floor(rnd() * alphabet.length)];
      shell.send(chunk);
    }
    shell.send('\x03');
    shell.send('\r');
    await shell.until(/(R1>|Password: )$/);
    shell.send('\x03\r');
    await shell.until(/R1>$/);
    // Late output of the fuzz may still be in flight: wait for this command's own answer, not just any prompt.
    shell.send('show privilege\r');
    const out = await shell.until(/Current privilege level is 1\r\nR1>$/);
    expect(out).toContain('Current privilege level is 1');
    client.end();
  });
});
