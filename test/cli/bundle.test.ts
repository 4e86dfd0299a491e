import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_STAMP_FILE, buildBundle } from '../../scripts/build.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');
const entry = join(repoRoot, 'bin/callhome.js');
const fixture = join(repoRoot, 'test/fixtures/ios/show-call-home-detail/classic-lab-example.txt');

let dir: string;
let bundle: string;

/** `callhome ARGS` through the tsx entry (the bundle switched off). */
function viaTsx(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [entry, ...args], { cwd: repoRoot, env: { ...process.env, CALLHOME_BUNDLE: '0' } });
}

/** `callhome ARGS` through bin/callhome.js with the bundle directory `bundleDir`. */
function viaEntry(bundleDir: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CALLHOME_BUNDLE_DIR: bundleDir };
  delete env['CALLHOME_BUNDLE'];
  return run(process.execPath, [entry, ...args], { cwd: repoRoot, env });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callhome-bundle-test-'));
  const built = await buildBundle(join(dir, 'dist'));
  bundle = built.entry;
  // The bundle imports its external packages (ssh2, better-sqlite3, …) from a node_modules above it.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled build (scripts/build.ts)', () => {
  it('prints the same --help as the tsx entry', async () => {
    const [bundled, tsx] = await Promise.all([run(process.execPath, [bundle, '--help'], { cwd: repoRoot }), viaTsx(['--help'])]);
    expect(bundled.stdout).toContain('callhome console');
    expect(bundled.stdout).toBe(tsx.stdout);
  });

  it('parses saved show output to the same JSON as the tsx entry', async () => {
    const args = ['parse', 'show call-home detail', '--file', fixture, '--json'];
    const [bundled, tsx] = await Promise.all([run(process.execPath, [bundle, ...args], { cwd: repoRoot }), viaTsx(args)]);
    expect(JSON.parse(bundled.stdout)).toHaveProperty('settings');
    expect(bundled.stdout).toBe(tsx.stdout);
  });

  it('stamps the build with a time taken before the bundle was written', () => {
    const stamp: unknown = JSON.parse(readFileSync(join(dir, 'dist', BUILD_STAMP_FILE), 'utf8'));
    expect(stamp).toEqual({ builtAt: expect.any(Number) });
    expect((stamp as { builtAt: number }).builtAt).toBeLessThanOrEqual(statSync(bundle).mtimeMs);
  });
});

describe('bin/callhome.js picks the bundle only while it is fresh', () => {
  /** A stand-in bundle that only says it ran, with the given build time. */
  function fakeBundle(name: string, builtAt: number | undefined): string {
    const fake = join(dir, name);
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'callhome.js'), "process.stdout.write('from the bundle\\n');\n");
    if (builtAt !== undefined) writeFileSync(join(fake, BUILD_STAMP_FILE), JSON.stringify({ builtAt }));
    return fake;
  }

  it('runs a bundle built after every source', async () => {
    const { stdout } = await viaEntry(fakeBundle('fresh', Date.now() + 60_000), ['--version']);
    expect(stdout).toBe('from the bundle\n');
  });

  it('falls back to tsx when a source is newer than the bundle', async () => {
    // src/errors.ts was saved after this stamp, as after an edit since the last build.
    const stale = fakeBundle('stale', statSync(join(repoRoot, 'src/errors.ts')).mtimeMs - 1_000);
    const { stdout } = await viaEntry(stale, ['--version']);
    expect(stdout).toBe('0.1.0\n');
  });

  it('falls back to tsx when there is no build stamp', async () => {
    const { stdout } = await viaEntry(fakeBundle('unstamped', undefined), ['--version']);
    expect(stdout).toBe('0.1.0\n');
  });

  it('runs the real fresh bundle with the same output', async () => {
    const args = ['parse', 'show call-home detail', '--file', fixture];
    const [bundled, tsx] = await Promise.all([viaEntry(join(dir, 'dist'), args), viaTsx(args)]);
    expect(bundled.stdout).toBe(tsx.stdout);
  });
});
