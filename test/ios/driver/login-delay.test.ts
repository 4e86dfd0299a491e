/**
 * A refused password against a device that answers it late, as IOS does (the lab's IOS login rules:
 * a failed password is answered after 1 s). The connect timeout is shorter than that delay: the
 * refusal must still be reported as `auth`, never as a timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server as SshServer } from 'ssh2';
import { AUTH_ANSWER_MIN_MS, connectSsh, type SshTarget } from '../../../src/ios/driver/connect.js';
import { DeviceError } from '../../../src/ios/driver/errors.js';
import { KnownHosts } from '../../../src/fleet/known-hosts.js';
import { generateHostKey } from '../../../src/lab/persistence.js';
import { IOS_LOGIN_RULES } from '../../../src/lab/ssh/server.js';
import { startLab, type Lab } from '../../../src/lab/devices.js';

let dir: string;
let lab: Lab;
let knownHosts: KnownHosts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callhome-login-delay-'));
  lab = await startLab({ devices: 1, stateDir: join(dir, 'lab') });
  await lab.writeKnownHosts(join(dir, 'known_hosts'));
  knownHosts = new KnownHosts(join(dir, 'known_hosts'));
});
afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(password: string, port = lab.device('r1').port): SshTarget {
  return { name: 'r1', host: '127.0.0.1', port, credentials: { username: 'admin', password }, checkHostKey: (key) => knownHosts.check('r1', '127.0.0.1', port, key) };
}

async function failure(promise: Promise<unknown>): Promise<DeviceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeviceError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('connect: a refused password answered late', () => {
  it('is an auth failure even when the answer comes after the connect timeout', async () => {
    const timeoutMs = 300;
    expect(IOS_LOGIN_RULES.failureDelayMs).toBeGreaterThan(timeoutMs);
    const started = performance.now();
    const error = await failure(connectSsh(target('wrong'), { connectTimeoutMs: timeoutMs, attempts: 3, backoffMs: 10 }));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('authentication as "admin" failed');
    // An auth failure is never retried: one connection, answered after the device's delay.
    expect(performance.now() - started).toBeGreaterThanOrEqual(IOS_LOGIN_RULES.failureDelayMs - 50);
  });

  it('still logs in with the right password', async () => {
    const connection = await connectSsh(target('admin'), { connectTimeoutMs: 2000, attempts: 1 });
    connection.close();
  });

  it('still times out on a device that never answers the SSH handshake', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await failure(connectSsh(target('admin', port), { connectTimeoutMs: 300, attempts: 1 }));
      expect(error.kind).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('times out on a device that exchanges keys but never answers the credentials', async () => {
    const key = generateHostKey();
    // Answers `none` (so the client sends its password), then never answers the password.
    const mute = new SshServer({ hostKeys: [key.privateKey] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => {
        if (ctx.method === 'none') ctx.reject(['password']);
      });
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const port = (mute.address() as { port: number }).port;
    const anyKey: SshTarget = { ...target('admin', port), checkHostKey: () => null };
    const started = performance.now();
    try {
      const error = await failure(connectSsh(anyKey, { connectTimeoutMs: 300, attempts: 1 }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('no answer to the login as "admin"');
      expect(performance.now() - started).toBeGreaterThanOrEqual(AUTH_ANSWER_MIN_MS - 50);
    } finally {
      mute.close();
    }
  }, 20_000);
});
