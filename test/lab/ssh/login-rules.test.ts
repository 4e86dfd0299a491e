/** Issue 11, item 14: the lab treats logins as IOS does, and one session's input flood does not slow other devices. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../src/lab/devices.js';
import { IOS_LOGIN_RULES } from '../../../src/lab/ssh/server.js';
import { connect, openShell } from './helpers.js';

let dir: string;
let lab: Lab;
const rules = { failureDelayMs: 400, attempts: 3, timeoutMs: 1500 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-login-'));
  lab = await startLab({ devices: 3, stateDir: dir, login: rules });
});
afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Tries `passwords` in turn on one connection; resolves with the attempts made and how the connection ended. */
function tryPasswords(port: number, passwords: readonly string[]): Promise<{ attempts: number[]; ended: 'ready' | 'closed' | 'refused' }> {
  return new Promise((resolve) => {
    const client = new Client();
    const attempts: number[] = [];
    const started = performance.now();
    let next = 0;
    let done = false;
    const finish = (ended: 'ready' | 'closed' | 'refused') => {
      if (done) return;
      done = true;
      client.end();
      resolve({ attempts, ended });
    };
    client.on('ready', () => finish('ready'));
    client.on('error', (error) => finish(/authentication methods failed/i.test(error.message) ? 'refused' : 'closed'));
    client.on('close', () => finish('closed'));
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'admin',
      readyTimeout: 20_000,
      authHandler: (_methods, _partial, callback) => {
        if (next >= passwords.length) return callback(false as unknown as 'none');
        attempts.push(performance.now() - started);
        callback({ type: 'password', username: 'admin', password: passwords[next++] ?? '' });
        return undefined;
      },
    });
  });
}

describe('lab logins, as IOS', () => {
  it('uses the IOS defaults unless told otherwise', () => {
    expect(IOS_LOGIN_RULES).toEqual({ failureDelayMs: 1000, attempts: 3, timeoutMs: 120_000 });
  });

  it('answers a failed password only after the delay, then accepts the right one on the same connection', async () => {
    const result = await tryPasswords(lab.device('r1').port, ['wrong', 'admin']);
    expect(result.ended).toBe('ready');
    expect(result.attempts).toHaveLength(2);
    expect((result.attempts[1] ?? 0) - (result.attempts[0] ?? 0)).toBeGreaterThanOrEqual(rules.failureDelayMs - 20);
  });

  it('closes the connection after the third failed attempt', async () => {
    const result = await tryPasswords(lab.device('r1').port, ['a', 'b', 'c', 'admin', 'admin']);
    expect(result.attempts).toHaveLength(3);
    expect(result.ended).toBe('closed');
  });

  it('closes a connection that has not logged in within ip ssh time-out', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: lab.device('r2').port });
    const started = performance.now();
    // Says nothing at all: no SSH version string, no handshake (and reads what the device says, so its end is seen).
    socket.resume();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()).on('error', () => undefined));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(rules.timeoutMs - 50);
    expect(elapsed).toBeLessThan(rules.timeoutMs + 5000);
  });

  it('keeps a logged-in session past the time-out', async () => {
    const client = await connect(lab.device('r2').port);
    const shell = await openShell(client);
    await shell.until(/R2>$/);
    await new Promise((resolve) => setTimeout(resolve, rules.timeoutMs + 300));
    expect(await shell.run('show privilege')).toContain('Current privilege level is 1');
    client.end();
  });

  it("one session's input flood does not slow another device's login and reply", async () => {
    const timeLogin = async (): Promise<number> => {
      const started = performance.now();
      const client = await connect(lab.device('r3').port);
      const shell = await openShell(client);
      await shell.until(/R3>$/);
      await shell.run('show privilege');
      client.end();
      return performance.now() - started;
    };
    const quiet = await timeLogin();
    // The flooder is another process, as an attacker would be: it logs in to r1 and writes as fast as the channel lets it.
    const script = `
      import ssh2 from 'ssh2';
      const client = new ssh2.Client();
      client.on('ready', () => client.shell((error, channel) => {
        const chunk = 'x'.repeat(32 * 1024);
        const pump = () => { while (channel.write(chunk)); };
        channel.on('drain', pump);
        channel.on('data', () => undefined);
        process.stdout.write('flooding\\n');
        pump();
      }));
      client.on('error', () => process.exit(1));
      client.connect({ host: '127.0.0.1', port: ${lab.device('r1').port}, username: 'admin', password: 'admin' });
    `;
    const flooder = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        flooder.stdout.once('data', () => resolve());
        flooder.once('exit', (code) => reject(new Error(`the flooder exited (${code})`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const loaded = await timeLogin();
      console.info(`login + command: ${Math.round(quiet)} ms quiet, ${Math.round(loaded)} ms during the flood`);
      expect(loaded).toBeLessThan(Math.max(3 * quiet, quiet + 1000));
    } finally {
      flooder.kill();
    }
  });
});
