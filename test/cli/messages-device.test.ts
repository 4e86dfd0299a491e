/**
 * `callhome messages --device`: one device, by its serial exactly or its whole host name in any case (an engineer
 * types `r1` for the `R1` the device was configured with); a part of a name is --hostname's. The real
 * executable against a real back end fed over HTTP ingest.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';

let backend: TestBackend;

beforeAll(async () => {
  backend = await startTestBackend();
  const devices = [
    ['FDO2113A0KT', 'R1'],
    ['FDO2113A0KU', 'r1-backup'],
    ['FDO2113A0KV', 'core-R1'],
  ] as const;
  for (const [i, [serial, hostname]] of devices.entries()) {
    expect((await postXml(backend.url, sampleWith({ serial, hostname, messageId: `M${i}:${serial}:1` }))).status).toBe(200);
  }
}, 60_000);
afterAll(async () => backend?.stop());

/** `callhome messages --json` with these flags; the serials of the messages it lists. */
function serialsListed(flags: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['bin/callhome.js', 'messages', '--json', '--backend', backend.url, ...flags], { env: { ...process.env, CALLHOME_TOKEN: TOKEN } }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      resolve((JSON.parse(stdout) as { messages: { serial: string }[] }).messages.map((m) => m.serial).sort());
    });
  });
}

describe('callhome messages --device', () => {
  it('finds a device by its whole host name typed in any case', async () => {
    expect(await serialsListed(['--device', 'r1'])).toEqual(['FDO2113A0KT']);
    expect(await serialsListed(['--device', 'R1'])).toEqual(['FDO2113A0KT']);
    expect(await serialsListed(['--device', 'CORE-r1'])).toEqual(['FDO2113A0KV']);
  }, 60_000);

  it('finds a device by its serial, exactly', async () => {
    expect(await serialsListed(['--device', 'FDO2113A0KU'])).toEqual(['FDO2113A0KU']);
    expect(await serialsListed(['--device', 'FDO2113A0K'])).toEqual([]);
  }, 60_000);

  it('leaves a part of a host name to --hostname, which finds every device whose name has it', async () => {
    expect(await serialsListed(['--device', 'core'])).toEqual([]);
    expect(await serialsListed(['--hostname', 'r1'])).toEqual(['FDO2113A0KT', 'FDO2113A0KU', 'FDO2113A0KV']);
  }, 60_000);
});
