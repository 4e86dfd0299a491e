/**
 * Walking the README's subcommand examples as a new user found these through the real executable;
 * each test runs `bin/callhome.js` as a user would and reads what the user reads.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';

const run = promisify(execFile);

/** Runs the executable with a token in the environment and no settings of the user's. */
async function callhome(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_TOKEN: TOKEN, CALLHOME_CONFIG_DIR: '/nonexistent-callhome-config' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the README examples, run as a user would', () => {
  it('notifications ca-certificate-update VERSION passes the version on (yargs reserves `version`) and warns about nothing', async () => {
    // Port 9 on loopback (discard) never listens.
    const r = await callhome('notifications', 'ca-certificate-update', 'QuoVadis-2028', '--backend', 'http://127.0.0.1:9');
    expect(r.stderr).not.toMatch(/reserved word/);
    expect(r.stderr).not.toMatch(/Name the root certificate bundle version/);
    // It got as far as the back end, which is not there.
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(r.code).toBe(1);
  });

  describe('a mistyped serial, case or token', () => {
    let b: TestBackend;
    beforeAll(async () => {
      b = await startTestBackend();
    });
    afterAll(async () => {
      await b.stop();
    });

    it('says what was not found, which command lists the right ones, and where the commands are described', async () => {
      for (const [args, lists] of [
        [['devices', '9S1NMSF22DW'], '`callhome devices` lists the serials'],
        [['reports', 'device', '9S1NMSF22DW'], '`callhome devices` lists the serials'],
        [['cases', '690000001'], '`callhome cases` lists the case numbers'],
        [['tokens', 'revoke', '3f9a0c1d22e4'], '`callhome tokens` lists your token IDs'],
        [['registration', 'contract', 'FOC1', 'C-200'], '`callhome registrations` lists the registrations'],
      ] as const) {
        const r = await callhome(...args, '--backend', b.url);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toMatch(/failed \(404\): .+ (does not exist|no token)/);
        expect(r.stderr).toContain(lists);
        expect(r.stderr).toContain('docs/cli.md');
      }
    }, 60_000);
  });
});
