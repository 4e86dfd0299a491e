/**
 * `npm run bench:push -- --devices 1000 [--concurrency 50]`
 *
 * Starts a lab in a separate process (`callhome lab --json --port 0`), pushes the CLI.md desired
 * configuration with verification, and prints devices/s, wall time, per-device p50/p99 and peak RSS.
 * Baseline: bare ssh2 sessions (no prompt parsing beyond "ends in > # or Password:", no parsing,
 * no planning) doing the same round trips against the same lab; prints push / baseline.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import pLimit from 'p-limit';
import ssh2 from 'ssh2';
import { runFleetPush } from '../commands/push.js';
import { loadInventory } from '../src/fleet/inventory.js';
import { SettingsSchema } from '../src/settings.js';


function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function startLabProcess(devices: number, dir: string): Promise<{ inventory: string; knownHosts: string; stop: () => void }> {
  const inventory = join(dir, 'inventory.yaml');
  const knownHosts = join(dir, 'known_hosts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/callhome.ts', 'lab', '--devices', String(devices), '--port', '0', '--state-dir', join(dir, 'state'), '--inventory-out', inventory, '--known-hosts-out', knownHosts, '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = createInterface({ input: child.stdout });
  const errors = createInterface({ input: child.stderr });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the lab exited (${code ?? 'signal'}) before it was ready`)));
      // The lab reports a failed start on stderr; do not wait forever for a ready line then.
      errors.on('line', (line) => {
        process.stderr.write(`lab: ${line}\n`);
        if (/^Error/.test(line)) reject(new Error(`the lab failed to start: ${line}`));
      });
      lines.on('line', (line) => {
        if (line.includes('"ready"')) resolve();
      });
    });
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return { inventory, knownHosts, stop: () => child.kill('SIGTERM') };
}

/** One bare session: the given lines, each waiting for a prompt-like ending. */
async function bareSession(port: number, lines: readonly string[]): Promise<void> {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.setNoDelay(true);
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({ sock, username: 'admin', password: 'admin', hostVerifier: () => true });
  });
  const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) => client.shell({ term: 'vt100', cols: 511 }, (e, s) => (e ? reject(e) : resolve(s))));
  let buffer = '';
  let waiter: (() => void) | null = null;
  stream.on('data', (d: Buffer) => {
    buffer += d.toString();
    if (waiter && /(?:[>#]|Password:)\s*$/.test(buffer)) {
      const done = waiter;
      waiter = null;
      done();
    }
  });
  const roundTrip = (line: string | null) =>
    new Promise<void>((resolve) => {
      waiter = resolve;
      if (line !== null) {
        buffer = '';
        stream.write(`${line}\n`);
      } else if (/(?:[>#]|Password:)\s*$/.test(buffer)) {
        waiter = null;
        resolve();
      }
    });
  await roundTrip(null);
  for (const line of lines) await roundTrip(line);
  client.end();
}

class Sink extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    done();
  }
}

async function main(): Promise<void> {
  const devices = arg('devices', 200);
  const concurrency = arg('concurrency', 50);
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-push-'));
  const desired = join(dir, 'desired.yaml');
  copyFileSync(join(import.meta.dirname, '../test/fixtures/desired/cli-md-example.yaml'), desired);
  console.log(`starting a lab of ${devices} devices in a separate process…`);
  const lab = await startLabProcess(devices, dir);
  try {
    const settings = SettingsSchema.parse({ timeout: 60, connectTimeout: 60, concurrency });
    const started = performance.now();
    const report = await runFleetPush({ inventory: lab.inventory, knownHosts: lab.knownHosts, json: true, config: desired, concurrency }, { stdout: new Sink(), settings });
    const wall = performance.now() - started;
    const durations = report.results.map((r) => r.durationMs).sort((a, b) => a - b);
    const failed = report.results.filter((r) => !r.ok);
    console.log(`push + verify: ${report.summary.ok}/${devices} ok, ${report.summary.changed} changed, ${failed.length} failed`);
    for (const f of failed.slice(0, 5)) console.log(`  ${f.host}: ${f.error?.kind} ${f.error?.message}`);
    console.log(`  wall ${(wall / 1000).toFixed(2)} s · ${(devices / (wall / 1000)).toFixed(1)} devices/s · p50 ${percentile(durations, 50).toFixed(0)} ms · p99 ${percentile(durations, 99).toFixed(0)} ms`);

    // Same round trips, bare: login, enable, paging, read, configure, end, read back.
    const commands = report.results.find((r) => r.ok && r.commands.length > 0)?.commands ?? [];
    const script = ['enable', 'cisco', 'terminal length 0', 'terminal width 511', 'show running-config | section call-home', 'configure terminal', ...commands, 'end', 'show running-config | section call-home'];
    const inventory = loadInventory(lab.inventory);
    const limit = pLimit(concurrency);
    const baseStarted = performance.now();
    await Promise.all(inventory.hosts.map((h) => limit(() => bareSession(h.port, script))));
    const baseWall = performance.now() - baseStarted;
    console.log(`baseline (bare ssh2, ${script.length} round trips per device): wall ${(baseWall / 1000).toFixed(2)} s · ${(devices / (baseWall / 1000)).toFixed(1)} devices/s`);
    console.log(`ratio push/baseline: ${(wall / baseWall).toFixed(2)}× (goal ≤ 2×)`);
    console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
