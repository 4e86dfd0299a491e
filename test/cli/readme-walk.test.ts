/**
 * Walking the README's subcommand examples as a new user found these through the real executable;
 * each test runs `bin/callhome.js` as a user would and reads what the user reads.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs the executable against a back end that is not there (port 9 on loopback: discard, never listening). */
async function callhome(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_TOKEN: 'x', CALLHOME_CONFIG_DIR: '/nonexistent-callhome-config' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the README examples, run as a user would', () => {
  it('notifications ca-certificate-update VERSION passes the version on (yargs reserves `version`) and warns about nothing', async () => {
    const r = await callhome('notifications', 'ca-certificate-update', 'QuoVadis-2028', '--backend', 'http://127.0.0.1:9');
    expect(r.stderr).not.toMatch(/reserved word/);
    expect(r.stderr).not.toMatch(/Name the root certificate bundle version/);
    // It got as far as the back end, which is not there.
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(r.code).toBe(1);
  });
});
