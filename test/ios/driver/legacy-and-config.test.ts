import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDevice } from '../../../src/fleet/credentials.js';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { KnownHosts } from '../../../src/fleet/known-hosts.js';
import { loadSshConfig } from '../../../src/fleet/ssh-config.js';
import { DeviceError, IosSession, type SshTarget } from '../../../src/ios/driver/index.js';
import { startFakeIos, type FakeIos } from './fake-ios.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-legacy-'));
let old: FakeIos;

beforeAll(async () => {
  // An old image: SHA-1 key exchange and CBC ciphers only.
  old = await startFakeIos({ algorithms: { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'] } });
});
afterAll(async () => {
  await old.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(legacyAlgorithms: boolean): SshTarget {
  return {
    name: 'old1',
    host: '127.0.0.1',
    port: old.port,
    legacyAlgorithms,
    credentials: { username: 'admin', password: 'admin' },
    checkHostKey: (key) => (key.equals(old.hostKey) ? null : new DeviceError('hostkey', 'unexpected')),
  };
}

describe('legacy algorithms', () => {
  it('cannot agree with an old image by default and can with legacy-algorithms', async () => {
    const options = { connectTimeoutMs: 3000, commandTimeoutMs: 3000, attempts: 1, enableSecret: 'cisco' };
    await expect(IosSession.open(target(false), options)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('legacy-algorithms: true') });
    const session = await IosSession.open(target(true), options);
    expect(session.prompt).toBe('R1#');
    session.close();
  });
});

describe('~/.ssh/config and credentials', () => {
  it('honours Host, HostName, Port, User, IdentityFile and ProxyJump', async () => {
    const keyFile = join(dir, 'id_test');
    writeFileSync(keyFile, 'not really a key, only read');
    const config = join(dir, 'ssh_config');
    writeFileSync(config, `Host edge*\n  HostName 10.9.9.9\n  Port 2200\n  User netops\n  IdentityFile ${keyFile}\n  ProxyJump jump@bastion.example.com:2222\n`);
    const lookup = loadSshConfig(config);
    expect(lookup('edge1')).toEqual({ hostName: '10.9.9.9', port: 2200, user: 'netops', proxyJump: 'jump@bastion.example.com:2222', identityFiles: [keyFile] });

    const inventory = parseInventory('inv.yaml', 'hosts:\n  edge1: {}\n  core1: { host: 10.0.0.1, port: 2022, username: admin, password-env: CORE_PW }\n');
    const knownHosts = new KnownHosts(join(dir, 'kh'));
    const env = { CORE_PW: 'from-env', SSH_AUTH_SOCK: '/tmp/agent.sock' };
    const edge = await resolveDevice(inventory.hosts[0]!, { inventory, knownHosts, sshConfig: lookup, env });
    expect(edge.target).toMatchObject({ host: '10.9.9.9', port: 2200, credentials: { username: 'netops', agent: '/tmp/agent.sock' } });
    expect(edge.target.credentials.privateKey?.toString()).toBe('not really a key, only read');
    expect(edge.target.jump).toMatchObject({ host: 'bastion.example.com', port: 2222, credentials: { username: 'jump' } });
    const core = await resolveDevice(inventory.hosts[1]!, { inventory, knownHosts, sshConfig: lookup, env });
    expect(core.target).toMatchObject({ host: '10.0.0.1', port: 2022, credentials: { username: 'admin', password: 'from-env' } });
    expect(core.enableSecret).toBe('from-env');
  });

  it('fails the device, not the run, when password-env names an unset variable', async () => {
    const inventory = parseInventory('inv.yaml', 'hosts:\n  r1: { host: 127.0.0.1, password-env: MISSING_PW }\n');
    await expect(resolveDevice(inventory.hosts[0]!, { inventory, knownHosts: new KnownHosts(join(dir, 'kh')), env: {} })).rejects.toThrow(/MISSING_PW, which is not set/);
  });
});
