/**
 * Walks the README's install and "first session by hand" on a fresh clone, line by line, as a new
 * user would paste them (issue 13, "The first session, from a clean clone").
 *
 * - The repository is `git clone`d into a temporary directory: only what is committed is walked.
 * - Install: `npm ci` compiles better-sqlite3 from source (90 s alone, minutes on a loaded 2-core
 *   machine), so by default the clone gets a hard-linked copy of this checkout's node_modules and
 *   `npm run prepare` (the build `npm ci` runs after installing) in place of that one line.
 *   FIRST_SESSION_NPM_CI=1 runs the README's `npm ci` itself (needs the registry).
 *   `npm link` runs as written, into a temporary npm prefix whose bin/ is then on PATH.
 * - The session runs in its own network namespace (`unshare -rn`: its own loopback) and PID namespace,
 *   so the README's fixed ports 8080 and 2525 never meet another program's, and every process the
 *   session started ends with it. Without user namespaces it runs on this machine's loopback, if those
 *   ports are free.
 * - HOME, the settings directory and the npm prefix are fresh: nothing of this machine's set-up helps.
 * - `ssh` and `callhome console` need a person at a terminal: see walkScript.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INSTALL_HEADING, SESSION_HEADING, STEP_MARKER, lineKind, shellBlockAfter, walkScript } from './readme-session.js';

const root = join(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const installLines = shellBlockAfter(readme, INSTALL_HEADING);
const sessionLines = shellBlockAfter(readme, SESSION_HEADING);

const work = mkdtempSync(join(tmpdir(), 'callhome-first-session-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The README's own `npm ci` instead of a copy of node_modules (slow: it compiles better-sqlite3). */
const REAL_NPM_CI = process.env['FIRST_SESSION_NPM_CI'] === '1';

const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z])/g;
/** The console's status bar: its first frame is on the terminal. */
const CONSOLE_FRAME_MARKER = 'q quit';

function has(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The session's environment: a fresh HOME and settings, `callhome` from the npm prefix `npm link` filled. */
function sessionEnv(prefix: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('CALLHOME_') || name.startsWith('VITEST') || name === 'NODE_OPTIONS' || name === 'CI') delete env[name]; // a person's terminal: Ink draws only the last frame under CI
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  return {
    ...env,
    HOME: home,
    CALLHOME_CONFIG_DIR: join(work, 'settings'),
    npm_config_prefix: prefix,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`,
  };
}

function install(checkout: string, env: NodeJS.ProcessEnv): string[] {
  const ran: string[] = [];
  for (const line of installLines) {
    if (line === 'npm ci' && !REAL_NPM_CI) {
      execFileSync('cp', ['-al', join(root, 'node_modules'), join(checkout, 'node_modules')]);
      execFileSync('npm', ['run', 'prepare'], { cwd: checkout, env, stdio: 'pipe' });
      ran.push('cp -al node_modules && npm run prepare');
    } else {
      execFileSync('bash', ['-c', line], { cwd: checkout, env, stdio: 'pipe', timeout: 1_500_000 });
      ran.push(line);
    }
  }
  return ran;
}

type Walk = { readonly output: string; readonly code: number | null; readonly consoleFrame: string | null };

/** Runs the session script; types `q` into the console once its first frame is drawn. */
async function walk(checkout: string, env: NodeJS.ProcessEnv, isolated: boolean): Promise<Walk> {
  const script = join(work, 'walk.sh');
  writeFileSync(script, walkScript(sessionLines));
  const [command, args] = isolated
    ? ['unshare', ['-rn', '--pid', '--fork', '--kill-child', 'bash', '-c', `ip link set lo up && exec bash ${script}`]]
    : ['bash', [script]];
  const child = spawn(command as string, args as string[], { cwd: checkout, env, stdio: ['pipe', 'pipe', 'pipe'], detached: !isolated });
  let output = '';
  let consoleFrame: string | null = null;
  let consoleStart = -1;
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (consoleStart < 0) consoleStart = output.indexOf(' console\n');
    if (consoleFrame === null && consoleStart >= 0) {
      const screen = output.slice(consoleStart).replace(ANSI, '');
      if (screen.includes(CONSOLE_FRAME_MARKER)) {
        consoleFrame = screen;
        child.stdin.write('q');
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const limit = setTimeout(() => {
    output += '\n@@timeout\n';
    if (isolated) child.kill('SIGKILL');
    else if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, 420_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(limit);
  return { output, code, consoleFrame };
}

/** Output of line `index`: from its start marker to its exit status. */
function lineOutput(output: string, index: number): string {
  const start = output.indexOf(`@@line ${index} `);
  const end = output.indexOf(`@@step ${index} rc=`);
  return start < 0 || end < 0 ? '' : output.slice(start, end).replace(ANSI, '');
}

describe("README's first session on a fresh clone", () => {
  it('the README never sends users to npx or to ../shared, and names what the session needs', () => {
    expect(readme).not.toMatch(/npx callhome/);
    expect(readme).not.toMatch(/\.\.\/shared/);
    expect(installLines).toEqual(['npm ci', 'npm link']);
    const console = sessionLines.find((l) => lineKind(l) === 'console');
    expect(console).toMatch(/--known-hosts lab-known_hosts/);
    expect(console).toMatch(/--config examples\/desired\.yaml/);
    // The token comes from the environment, never from a command line.
    expect(sessionLines.some((l) => /^export CALLHOME_TOKEN=/.test(l))).toBe(true);
    expect(sessionLines.filter((l) => /--token\b/.test(l))).toEqual([]);
    for (const line of sessionLines) expect(line).not.toMatch(/^npx\s/);
  });

  it(
    'every line works when pasted in order',
    async () => {
      expect(has('git', ['--version']), 'git is needed').toBe(true);
      expect(has('ssh', ['-V']), 'OpenSSH ssh is needed').toBe(true);
      expect(has('script', ['--version']), 'util-linux script is needed (the console runs on a pty)').toBe(true);
      const isolated = has('unshare', ['-rn', '--pid', '--fork', 'ip', 'link', 'set', 'lo', 'up']);
      if (!isolated) {
        expect(await portFree(8080), 'port 8080 is taken and user namespaces are not available').toBe(true);
        expect(await portFree(2525), 'port 2525 is taken and user namespaces are not available').toBe(true);
      }

      const checkout = join(work, 'callhome');
      execFileSync('git', ['clone', '--quiet', root, checkout]);
      const prefix = join(work, 'npm-prefix');
      const env = sessionEnv(prefix);
      install(checkout, env);
      // `npm link` put callhome on PATH: a link into the clone.
      expect(execFileSync('bash', ['-c', 'command -v callhome'], { cwd: checkout, env, encoding: 'utf8' }).trim()).toBe(join(prefix, 'bin', 'callhome'));

      const { output, code, consoleFrame } = await walk(checkout, env, isolated);
      const context = `\n--- session output ---\n${output.replace(ANSI, '')}`;
      expect(output, context).toContain('@@end');
      expect(code, context).toBe(0);

      const statuses = new Map([...output.matchAll(STEP_MARKER)].map((m) => [Number(m[1]), Number(m[2])]));
      expect(statuses.size, context).toBe(sessionLines.length);
      sessionLines.forEach((line, i) => {
        const kind = lineKind(line);
        const out = lineOutput(output, i);
        if (kind === 'ssh') {
          // Host key accepted from lab-known_hosts and the port read from the inventory; only the password is missing.
          expect(out, `${line}${context}`).toMatch(/Permission denied/);
          expect(out, `${line}${context}`).not.toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION|Connection refused/);
        } else {
          expect(statuses.get(i), `${line}${context}`).toBe(0);
        }
      });

      const outputOf = (prefixText: string) => lineOutput(output, sessionLines.findIndex((l) => l.startsWith(prefixText)));
      expect(outputOf('callhome contracts import')).toMatch(/Imported 5 contract rows/);
      expect(outputOf('callhome push')).toMatch(/5 devices: 5 ok, 0 failed, 5 changed/);
      expect(outputOf('callhome verify')).toMatch(/5 devices: 5 ok, 0 failed/);
      expect(outputOf('callhome verify').match(/received in \d+ ms/g)).toHaveLength(5);
      expect(outputOf('callhome stats')).toMatch(/5 devices: 5 ok, 0 failed/);
      expect(outputOf('callhome devices')).toMatch(/R1[\s\S]*R5|R5[\s\S]*R1/);
      // The token file of step 1 is readable by its owner only.
      expect(statSync(join(checkout, 'callhome.token')).mode & 0o777).toBe(0o600);
      // The console drew its first frame on the lab's fleet, connected to the back end with the token.
      expect(consoleFrame, context).not.toBeNull();
      expect(consoleFrame).not.toMatch(/unauthorized/i);
    },
    // npm ci took over 10 minutes at a load average of 28 on 2 cores.
    REAL_NPM_CI ? 1_800_000 : 600_000,
  );
});
