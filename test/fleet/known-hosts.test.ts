import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownHosts, knownHostsName } from '../../src/fleet/known-hosts.js';
import { generateSshKeyPair } from '../../src/util/ssh-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function publicKey(type: 'ed25519' | 'ecdsa' | 'rsa'): Buffer {
  const parsed = ssh2.utils.parseKey(generateSshKeyPair(type).publicKey);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

function line(hosts: string, key: Buffer): string {
  const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  return `${hosts} ${type} ${key.toString('base64')}`;
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('KnownHosts', () => {
  const ed = publicKey('ed25519');
  const ec = publicKey('ecdsa');
  const rsa = publicKey('rsa');
  const other = publicKey('ed25519');
  const file = join(dir, 'known_hosts');
  writeFileSync(
    file,
    [
      '# comment',
      line('10.0.0.1', ed),
      line(hashed('[10.0.0.2]:2222'), ec),
      line('[10.0.0.3]:40001,r3.example.com', rsa),
      line('*.lab.example.com', ed),
      'garbage line that is not a key',
      line('@revoked 10.0.0.9', other),
    ].join('\n'),
  );
  const known = new KnownHosts(file);

  it('matches plain, [host]:port, hashed and wildcard entries of several key types', () => {
    expect(known.verdict('10.0.0.1', 22, ed)).toEqual({ kind: 'known' });
    expect(known.verdict('10.0.0.2', 2222, ec)).toEqual({ kind: 'known' });
    expect(known.verdict('10.0.0.3', 40001, rsa)).toEqual({ kind: 'known' });
    expect(known.verdict('r7.lab.example.com', 22, ed)).toEqual({ kind: 'known' });
  });

  it('treats a plain host entry as port 22 only', () => {
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(known.verdict('10.0.0.1', 2222, ed)).toEqual({ kind: 'unknown' });
  });

  it('reports a changed key with the line of the entry and what to do', () => {
    expect(known.verdict('10.0.0.2', 2222, other)).toEqual({ kind: 'changed', line: 3, keyType: 'ecdsa-sha2-nistp256' });
    const refusal = known.check('r2', '10.0.0.2', 2222, other);
    expect(refusal?.kind).toBe('hostkey');
    expect(refusal?.message).toContain(`${file}:3`);
    expect(refusal?.message).toContain(`ssh-keygen -R "[10.0.0.2]:2222" -f ${file}`);
  });

  it('refuses revoked keys and unknown hosts; records new ones only when asked', () => {
    expect(known.verdict('10.0.0.9', 22, other).kind).toBe('revoked');
    expect(known.check('r4', '10.0.0.4', 22, ed)?.message).toContain('--accept-new-host-keys');
    const accepting = new KnownHosts(file, true);
    expect(accepting.check('r4', '10.0.0.4', 22, ed)).toBeNull();
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)).toBe(line('10.0.0.4', ed));
    expect(new KnownHosts(file).verdict('10.0.0.4', 22, ed)).toEqual({ kind: 'known' });
  });
});
