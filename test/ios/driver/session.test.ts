import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, DeviceError, IosSession, Transcript, type SshTarget } from '../../../src/ios/driver/index.js';
import { KnownHosts } from '../../../src/fleet/known-hosts.js';
import { startFakeIos, type FakeIos } from './fake-ios.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-driver-'));
const timing = { connectTimeoutMs: 3000, commandTimeoutMs: 3000, attempts: 1 };

function target(device: FakeIos, overrides: Partial<SshTarget> = {}, password = 'admin'): SshTarget {
  return {
    name: 'r1',
    host: '127.0.0.1',
    port: device.port,
    credentials: { username: 'admin', password },
    checkHostKey: (key) => (key.equals(device.hostKey) ? null : new DeviceError('hostkey', 'unexpected key')),
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

let device: FakeIos;
let longName: FakeIos;
let slow: FakeIos;

beforeAll(async () => {
  device = await startFakeIos({
    banner: '*** Authorised access only ***\nR1# is not a prompt when a line follows',
    outputs: { 'show clock': '*10:00:00.000 UTC Mon Nov 23 2026' },
  });
  longName = await startFakeIos({ hostname: 'CORE-ROUTER-BUILDING-7-FLOOR-3' });
  slow = await startFakeIos({ slowMs: 400 });
});

afterAll(async () => {
  await Promise.all([device.close(), longName.close(), slow.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('IosSession', () => {
  it('passes the banner, enables with the secret and turns paging off', async () => {
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco' });
    expect(session.hostname).toBe('R1');
    expect(session.prompt).toBe('R1#');
    expect(session.mode).toBe('privileged');
    expect(await session.send('show clock')).toBe('*10:00:00.000 UTC Mon Nov 23 2026');
    // Pipelined, paging goes off in the same write as the first command (a show command is followed by a guard line).
    expect(device.received.slice(-6)).toEqual(['enable', 'cisco', 'terminal length 0', 'terminal width 511', 'show clock', 'terminal length 0']);
    session.close();
  });

  it('follows sub-mode prompts and truncated long hostnames in configuration mode (line by line)', async () => {
    const session = await IosSession.open(target(longName), { ...timing, enableSecret: 'cisco', lineByLine: true });
    const seen: string[] = [];
    await session.configure(['call-home', 'contact-email-addr noc@example.com', 'profile noc', 'active', 'exit'], () => seen.push(session.prompt));
    expect(seen).toEqual([
      'CORE-ROUTER-BUILDING(cfg-call-home)#',
      'CORE-ROUTER-BUILDING(cfg-call-home)#',
      'CORE-ROUTER-BUILDING(cfg-call-home-profile)#',
      'CORE-ROUTER-BUILDING(cfg-call-home-profile)#',
      'CORE-ROUTER-BUILDING(cfg-call-home)#',
    ]);
    expect(session.prompt).toBe('CORE-ROUTER-BUILDING-7-FLOOR-3#');
    session.close();
  });

  it('pipelined: truncated long hostnames in sub-mode prompts split the replies, and the session ends in privileged EXEC', async () => {
    const session = await IosSession.open(target(longName), { ...timing, enableSecret: 'cisco' });
    const applied: string[] = [];
    await session.configure(['call-home', 'contact-email-addr noc@example.com', 'profile noc', 'active', 'exit'], (c) => applied.push(c));
    expect(applied).toEqual(['call-home', 'contact-email-addr noc@example.com', 'profile noc', 'active', 'exit']);
    expect(session.prompt).toBe('CORE-ROUTER-BUILDING-7-FLOOR-3#');
    session.close();
  });

  it('reports a % error with the command, stops there and leaves configuration mode (line by line)', async () => {
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco', lineByLine: true });
    const applied: string[] = [];
    const error = await rejection(session.configure(['call-home', 'bogus command', 'contact-email-addr x@y'], (c) => applied.push(c)));
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).command).toBe('bogus command');
    expect((error as CliError).errorLine).toBe("% Invalid input detected at '^' marker.");
    expect((error as CliError).message).toContain('line 2 of 3 ("bogus command") was refused');
    expect(applied).toEqual(['call-home']);
    expect(device.received.at(-1)).toBe('end');
    expect(session.mode).toBe('privileged');
    session.close();
  });

  it('pipelined: a % error is attributed to its line; lines typed ahead after it are reported; the session leaves configuration mode', async () => {
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco' });
    const applied: string[] = [];
    const error = await rejection(session.configure(['call-home', 'bogus command', 'contact-email-addr x@y'], (c) => applied.push(c)));
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).command).toBe('bogus command');
    expect((error as CliError).errorLine).toBe("% Invalid input detected at '^' marker.");
    expect((error as CliError).position).toEqual({ index: 2, total: 3, sentAfter: 1 });
    expect((error as CliError).output).toContain('^');
    // The line after the refused one was on the wire already and the device took it.
    expect(applied).toEqual(['call-home', 'contact-email-addr x@y']);
    expect(device.received.at(-1)).toBe('end');
    expect(session.mode).toBe('privileged');
    const ambiguous = await rejection(session.send('sh'));
    expect((ambiguous as CliError).errorLine).toContain('% Ambiguous command');
    session.close();
  });

  it('answers the copy running-config startup-config question', async () => {
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco' });
    const reply = await session.save();
    expect(reply).toContain('[OK]');
    expect(session.prompt).toBe('R1#');
    session.close();
  });

  it('offers the password at once, without the `none` request that costs a round trip', async () => {
    const before = device.authMethods.length;
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco' });
    expect(device.authMethods.slice(before)).toEqual(['password']);
    session.close();
  });

  it('with secretWithFirstCommands, answers Password: in the first write and is privileged after it', async () => {
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco', secretWithFirstCommands: true });
    const before = device.received.length;
    expect(await session.send('show clock')).toBe('*10:00:00.000 UTC Mon Nov 23 2026');
    expect(session.prompt).toBe('R1#');
    // `enable` went out with the shell request; the secret (only once the device asked) with paging off and the command.
    expect(device.received.slice(before - 1)).toEqual(['enable', 'cisco', 'terminal length 0', 'terminal width 511', 'show clock', 'terminal length 0']);
    session.close();
  });

  it('with secretWithFirstCommands, a wrong enable secret fails the first command as auth and closes the session', async () => {
    const session = await IosSession.open(target(device), { ...timing, commandTimeoutMs: 20_000, enableSecret: 'nope', secretWithFirstCommands: true });
    const started = performance.now();
    const error = await rejection(session.send('show clock'));
    expect(error).toMatchObject({ kind: 'auth', message: 'r1: the enable secret was refused (% Access denied)' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(session.isOpen).toBe(false);
  });

  it('refuses a wrong password as an auth failure', async () => {
    const error = await rejection(IosSession.open(target(device, {}, 'wrong'), { ...timing, enableSecret: 'cisco' }));
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toContain('authentication as "admin" failed');
  });

  it('refuses a wrong enable secret as an auth failure at once', async () => {
    const started = performance.now();
    const error = await rejection(IosSession.open(target(device), { ...timing, commandTimeoutMs: 20_000, enableSecret: 'nope' }));
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toBe('r1: the enable secret was refused (% Access denied)');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports a closed port as unreachable after retrying with back-off', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = performance.now();
    const error = await rejection(IosSession.open(target(device, { port }), { ...timing, attempts: 3, backoffMs: 20 }));
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    // Three attempts wait 20 + 40 ms between them.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('times out on a device slower than the read timeout', async () => {
    const error = await rejection(IosSession.open(target(slow), { ...timing, commandTimeoutMs: 150, enableSecret: 'cisco' }));
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toContain('within 150 ms');
  });

  it('masks the password and the enable secret in the transcript file', async () => {
    const file = join(dir, 'r1.log');
    const transcript = new Transcript(file);
    const session = await IosSession.open(target(device), { ...timing, enableSecret: 'cisco', transcript });
    await session.send('show clock');
    session.close();
    transcript.flush();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('show clock');
    expect(text).toContain('********');
    expect(text).not.toContain('cisco');
  });
});

describe('host keys on connection', () => {
  it('refuses an unknown key, records it with --accept-new-host-keys, then refuses a changed key', async () => {
    const file = join(dir, 'known_hosts');
    const strict = new KnownHosts(file);
    const check = (kh: KnownHosts) => (key: Buffer) => kh.check('r1', '127.0.0.1', device.port, key);
    const unknown = await rejection(IosSession.open(target(device, { checkHostKey: check(strict) }), { ...timing, enableSecret: 'cisco' }));
    expect(unknown).toMatchObject({ kind: 'hostkey' });
    expect((unknown as Error).message).toContain('--accept-new-host-keys');

    const accepting = new KnownHosts(file, true);
    const session = await IosSession.open(target(device, { checkHostKey: check(accepting) }), { ...timing, enableSecret: 'cisco' });
    session.close();
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${device.port} ssh-ed25519 `));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Another device now answers on the same address: its key is a CHANGED key.
    const recorded = readFileSync(file, 'utf8');
    writeFileSync(file, recorded.replace(`]:${device.port} `, `]:${slow.port} `));
    const changed = await rejection(
      IosSession.open(target(slow, { checkHostKey: (key) => new KnownHosts(file, true).check('r1', '127.0.0.1', slow.port, key) }), timing),
    );
    expect(changed).toMatchObject({ kind: 'hostkey' });
    expect((changed as Error).message).toContain(`${file}:1`);
    expect((changed as Error).message).toContain(`ssh-keygen -R "[127.0.0.1]:${slow.port}" -f ${file}`);
  });
});
