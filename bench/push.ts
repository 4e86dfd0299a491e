/**
 * `npm run bench:push -- --devices 1000 [--concurrency 50]`
 *
 * Starts a lab in a separate process (`callhome lab --json --port 0`), pushes the CLI.md desired
 * configuration with verification, and reports devices/s, wall time, per-device p50/p99 and peak RSS.
 * Baseline: bare ssh2 sessions (no prompt parsing beyond "ends in > # or Password:", no parsing,
 * no planning) doing the same round trips against the same lab. Goal: push wall ÷ baseline wall ≤ 2×.
 * `measureOurPush` is the same measurement without the baseline, for other benches (bench/ansible.ts).
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
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, machineNotes, numberArg, percentile } from './support.js';

const repoRoot = join(import.meta.dirname, '..');

/** A lab running in its own process: the inventory and known_hosts it wrote, and how to stop it. */
export type LabProcess = { readonly inventory: string; readonly knownHosts: string; readonly stop: () => Promise<void> };

/** Starts `callhome lab --devices N --port 0 --json` in a child process writing into `dir`; resolves once it is ready. */
export async function startLabProcess(devices: number, dir: string): Promise<LabProcess> {
  const inventory = join(dir, 'inventory.yaml');
  const knownHosts = join(dir, 'known_hosts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/callhome.ts', 'lab', '--devices', String(devices), '--port', '0', '--state-dir', join(dir, 'state'), '--inventory-out', inventory, '--known-hosts-out', knownHosts, '--json'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
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
  // Wait for the lab to exit so the next bench in this process starts on a quiet machine.
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { inventory, knownHosts, stop };
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

/** What one push of the CLI.md desired configuration to a lab fleet measured. */
export type PushMeasurement = {
  readonly devicesPerSecond: number;
  readonly wallMs: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
};

type PushRun = PushMeasurement & { readonly commands: readonly string[]; readonly failures: readonly string[] };

/** A temp dir holding a copy of the CLI.md desired configuration. */
function benchDir(): { dir: string; desired: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-push-'));
  const desired = join(dir, 'desired.yaml');
  copyFileSync(join(repoRoot, 'test/fixtures/desired/cli-md-example.yaml'), desired);
  return { dir, desired };
}

/** Push + verify through the real `callhome push` handler against a running lab. */
async function pushOnLab(lab: LabProcess, desired: string, concurrency: number, save = false): Promise<PushRun> {
  const settings = SettingsSchema.parse({ timeout: 60, connectTimeout: 60, concurrency });
  const started = performance.now();
  const report = await runFleetPush({ inventory: lab.inventory, knownHosts: lab.knownHosts, json: true, config: desired, concurrency, save }, { stdout: new Sink(), settings });
  const wallMs = performance.now() - started;
  const durations = report.results.map((r) => r.durationMs).sort((a, b) => a - b);
  const failed = report.results.filter((r) => !r.ok);
  return {
    devicesPerSecond: report.results.length / (wallMs / 1000),
    wallMs,
    ok: report.summary.ok,
    failed: failed.length,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    commands: report.results.find((r) => r.ok && r.commands.length > 0)?.commands ?? [],
    failures: failed.map((f) => `${f.host}: ${f.error?.kind ?? '?'} ${f.error?.message ?? ''}`),
  };
}

/**
 * Starts a lab of `devices` in its own process, pushes the CLI.md desired configuration to all of them
 * with verification (concurrency 50 by default; `save` adds write memory, as Ansible's save_when does),
 * stops the lab and returns the figures.
 */
export async function measureOurPush(options: { devices: number; concurrency?: number; save?: boolean }): Promise<PushMeasurement> {
  const { dir, desired } = benchDir();
  try {
    const lab = await startLabProcess(options.devices, dir);
    try {
      const run = await pushOnLab(lab, desired, options.concurrency ?? 50, options.save ?? false);
      return { devicesPerSecond: run.devicesPerSecond, wallMs: run.wallMs, ok: run.ok, failed: run.failed, p50Ms: run.p50Ms, p99Ms: run.p99Ms };
    } finally {
      await lab.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const devices = numberArg('devices', 200);
  const concurrency = numberArg('concurrency', 50);
  const notes = machineNotes();
  const { dir, desired } = benchDir();
  console.log(`starting a lab of ${devices} devices in a separate process…`);
  const lab = await startLabProcess(devices, dir);
  try {
    const run = await pushOnLab(lab, desired, concurrency);
    console.log(`push + verify: ${run.ok}/${devices} ok, ${run.failed} failed`);
    for (const f of run.failures.slice(0, 5)) console.log(`  ${f}`);

    // Same round trips, bare: login, enable, paging, read, configure, end, read back.
    const script = ['enable', 'cisco', 'terminal length 0', 'terminal width 511', 'show running-config | section call-home', 'configure terminal', ...run.commands, 'end', 'show running-config | section call-home'];
    const inventory = loadInventory(lab.inventory);
    const limit = pLimit(concurrency);
    const baseStarted = performance.now();
    await Promise.all(inventory.hosts.map((h) => limit(() => bareSession(h.port, script))));
    const baseWallMs = performance.now() - baseStarted;
    const baseRate = devices / (baseWallMs / 1000);
    const ratio = run.wallMs / baseWallMs;
    const bareLabel = `bare ssh2, ${script.length} round trips per device`;
    const figures: BenchFigure[] = [
      { id: 'push.wallMs', label: `push + verify wall time, ${devices} devices`, value: Math.round(run.wallMs), unit: 'ms', baseline: { label: bareLabel, value: Math.round(baseWallMs) }, ratio, goal: { text: 'push ÷ bare ssh2 ≤ 2×', met: ratio <= 2 } },
      { id: 'push.devicesPerSecond', label: 'push + verify throughput', value: run.devicesPerSecond, unit: 'devices/s', baseline: { label: bareLabel, value: baseRate }, ratio: run.devicesPerSecond / baseRate },
      { id: 'push.ok', label: 'devices pushed and verified', value: run.ok, unit: 'devices', goal: { text: `all ${devices}`, met: run.ok === devices } },
      { id: 'push.p50Ms', label: 'per-device time p50', value: Math.round(run.p50Ms), unit: 'ms' },
      { id: 'push.p99Ms', label: 'per-device time p99', value: Math.round(run.p99Ms), unit: 'ms' },
      { id: 'push.peakRssMiB', label: 'peak RSS of the pushing process', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' },
    ];
    writeBenchSection({
      bench: 'push',
      title: `Push: ${devices} lab devices, concurrency ${concurrency}`,
      command: `npm run bench:push -- --devices ${devices}${concurrency === 50 ? '' : ` --concurrency ${concurrency}`}`,
      figures,
      notes: [...notes, 'the lab runs in a separate process; the baseline runs against the same lab after the push'],
    });
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
