/** Public-key login from an inventory key-file, against the lab over real SSH. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../../src/util/ssh-keys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetExec } from '../../commands/exec.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-key-auth-'));
const keyFile = join(dir, 'id_ed25519');
let lab: Lab;

beforeAll(async () => {
  const pair = generateSshKeyPair('ed25519');
  writeFileSync(keyFile, pair.privateKey, { mode: 0o600 });
  lab = await startLab({ devices: 1, stateDir: join(dir, 'state'), password: 'not-used-here', authorizedKeys: [pair.publicKey] });
  await lab.writeKnownHosts(join(dir, 'known_hosts'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    `hosts:\n  r1:\n    host: 127.0.0.1\n    port: ${lab.device('r1').port}\n    username: admin\n    key-file: ${keyFile}\n    enable-secret: cisco\n`,
  );
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('key-file authentication', () => {
  it('logs in with the key and no password at all', async () => {
    const report = await runFleetExec(
      { inventory: join(dir, 'inventory.yaml'), knownHosts: join(dir, 'known_hosts'), json: true, command: 'show clock' },
      { stdout: new Capture(), settings: SettingsSchema.parse({ timeout: 5 }), env: {} },
    );
    expect(report.results[0]?.error).toBeNull();
    expect(report.results[0]?.ok).toBe(true);
  });
});
