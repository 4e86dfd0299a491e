/** Shared pieces of the gateway tests: free ports, `callhome gateway` in a child process, lab devices aimed at it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DDCE_SERVICE_PATH, newUserProfile } from '../../src/domain/callhome.js';
import type { LabDevice } from '../../src/lab/device.js';
import { queueFile } from '../../src/gateway/queue.js';
import { runGateway, type GatewayCommandOptions } from '../../commands/gateway.js';
import { TOKEN } from '../backend/helpers.js';

/** A port free right now (bound to 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export type GatewayProcess = { readonly child: ChildProcess; readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; readonly stderr: () => string };

const spawned = new Set<ChildProcess>();
const CLI = fileURLToPath(new URL('../../bin/callhome.ts', import.meta.url));

/** Runs `callhome <args>` to completion; resolves with its output and exit code. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `callhome gateway --json` in a child process; resolves once it prints ready. */
export function spawnGateway(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'gateway', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CALLHOME_LOG_LEVEL: 'warn', ...env } });
  spawned.add(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      spawned.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    void exited.then(({ code, signal }) => reject(new Error(`callhome gateway exited (${code ?? signal ?? '?'}) before ready: ${stderr}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.includes('"event":"ready"')) resolve({ child, exited, stderr: () => stderr });
    });
  });
}

/** Kills every gateway child still running (afterAll). */
export function killGateways(): void {
  for (const c of spawned) c.kill('SIGKILL');
}

/** Stops a gateway child with SIGTERM and waits for it. */
export async function stopGateway(g: GatewayProcess): Promise<void> {
  g.child.kill('SIGTERM');
  await g.exited;
}

/** Rows in the gateway's queue file, by state (read while the gateway runs: WAL). */
export function queueRows(dir: string): { queued: number; held: number; refused: number } {
  const db = new Database(queueFile(dir), { readonly: true, fileMustExist: true });
  try {
    const c = { queued: 0, held: 0, refused: 0 };
    for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM queue GROUP BY state').all() as { state: keyof typeof c; n: number }[]) c[r.state] = r.n;
    return c;
  } catch {
    return { queued: 0, held: 0, refused: 0 };
  } finally {
    db.close();
  }
}

/** Aims a lab device's Call Home at the gateway: HTTP posts to `httpUrl`, or mail to 127.0.0.1 (the lab's SMTP port). */
export function aimAtGateway(device: LabDevice, to: { http: string } | { email: true }): void {
  const running = device.running();
  const profile = {
    ...newUserProfile('gateway'),
    transportEmail: 'email' in to,
    transportHttp: 'http' in to,
    emailAddresses: 'email' in to ? ['callhome@service.example.com'] : [],
    httpUrls: 'http' in to ? [`${to.http}${DDCE_SERVICE_PATH}`] : [],
    subscriptions: { diagnostic: { severity: 'minor' as const } },
  };
  device.setRunning({
    ...running,
    callHome: { ...running.callHome, serviceEnabled: true, contactEmail: 'noc@example.com', senderFrom: 'router@example.com', rateLimit: 60, mailServers: 'email' in to ? [{ host: '127.0.0.1', priority: 1 }] : [], profiles: [profile] },
  });
}

/** Waits until `check` holds, polling every 100 ms, or throws after `ms` with `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `callhome gateway <action>` in this process, with the test token; resolves with what it printed. */
export async function gatewayCli(action: GatewayCommandOptions['action'], o: Partial<GatewayCommandOptions> & { backend: string; queueDir: string }): Promise<string> {
  let out = '';
  await runGateway({ action, httpPort: 0, host: '127.0.0.1', retryMax: 60, json: true, ...o }, { stdout: (t) => (out += t), stderr: () => undefined, env: { CALLHOME_TOKEN: TOKEN }, until: () => Promise.resolve() });
  return out;
}

/** Registers a gateway whose queue (and credentials) live in `queueDir`. */
export async function registerGateway(backend: string, queueDir: string, name: string): Promise<{ id: string }> {
  return JSON.parse(await gatewayCli('register', { backend, queueDir, name })) as { id: string };
}

/** Posts one message to a gateway's device path, as a device does; resolves with the HTTP status. */
export function postToGateway(port: number, xml: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: DDCE_SERVICE_PATH, method: 'POST', headers: { 'content-type': 'application/xml' } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(xml);
  });
}
