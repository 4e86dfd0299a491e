/**
 * Issue 11 item 10: known_hosts read as OpenSSH reads it. Each attack is mounted on loopback with lab
 * devices over real SSH: a device pinned by a wildcard, hashed or `[host]:port` pattern that presents
 * another key is a CHANGED key and refused, with --accept-new-host-keys or without, and the file is not
 * appended to; `!` negation, `@revoked` and `@cert-authority` behave as in OpenSSH.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { hostFieldMatches, KnownHosts } from '../../src/fleet/known-hosts.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from '../fleet/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-kh-openssh-'));
const inventory = join(dir, 'inventory.yaml');
const settings = SettingsSchema.parse({ timeout: 5, connectTimeout: 5 });
let lab: Lab;
/** Each device's real `type base64` key, and its known_hosts name. */
const keys = new Map<string, { key: string; name: string }>();

beforeAll(async () => {
  lab = await startLab({ devices: 2, stateDir: join(dir, 'state') });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(join(dir, 'real'));
  const lines = readFileSync(join(dir, 'real'), 'utf8').trim().split('\n');
  lab.devices.forEach((d, i) => {
    const [name, type, base64] = (lines[i] ?? '').split(' ');
    keys.set(d.name, { key: `${type} ${base64}`, name: name ?? '' });
  });
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const k = (host: string) => keys.get(host) ?? { key: '', name: '' };
const hashed = (name: string): string => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

type Result = { host: string; ok: boolean; error: { kind: string; message: string } | null };

/** Runs `exec show clock` on `limit` against a known_hosts file holding `lines`. */
async function run(lines: readonly string[], limit: string, acceptNewHostKeys: boolean): Promise<{ results: Result[]; file: string; before: string }> {
  const file = join(dir, `kh-${randomBytes(4).toString('hex')}`);
  const before = `${lines.join('\n')}\n`;
  writeFileSync(file, before);
  const stdout = new Capture();
  await runFleetExec({ inventory, knownHosts: file, acceptNewHostKeys, limit, json: true, command: 'show clock' }, { stdout, settings, env: {} });
  return { results: (JSON.parse(stdout.text) as { results: Result[] }).results, file, before };
}

describe('a changed key under a pattern entry is refused, with and without --accept-new-host-keys', () => {
  const patterns: readonly [string, (host: string) => string][] = [
    ['wildcard [127.0.0.*]:*', () => '[127.0.0.*]:*'],
    ['bare *', () => '*'],
    ['? wildcard', (h) => k(h).name.replace(/\d\]/, '?]')],
    ['hashed [host]:port', (h) => hashed(k(h).name)],
  ];
  for (const [label, pattern] of patterns) {
    it(label, async () => {
      // The pattern holds r2's key; r1 presents its own, which is another key.
      for (const accept of [false, true]) {
        const { results, file, before } = await run([`${pattern('r1')} ${k('r2').key}`], 'r1', accept);
        expect(results[0]?.ok).toBe(false);
        expect(results[0]?.error?.kind).toBe('hostkey');
        expect(results[0]?.error?.message).toContain('has CHANGED');
        expect(readFileSync(file, 'utf8')).toBe(before);
      }
      // And the same pattern with the right key is known.
      const good = await run([`${pattern('r1')} ${k('r1').key}`], 'r1', false);
      expect(good.results[0]?.ok).toBe(true);
    });
  }

  it('the lab fault: a device that swaps its key behind a wildcard pin is refused and not recorded', async () => {
    lab.device('r1').device.setFaults({ changedHostKey: true });
    try {
      const { results, file, before } = await run([`[127.0.0.1]:* ${k('r1').key}`], 'r1', true);
      expect(results[0]?.error?.message).toContain('has CHANGED');
      expect(readFileSync(file, 'utf8')).toBe(before);
    } finally {
      lab.device('r1').device.setFaults({});
    }
  });
});

describe('negation, @revoked and @cert-authority', () => {
  it('`!pattern` excludes a host from the entry: r2 is then unknown, r1 still pinned', async () => {
    const lines = [`*,!${k('r2').name} ${k('r1').key}`];
    const refused = await run(lines, 'r1,r2', false);
    expect(refused.results.map((r) => [r.host, r.ok])).toEqual([['r1', true], ['r2', false]]);
    expect(refused.results[1]?.error?.message).toContain('is not in');
    const accepted = await run(lines, 'r2', true);
    expect(accepted.results[0]?.ok).toBe(true);
    expect(readFileSync(accepted.file, 'utf8')).toContain(`${k('r2').name} ${k('r2').key}`);
  });

  it('@revoked refuses the key for the hosts the line covers, even when another line trusts it', async () => {
    const { results } = await run([`${k('r1').name} ${k('r1').key}`, `@revoked * ${k('r1').key}`], 'r1', true);
    expect(results[0]?.error?.kind).toBe('hostkey');
    expect(results[0]?.error?.message).toMatch(/revoked at .*:2/);
  });

  it('@cert-authority pins hosts to certificates callhome cannot verify: refused, never recorded as new', async () => {
    const { results, file, before } = await run([`@cert-authority [127.0.0.1]:* ${k('r2').key}`], 'r1', true);
    expect(results[0]?.error?.kind).toBe('hostkey');
    expect(results[0]?.error?.message).toContain('@cert-authority');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('matches patterns as OpenSSH does', () => {
    expect(hostFieldMatches('*', '[10.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222')).toBe(false);
    expect(hostFieldMatches('[10.0.0.?]:2222', '[10.0.0.7]:2222')).toBe(true);
    expect(hostFieldMatches('[10.0.0.?]:2222', '[10.0.0.17]:2222')).toBe(false);
    expect(hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
    expect(hostFieldMatches('!bad.example.com,*.example.com', 'bad.example.com')).toBe(false);
    expect(hostFieldMatches('!bad.example.com', 'good.example.com')).toBe(false);
    expect(hostFieldMatches('R1.Example.COM', 'r1.example.com')).toBe(true);
    expect(hostFieldMatches('a+b.example.com', 'aab.example.com')).toBe(false);
    expect(new KnownHosts('/nonexistent').verdict('10.0.0.1', 22, Buffer.from('x')).kind).toBe('unknown');
  });
});
