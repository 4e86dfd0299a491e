/**
 * Issue 13, "Bulk runs": on a terminal only the failures (grouped by kind) and a summary with a ready
 * `--limit`; the full table with --output table; retry files and `--limit @FILE`; case-insensitive
 * --limit over inventory names and hostnames; shell completion of hosts and groups. Real lab devices.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { loadInventory } from '../../src/fleet/inventory.js';
import { selectHosts } from '../../src/fleet/limit.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from '../fleet/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-bulk-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const settings = SettingsSchema.parse({ timeout: 5, connectTimeout: 2 });
let lab: Lab;

/** A captured stdout that says it is a terminal. */
class Terminal extends Capture {
  override readonly isTTY: boolean = true;
}

beforeAll(async () => {
  lab = await startLab({ devices: 6, stateDir: join(dir, 'state'), faults: { r3: { refuseLogin: true }, r5: { unreachable: true }, r6: { unreachable: true } } });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = { inventory, knownHosts, command: 'show clock' };
const deps = (stdout: Capture) => ({ stdout, stderr: new Capture(), settings, env: {} });

describe('a fleet run on a terminal', () => {
  it('prints only the failures grouped by kind, a summary line and a --limit @retry-file that selects exactly them', async () => {
    const stdout = new Terminal();
    const logDir = join(dir, 'logs');
    const report = await runFleetExec({ ...base, logDir }, deps(stdout));
    expect(report.exitCode).toBe(2);
    const text = stdout.text;
    expect(text).toMatch(/^unreachable \(2\):\n {2}r5: .*cannot connect.*\n {2}r6: /m);
    expect(text).toMatch(/^auth \(1\):\n {2}r3: .*authentication/m);
    expect(text).not.toMatch(/r1|r2|r4/);
    expect(text).toContain('6 devices: 3 ok, 3 failed, 0 changed');
    const retry = join(logDir, 'callhome.retry');
    expect(text).toContain(`Run again on the 3 failed: --limit @${retry}`);
    expect(readFileSync(retry, 'utf8')).toBe('r3\nr5\nr6\n');

    // The hint works as printed: the retry run touches only the failed hosts.
    const again = new Capture();
    const retried = await runFleetExec({ ...base, limit: `@${retry}`, json: true }, deps(again));
    expect((JSON.parse(again.text) as { results: { host: string }[] }).results.map((r) => r.host)).toEqual(['r3', 'r5', 'r6']);
    expect(retried.summary.total).toBe(3);
  });

  it('--output table prints every device; without a retry file the hint lists the hosts', async () => {
    const stdout = new Terminal();
    await runFleetExec({ ...base, output: 'table' }, deps(stdout));
    for (const host of ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']) expect(stdout.text).toMatch(new RegExp(`│ ${host}\\s+│`));
    expect(stdout.text).toContain('Run again on the 3 failed: --limit r3,r5,r6');
  });

  it('--retry-file writes the failed hosts; a clean run removes the stale list', async () => {
    const file = join(dir, 'my.retry');
    await runFleetExec({ ...base, retryFile: file, json: true }, deps(new Capture()));
    expect(readFileSync(file, 'utf8')).toBe('r3\nr5\nr6\n');
    const report = await runFleetExec({ ...base, limit: 'r1,r2', retryFile: file, json: true }, deps(new Capture()));
    expect(report.exitCode).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe('--limit', () => {
  it('matches inventory names, hostnames and groups whatever their case', async () => {
    const inv = loadInventory(inventory);
    expect(selectHosts(inv, 'R1').map((h) => h.name)).toEqual(['r1']);
    expect(selectHosts(inv, 'LAB:!R2').map((h) => h.name)).toEqual(['r1', 'r3', 'r4', 'r5', 'r6']);
    const file = join(dir, 'named.yaml');
    writeFileSync(file, 'hosts:\n  edge-a:\n    host: 127.0.0.1\n    vars: { hostname: CORE-RTR-1 }\n  edge-b:\n    host: 127.0.0.1\n');
    const named = loadInventory(file);
    expect(selectHosts(named, 'core-rtr-*').map((h) => h.name)).toEqual(['edge-a']);
    expect(selectHosts(named, '~^EDGE-B$').map((h) => h.name)).toEqual(['edge-b']);
    // The real run agrees.
    const stdout = new Capture();
    await runFleetExec({ ...base, limit: 'R4', json: true }, deps(stdout));
    expect((JSON.parse(stdout.text) as { results: { host: string; ok: boolean }[] }).results).toMatchObject([{ host: 'r4', ok: true }]);
  });

  it('@FILE that cannot be read or lists nothing is a clear error', () => {
    const inv = loadInventory(inventory);
    expect(() => selectHosts(inv, `@${join(dir, 'missing')}`)).toThrow(/cannot read the file \(ENOENT\)/);
    writeFileSync(join(dir, 'empty.retry'), '\n');
    expect(() => selectHosts(inv, `@${join(dir, 'empty.retry')}`)).toThrow(/lists no host/);
  });
});

describe('callhome completion', () => {
  const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir, ...env } }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });

  it('prints a bash script, and a zsh one under zsh', async () => {
    expect(await run(['completion'], { SHELL: '/bin/bash' })).toContain('complete -o bashdefault -o default -F _callhome_yargs_completions callhome');
    expect(await run(['completion'], { SHELL: '/bin/zsh' })).toContain('compdef _callhome_yargs_completions callhome');
  }, 240_000);

  it('completes subcommands, flags, and host and group names from the inventory after --limit', async () => {
    expect((await run(['--get-yargs-completions', 'callhome', ''])).split('\n')).toEqual(expect.arrayContaining(['push', 'exec', 'verify', 'completion']));
    expect((await run(['--get-yargs-completions', 'callhome', 'exec', '--'])).split('\n')).toEqual(expect.arrayContaining(['--limit', '--output', '--retry-file']));
    // A path option gets no suggestion, so the shell completes file names.
    expect((await run(['--get-yargs-completions', 'callhome', 'exec', 'x', '--inventory', ''])).trim()).toBe('');
    const hosts = (await run(['--get-yargs-completions', 'callhome', 'exec', 'show clock', '--inventory', inventory, '--limit', ''])).trim().split('\n');
    expect(hosts).toEqual(expect.arrayContaining(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'lab']));
    expect(hosts.every((h) => h === 'all' || h === 'lab' || /^r\d$/.test(h))).toBe(true);
    expect((await run(['--get-yargs-completions', 'callhome', 'exec', 'x', '-i', inventory, '-l', 'r1,!R'])).trim().split('\n')).toEqual(['r1,!r1', 'r1,!r2', 'r1,!r3', 'r1,!r4', 'r1,!r5', 'r1,!r6']);
  }, 240_000);
});
