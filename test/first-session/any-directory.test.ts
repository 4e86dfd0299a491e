/**
 * `npm link` puts callhome on PATH, so it starts from any directory. Without a fresh bundle it runs
 * through tsx, which must use the project's tsconfig (its JSX runtime), not look for one in the
 * current directory: the console's first frame is drawn on a pseudo-terminal started in a temp dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellWord } from './readme-session.js';

const root = join(import.meta.dirname, '../..');
const elsewhere = mkdtempSync(join(tmpdir(), 'callhome-elsewhere-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z])/g;

describe('callhome started outside the checkout', () => {
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('draws the console through tsx (no bundle) and quits on q', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CALLHOME_BUNDLE: '0', CALLHOME_CONFIG_DIR: join(elsewhere, 'settings') };
    delete env['CALLHOME_TOKEN'];
    // A person's terminal, not a CI job: Ink draws only the last frame when CI is set.
    delete env['CI'];
    const command = `stty cols 100 rows 30; exec node ${shellWord(join(root, 'bin/callhome.js'))} console`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: elsewhere, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const drawn = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.replace(ANSI, '').includes('q quit')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    await Promise.race([drawn, closed]);
    child.stdin.write('q');
    const code = await closed;
    expect(output.replace(ANSI, ''), output).not.toMatch(/React is not defined|ERROR/);
    expect(output.replace(ANSI, '')).toContain('1:fleet');
    expect(code).toBe(0);
  }, 60_000);
});
