/**
 * `npm run bench:push -- --devices 1000 [--concurrency 50] [--rtt-devices 200] [--rtt-ms 20]`
 *
 * Starts labs in a separate process (`callhome lab --json --port 0`), pushes the docs/cli.md desired
 * configuration with read-back verification and `--save`, and reports devices/s, wall time, per-device
 * p50/p99 and peak RSS, for the pipelined push (the default) and `--line-by-line`. Each push gets a
 * fresh lab booted from the same pristine state, so both modes make the same change.
 *
 * Same-run baselines, bare ssh2 sessions against the same lab (no prompt parsing beyond counting
 * prompts, no parsing, no planning):
 * - the floor: connect, read once (paging off + the call-home section in one write), write the whole
 *   change once, read back once, save: 7 round trips with the login and enable. Goal: push ÷ floor ≤ 1.5×.
 * - today's round trips: the same lines one per round trip (about 40), as line-by-line mode does.
 * With `--rtt-ms` of simulated link latency (lab fault rttMs), pipelined and line-by-line pushes run
 * on `--rtt-devices` devices, `--rtt-concurrency` (10) at once so that the link, not the CPU, bounds
 * them. Goal: pipelined at least 4× faster than line by line. Last, one session of each mode to one
 * device at `--rtt-ms` has its packets timestamped (bench/push-round-trips.ts): its round trips.
 * `measureOurPush` is the same measurement without the baselines, for other benches (bench/ansible.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
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
import { measureRoundTrips } from './push-round-trips.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, loadAverageText, machineNotes, numberArg, percentile } from './support.js';

const repoRoot = join(import.meta.dirname, '..');

/** A lab running in its own process: the inventory and known_hosts it wrote, and how to stop it. */
export type LabProcess = { readonly inventory: string; readonly knownHosts: string; readonly stop: () => Promise<void> };

/**
 * Starts `callhome lab --devices N --port 0 --json` in a child process writing into `dir`; resolves once
 * it is ready. `stateDir` (default `dir/state`) lets several labs boot from copies of one state.
 */
export async function startLabProcess(devices: number, dir: string, options: { readonly rttMs?: number; readonly stateDir?: string } = {}): Promise<LabProcess> {
  const inventory = join(dir, 'inventory.yaml');
  const knownHosts = join(dir, 'known_hosts');
  const rtt = options.rttMs ? ['--rtt-ms', String(options.rttMs)] : [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/callhome.ts', 'lab', '--devices', String(devices), '--port', '0', '--state-dir', options.stateDir ?? join(dir, 'state'), '--inventory-out', inventory, '--known-hosts-out', knownHosts, ...rtt, '--json'],
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

/** Prompts (and the enable password question) in a reply; each line sent gets exactly one. */
const PROMPTS = /R\d+(?:\([\w-]+\))?[>#]|Password:/g;

/**
 * One bare session: each group of lines is written at once, then read until every line in it got its
 * prompt (one round trip per group); the first, empty group waits for the login prompt.
 */
async function bareSession(port: number, groups: readonly (readonly string[])[]): Promise<void> {
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
  let expected = 1;
  let waiter: (() => void) | null = null;
  const answered = (): boolean => /(?:[>#]|Password:)\s*$/.test(buffer) && (buffer.match(PROMPTS)?.length ?? 0) >= expected;
  stream.on('data', (d: Buffer) => {
    buffer += d.toString();
    if (waiter && answered()) {
      const done = waiter;
      waiter = null;
      done();
    }
  });
  for (const group of groups) {
    await new Promise<void>((resolve) => {
      if (group.length > 0) {
        buffer = '';
        expected = group.length;
        stream.write(group.map((line) => `${line}\n`).join(''));
      }
      if (answered()) resolve();
      else waiter = resolve;
    });
  }
  client.end();
}

/** The floor's round trips: login prompt, enable, secret, read, the change, read back, save. */
function floorScript(commands: readonly string[]): string[][] {
  return [[], ['enable'], ['cisco'], ['terminal length 0', RUNNING], ['configure terminal', ...commands, 'end'], [RUNNING], ['write memory']];
}

/** Today's round trips, one line each (what line-by-line mode does). */
function lineByLineScript(commands: readonly string[]): string[][] {
  return [[], ['enable'], ['cisco'], ['terminal length 0'], ['terminal width 511'], [RUNNING], ['configure terminal'], ...commands.map((c) => [c]), ['end'], [RUNNING], ['write memory']];
}

const RUNNING = 'show running-config | section call-home';

/** Runs `script` on every device of the lab, `concurrency` at once; returns the wall time. */
async function bareFleet(lab: LabProcess, script: readonly (readonly string[])[], concurrency: number): Promise<number> {
  const inventory = loadInventory(lab.inventory);
  const limit = pLimit(concurrency);
  const started = performance.now();
  await Promise.all(inventory.hosts.map((h) => limit(() => bareSession(h.port, script))));
  return performance.now() - started;
}

class Sink extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    done();
  }
}

/** What one push of the docs/cli.md desired configuration to a lab fleet measured. */
export type PushMeasurement = {
  readonly devicesPerSecond: number;
  readonly wallMs: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
};

type PushRun = PushMeasurement & { readonly commands: readonly string[]; readonly failures: readonly string[] };

/** A temp dir holding a copy of the docs/cli.md desired configuration. */
function benchDir(): { dir: string; desired: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-push-'));
  const desired = join(dir, 'desired.yaml');
  copyFileSync(join(repoRoot, 'test/fixtures/desired/cli-md-example.yaml'), desired);
  return { dir, desired };
}

/** Push + verify through the real `callhome push` handler against a running lab. */
async function pushOnLab(lab: LabProcess, desired: string, concurrency: number, save = false, lineByLine = false): Promise<PushRun> {
  const settings = SettingsSchema.parse({ timeout: 60, connectTimeout: 60, concurrency });
  const started = performance.now();
  const report = await runFleetPush({ inventory: lab.inventory, knownHosts: lab.knownHosts, json: true, config: desired, concurrency, save, lineByLine }, { stdout: new Sink(), settings });
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
 * Starts a lab of `devices` in its own process, pushes the docs/cli.md desired configuration to all of them
 * with verification (concurrency 50 by default; `save` adds write memory, as Ansible's save_when does),
 * stops the lab and returns the figures.
 */
export async function measureOurPush(options: { devices: number; concurrency?: number; save?: boolean; lineByLine?: boolean }): Promise<PushMeasurement> {
  const { dir, desired } = benchDir();
  try {
    const lab = await startLabProcess(options.devices, dir);
    try {
      const run = await pushOnLab(lab, desired, options.concurrency ?? 50, options.save ?? false, options.lineByLine ?? false);
      return { devicesPerSecond: run.devicesPerSecond, wallMs: run.wallMs, ok: run.ok, failed: run.failed, p50Ms: run.p50Ms, p99Ms: run.p99Ms };
    } finally {
      await lab.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A pristine lab state (host keys, identities, nothing saved), made once and copied for every lab of a run. */
async function pristineState(devices: number, dir: string): Promise<string> {
  const state = join(dir, 'pristine');
  const lab = await startLabProcess(devices, join(dir), { stateDir: state });
  await lab.stop();
  return state;
}

/** A push on a fresh lab booted from a copy of `state`; `within` runs more work on the same lab afterwards. */
async function pushOnFreshLab<T>(
  devices: number,
  dir: string,
  state: string,
  run: { desired: string; concurrency: number; lineByLine: boolean; rttMs?: number },
  within?: (lab: LabProcess, push: PushRun) => Promise<T>,
): Promise<{ push: PushRun; extra: T | undefined }> {
  const labDir = mkdtempSync(join(dir, 'lab-'));
  cpSync(state, join(labDir, 'state'), { recursive: true });
  const lab = await startLabProcess(devices, labDir, run.rttMs ? { rttMs: run.rttMs } : {});
  try {
    const push = await pushOnLab(lab, run.desired, run.concurrency, true, run.lineByLine);
    const extra = within ? await within(lab, push) : undefined;
    return { push, extra };
  } finally {
    await lab.stop();
    rmSync(labDir, { recursive: true, force: true });
  }
}

function report(label: string, run: PushRun, devices: number): void {
  console.log(`${label}: ${run.ok}/${devices} ok in ${(run.wallMs / 1000).toFixed(1)} s (${run.devicesPerSecond.toFixed(1)} devices/s), load ${loadAverageText()}`);
  for (const f of run.failures.slice(0, 5)) console.log(`  ${f}`);
}

async function main(): Promise<void> {
  const devices = numberArg('devices', 200);
  const concurrency = numberArg('concurrency', 50);
  const rttMs = numberArg('rtt-ms', 20);
  const rttDevices = numberArg('rtt-devices', Math.min(devices, 200));
  // Over a WAN the link, not the CPU, must be the bottleneck for the RTT comparison: fewer sessions at once.
  const rttConcurrency = numberArg('rtt-concurrency', 10);
  const notes = machineNotes();
  const { dir, desired } = benchDir();
  try {
    console.log(`making a pristine state for ${Math.max(devices, rttDevices)} devices…`);
    const state = await pristineState(Math.max(devices, rttDevices), dir);

    const pipelined = await pushOnFreshLab(devices, dir, state, { desired, concurrency, lineByLine: false });
    report('pipelined push + verify + save', pipelined.push, devices);
    const commands = pipelined.push.commands;
    const { push: lineByLine, extra: bare } = await pushOnFreshLab(devices, dir, state, { desired, concurrency, lineByLine: true }, async (lab) => ({
      floorMs: await bareFleet(lab, floorScript(commands), concurrency),
      todayMs: await bareFleet(lab, lineByLineScript(commands), concurrency),
    }));
    report('line-by-line push + verify + save', lineByLine, devices);
    const loadAfterLan = loadAverageText();
    if (!bare) throw new Error('the baselines did not run');
    console.log(`bare ssh2 floor: ${(bare.floorMs / 1000).toFixed(1)} s; bare ssh2 line by line: ${(bare.todayMs / 1000).toFixed(1)} s`);

    const wanPipelined = await pushOnFreshLab(rttDevices, dir, state, { desired, concurrency: rttConcurrency, lineByLine: false, rttMs });
    report(`pipelined, ${rttMs} ms RTT`, wanPipelined.push, rttDevices);
    const wanLineByLine = await pushOnFreshLab(rttDevices, dir, state, { desired, concurrency: rttConcurrency, lineByLine: true, rttMs });
    report(`line by line, ${rttMs} ms RTT`, wanLineByLine.push, rttDevices);
    const loadAfterWan = loadAverageText();
    // One session each, its packets timestamped: the waits themselves, which load barely moves.
    const tripsPipelined = await measureRoundTrips({ rttMs, lineByLine: false });
    const tripsLineByLine = await measureRoundTrips({ rttMs, lineByLine: true });
    console.log(`round trips of one push session at ${rttMs} ms RTT: pipelined ${tripsPipelined.roundTrips} (${tripsPipelined.ms.toFixed(0)} ms), line by line ${tripsLineByLine.roundTrips} (${tripsLineByLine.ms.toFixed(0)} ms), load ${loadAverageText()}`);

    const floorRate = devices / (bare.floorMs / 1000);
    const todayRate = devices / (bare.todayMs / 1000);
    const floorRatio = pipelined.push.wallMs / bare.floorMs;
    const wanSpeedup = wanLineByLine.push.wallMs / wanPipelined.push.wallMs;
    const floorLabel = `bare ssh2, the floor's ${floorScript(commands).length} round trips`;
    const todayLabel = `bare ssh2, ${lineByLineScript(commands).length} round trips (one line each)`;
    const figures: BenchFigure[] = [
      { id: 'push.wallMs', label: `pipelined push + verify + save, ${devices} devices`, value: Math.round(pipelined.push.wallMs), unit: 'ms', baseline: { label: floorLabel, value: Math.round(bare.floorMs) }, ratio: floorRatio, goal: { text: 'push ÷ floor ≤ 1.5×', met: floorRatio <= 1.5 } },
      { id: 'push.devicesPerSecond', label: 'pipelined push throughput', value: pipelined.push.devicesPerSecond, unit: 'devices/s', baseline: { label: floorLabel, value: floorRate }, ratio: pipelined.push.devicesPerSecond / floorRate },
      { id: 'push.lineByLine.wallMs', label: `--line-by-line push + verify + save, ${devices} devices`, value: Math.round(lineByLine.wallMs), unit: 'ms', baseline: { label: todayLabel, value: Math.round(bare.todayMs) }, ratio: lineByLine.wallMs / bare.todayMs },
      { id: 'push.lineByLine.devicesPerSecond', label: '--line-by-line throughput', value: lineByLine.devicesPerSecond, unit: 'devices/s', baseline: { label: todayLabel, value: todayRate }, ratio: lineByLine.devicesPerSecond / todayRate },
      { id: 'push.ok', label: 'devices pushed, verified and saved (pipelined / line by line)', value: pipelined.push.ok, unit: 'devices', goal: { text: `all ${devices}, both modes`, met: pipelined.push.ok === devices && lineByLine.ok === devices } },
      { id: 'push.p50Ms', label: 'per-device time p50 (pipelined)', value: Math.round(pipelined.push.p50Ms), unit: 'ms' },
      { id: 'push.p99Ms', label: 'per-device time p99 (pipelined)', value: Math.round(pipelined.push.p99Ms), unit: 'ms' },
      {
        id: 'push.wan.wallMs',
        label: `pipelined push, ${rttDevices} devices, ${rttMs} ms RTT`,
        value: Math.round(wanPipelined.push.wallMs),
        unit: 'ms',
        baseline: { label: `--line-by-line, same link`, value: Math.round(wanLineByLine.push.wallMs) },
        ratio: wanSpeedup,
        goal: { text: 'line by line ÷ pipelined ≥ 4×', met: wanSpeedup >= 4 },
      },
      { id: 'push.wan.devicesPerSecond', label: `pipelined throughput, ${rttMs} ms RTT`, value: wanPipelined.push.devicesPerSecond, unit: 'devices/s', baseline: { label: '--line-by-line, same link', value: wanLineByLine.push.devicesPerSecond } },
      {
        id: 'push.roundTrips',
        label: `round trips of one pipelined push + verify + save session (${rttMs} ms RTT, packets timestamped)`,
        value: tripsPipelined.roundTrips,
        unit: 'round trips',
        baseline: { label: 'the same session --line-by-line', value: tripsLineByLine.roundTrips },
        ratio: tripsLineByLine.roundTrips / tripsPipelined.roundTrips,
        goal: { text: 'both sessions ok', met: tripsPipelined.ok && tripsLineByLine.ok },
      },
      { id: 'push.peakRssMiB', label: 'peak RSS of the pushing process', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' },
    ];
    writeBenchSection({
      bench: 'push',
      title: `Push: ${devices} lab devices, concurrency ${concurrency}; ${rttDevices} devices at ${rttMs} ms RTT, concurrency ${rttConcurrency}`,
      command: `npm run bench:push -- --devices ${devices}${concurrency === 50 ? '' : ` --concurrency ${concurrency}`} --rtt-devices ${rttDevices} --rtt-ms ${rttMs} --rtt-concurrency ${rttConcurrency}`,
      figures,
      notes: [
        ...notes,
        `load average after the LAN runs: ${loadAfterLan}; after the ${rttMs} ms RTT runs: ${loadAfterWan}`,
        'each push runs on a fresh lab process booted from the same pristine state; the bare baselines run on the line-by-line lab afterwards',
        `RTT: the lab delays everything a device sends by ${rttMs} ms (lab fault rttMs), the SSH handshake included`,
      ],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
