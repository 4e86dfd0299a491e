/** `callhome parse` end to end through bin/callhome.js, plus the in-process handler and the command lookup. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runParse } from '../../../commands/parse.js';
import { AbortError } from '../../../src/errors.js';
import { findShowParser } from '../../../src/ios/parsers/index.js';

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, '../../fixtures/ios');
const BIN = 'bin/callhome.js';

/** Runs the executable with `input` on stdin; resolves with exit code and output. */
function runWithStdin(args: readonly string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('callhome parse (bin)', () => {
  it('prints the statistics data of a saved file as one JSON document', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'parse', 'show call-home statistics', '--file', join(FIXTURES, 'show-call-home-statistics/classic-guide-003.txt'), '--json']);
    const data = JSON.parse(stdout) as { sections: { success: { inventory: unknown } }; lastSent: string };
    expect(data.sections.success.inventory).toEqual({ total: 2, email: 2, http: 0 });
    expect(data.lastSent).toBe('2010-01-11 18:32:32 GMT+00:00');
  });

  it('reads standard input and accepts IOS abbreviations', async () => {
    const input = 'Please wait. Checking for mail server status ...\nMail-server[1]: Address: 10.0.0.1 Priority: 1 [Available]\n';
    const result = await runWithStdin(['parse', 'sh call mail stat', '--json'], input);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ servers: [{ address: '10.0.0.1', priority: 1, available: true }] });
  });

  it('exits 1 with the failing line and nothing on stdout when the text is not that command\'s output', async () => {
    const result = await runWithStdin(['parse', 'show call-home statistics', '--json'], "R1#show call-home statistics\n% Invalid input detected at '^' marker.\n");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`line 2: "% Invalid input detected at '^' marker."`);
  });

  it('returns what it read and lists the line it did not understand (issue 12: one bad line no longer loses the device)', async () => {
    const result = await runWithStdin(['parse', 'show call-home statistics', '--json'], 'Message Types Total Email HTTP\nTotal Success 1 x 0\n');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ unparsed: [{ line: 2, text: 'Total Success 1 x 0' }] });
  });
});

describe('runParse and findShowParser', () => {
  it('parses running-config with the serial given', async () => {
    let out = '';
    const code = await runParse(
      { command: 'show run | section call-home', file: join(FIXTURES, 'show-running-config/classic-guide-2-7.txt'), json: true, serial: '9ABCDEF1234' },
      { stdout: (t) => (out += t) },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ serviceEnabled: true, contactEmail: 'technical@example.com' });
  });

  it('refuses an unknown command and a missing file with what to do next', async () => {
    await expect(runParse({ command: 'show clock' }, { readStdin: () => Promise.resolve('') })).rejects.toBeInstanceOf(AbortError);
    await expect(runParse({ command: 'show call-home', file: '/nonexistent/x.txt' })).rejects.toThrow(/Cannot read \/nonexistent\/x\.txt \(ENOENT\)/);
  });

  it('maps the command names of CLI.md and abbreviations to parsers', () => {
    expect(findShowParser('show call-home')?.command).toBe('show call-home');
    expect(findShowParser('show call-home detail')?.command).toBe('show call-home detail');
    expect(findShowParser('sh call-home alert')?.command).toBe('show call-home alert-group');
    expect(findShowParser('show call-home profile all')?.command).toBe('show call-home profile all');
    expect(findShowParser('show call-home profile noc-http')?.command).toBe('show call-home profile noc-http');
    expect(findShowParser('show running-config | section call-home')?.command).toBe('show running-config');
    expect(findShowParser('show call-home bogus')).toBeUndefined();
  });
});
