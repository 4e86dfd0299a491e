/**
 * Issue 11 item 9 for the query commands: device and message text never reaches the terminal as
 * control codes in human output (tables, event lines); --json and --ndjson keep the data as it came.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvents } from '../../commands/events.js';
import { runMessages } from '../../commands/messages.js';
import { runDevices } from '../../commands/devices.js';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';

const HOSTILE = 'fan \u001b]0;owned\u0007 \u001b[2J\u009b31m \u202egnp.exe';

describe('control codes from devices on a terminal', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startTestBackend();
    expect((await postXml(b.url, sampleWith({ serial: 'ESC0001', hostname: 'R\u001b[1mX', messageId: 'M1:ESC0001:1', description: HOSTILE }))).status).toBe(200);
  });
  afterAll(async () => {
    await b.stop();
  });

  const run = async (f: (stdout: (t: string) => void) => Promise<void>): Promise<string> => {
    let out = '';
    await f((t) => (out += t));
    return out;
  };
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

  it('escapes them in tables and keeps them in --json', async () => {
    const table = await run((stdout) => runMessages({ backend: b.url, token: TOKEN, json: false }, { stdout, timeStyle: 'utc' }));
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain('\\e[1mX');
    const json = await run((stdout) => runMessages({ backend: b.url, token: TOKEN, json: true }, { stdout }));
    expect((JSON.parse(json) as { messages: { description: string }[] }).messages[0]?.description).toBe(HOSTILE);
    const devices = await run((stdout) => runDevices({ backend: b.url, token: TOKEN, json: false }, { stdout, timeStyle: 'utc' }));
    expect(devices).not.toMatch(CONTROL);
    expect(devices).toContain('R\\e[1mX');
  });

  it('escapes them in readable event lines and keeps them in --ndjson', async () => {
    const human = await run((stdout) => runEvents({ ndjson: false, follow: false, since: 0, type: ['message.received'] }, { stdout, stderr: () => undefined, connection: { url: b.url, token: TOKEN } }));
    expect(human).not.toMatch(CONTROL);
    expect(human).toContain('R\\e[1mX');
    const ndjson = await run((stdout) => runEvents({ ndjson: true, follow: false, since: 0, type: ['message.received'] }, { stdout, stderr: () => undefined, connection: { url: b.url, token: TOKEN } }));
    expect(ndjson).toContain('\\u001b[1mX');
    expect((JSON.parse(ndjson.trim()) as { message: { hostname: string } }).message.hostname).toBe('R\u001b[1mX');
  });
});
