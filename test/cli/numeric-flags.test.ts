/**
 * Every numeric flag is checked once, as it is read (numberOption / numberFlag in src/cli/options.ts): a value
 * that is not a number, or out of range, is a usage error naming the flag, the value given and what is
 * accepted, followed by the subcommand's --help and docs/cli.md; exit 1 (docs/cli.md), before anything runs.
 * The real executable (bin/callhome.js runs the bundle that `npm install` builds from these sources).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'callhome-numeric-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real executable with no back end, settings or inventory of the user's; resolves with its exit code and both outputs. */
function callhome(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CALLHOME_CONFIG_DIR: dir, CALLHOME_TOKEN: 'unused-token', CALLHOME_BACKEND: 'http://127.0.0.1:1' };
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env, cwd: process.cwd(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const inventory = join(dir, 'no-such-inventory.yaml');
const fleet = ['--inventory', inventory];

/** [command line, the error line, the hint line]. */
const CASES: readonly (readonly [readonly string[], string, string])[] = [
  [['push', ...fleet, '--config', 'x.yaml', '--concurrency', 'lots'], '--concurrency "lots" is not a positive whole number.', 'Give e.g. --concurrency 50.'],
  [['verify', ...fleet, '--config', 'x.yaml', '--concurrency', '0'], '--concurrency 0 is not a positive whole number.', 'Give e.g. --concurrency 50.'],
  [['send', 'test', ...fleet, '--concurrency', '2.5'], '--concurrency 2.5 is not a positive whole number.', 'Give e.g. --concurrency 50.'],
  [['stats', ...fleet, '--timeout', 'soon'], '--timeout "soon" is not a positive number of seconds.', 'Give e.g. --timeout 30.'],
  [['exec', 'show clock', ...fleet, '--connect-timeout', '0'], '--connect-timeout 0 is not a positive number of seconds.', 'Give e.g. --connect-timeout 5.'],
  [['stats', ...fleet, '--connect-attempts', '11'], '--connect-attempts 11 is not a whole number from 1 to 10.', 'Give e.g. --connect-attempts 3.'],
  [['verify', ...fleet, '--config', 'x.yaml', '--timeout', '-5'], '--timeout -5 is not a positive number of seconds.', 'Give e.g. --timeout 20.'],
  [['stats', ...fleet, '--concurrency', '5', '--concurrency', '6'], '--concurrency was given 2 times.', 'Give it once, e.g. --concurrency 50.'],
  [['serve', '--http-port', 'eighty'], '--http-port "eighty" is not a whole number from 0 to 65535.', 'Give e.g. --http-port 8080.'],
  [['serve', '--retention-days', '0'], '--retention-days 0 is not a positive whole number of days.', 'Give e.g. --retention-days 92.'],
  [['lab', '--smtp-port', '0'], '--smtp-port 0 is not a whole number from 1 to 65535.', 'Give e.g. --smtp-port 2525.'],
  [['lab', '--devices', 'lots'], '--devices "lots" is not a whole number from 1 to 5000.', 'Give e.g. --devices 10.'],
  [['demo', '--headless', '--devices', '0'], '--devices 0 is not a whole number from 1 to 500.', 'Give e.g. --devices 20.'],
  [['gateway', '--retry-max', 'never'], '--retry-max "never" is not a positive number of seconds.', 'Give e.g. --retry-max 60.'],
  [['cases', 'update', 'SR1', '--note', 'n', '--priority', '9'], '--priority 9 is not a whole number from 1 to 4.', 'Give e.g. --priority 2.'],
  [['messages', '--max', 'abc'], '--max "abc" is not a page size.', 'Give a whole number from 1 to 1000.'],
  [['notifications', '--max', '0'], '--max "0" is not a page size.', 'Give a whole number from 1 to 1000.'],
  [['audit', '--max', '5000'], '--max "5000" is not a whole number from 1 to 1000.', 'Give e.g. --max 100.'],
  [['events', '--since', 'yesterday'], '--since "yesterday" is not an event seq.', 'Give a whole number of 0 or more, such as the last seq printed (0 replays every stored event).'],
];

describe('numeric flags', () => {
  it.each(CASES)('%j is a usage error that names the flag, the value and what is accepted, exit 1', async (args, error, hint) => {
    const { code, stdout, stderr } = await callhome(args);
    expect(stderr).toBe(`Error: ${error}\n${hint}\nRun \`callhome ${args[0] ?? ''} --help\` for usage; docs/cli.md has every command, flag and exit code.\n`);
    expect(code).toBe(1);
    expect(stdout).toBe('');
  }, 60_000);

  it('a numeric flag with no value is a usage error too, never NaN', async () => {
    const { code, stderr } = await callhome(['stats', ...fleet, '--concurrency']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: Not enough arguments following: concurrency\nRun `callhome stats --help` for usage/);
  }, 60_000);

  it('a good value gets past the check (the run then fails on the missing inventory, not on the flag)', async () => {
    const { code, stderr } = await callhome(['stats', ...fleet, '--concurrency', '5', '--timeout', '1.5', '--connect-attempts', '2']);
    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot read the inventory ${inventory}`);
    expect(stderr).not.toContain('NaN');
  }, 60_000);
});
