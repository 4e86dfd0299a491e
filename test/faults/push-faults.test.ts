/**
 * Issue 6, Faults: a fleet push where 10 % of the devices carry injected faults (refused login,
 * a session dropped in the middle of the configuration lines, slow devices on both sides of the
 * timeout, unreachable). Afterwards every device's REAL end state is read from the lab device
 * objects (not over SSH) and must equal what its result reports; a device left partly configured
 * must be reported as such.
 *
 * CI size: 100 devices; `FAULT_SCALE=full` (npm run test:faults): 1,000 devices.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleetPush } from '../../commands/push.js';
import type { CallHomeConfig } from '../../src/domain/callhome.js';
import { loadDesiredConfig, type DesiredConfig } from '../../src/fleet/desired.js';
import { planPush, planRestore, verifyConfig } from '../../src/fleet/plan.js';
import type { PushData } from '../../src/fleet/push.js';
import type { FleetError, FleetResult } from '../../src/domain/fleet.js';
import { startLab, type DeviceFaults, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from '../fleet/helpers.js';
import { faultScale, scaled } from '../support/scale.js';

const REPO = join(import.meta.dirname, '../..');
const DESIRED_FILE = join(REPO, 'test/fixtures/desired/cli-md-example.yaml');
/** The push's --timeout; the full run gives the handshakes of 1,000 devices on 2 shared cores more room. */
const TIMEOUT_S = scaled(2, 5);
const TIMEOUT_MS = TIMEOUT_S * 1000;
/**
 * Counted commands of a (pipelined) push session before its first configuration line: enable, then
 * one write of terminal length, terminal width, show version, show running-config and the guard line
 * (terminal length 0), then configure terminal.
 */
const COMMANDS_BEFORE_CONFIG = 7;
/** Responses the lab delays before the first configuration line's: the commands above plus the enable secret. */
const RESPONSES_BEFORE_CONFIG = 8;

/** The injected faults; the four kinds of the issue, with variants on both sides of what a push must survive. */
const FAULT_KINDS = ['refuse-login', 'drop', 'drop-once', 'drop-flap', 'drop-at-save', 'slow-fail', 'slow-ok', 'stall-once', 'stall-stuck', 'unreachable'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The lab reads `dropAfterCommands` once per answered command and `slowMs` once per response, so
 * getters with a counter make a fault strike at one exact configuration line (`line`, 1-based).
 */
function faultsFor(kind: FaultKind, line: number, planLength: number): DeviceFaults {
  const dropAt = COMMANDS_BEFORE_CONFIG + line;
  const stallAt = RESPONSES_BEFORE_CONFIG + line;
  let reads = 0;
  switch (kind) {
    case 'refuse-login':
      return { refuseLogin: true };
    case 'unreachable':
      return { unreachable: true };
    case 'slow-fail':
      return { slowMs: 3 * TIMEOUT_MS };
    case 'slow-ok':
      return { slowMs: TIMEOUT_MS / 20 };
    case 'drop':
      // Every session drops there, the restore session too.
      return { dropAfterCommands: dropAt };
    case 'drop-at-save':
      // Drops once the verifying read is answered (after the lines, `end`, `show running-config` and its guard line): `write memory` goes unanswered.
      return { dropAfterCommands: COMMANDS_BEFORE_CONFIG + planLength + 3 };
    case 'drop-once':
      return {
        get dropAfterCommands() {
          reads += 1;
          return reads <= dropAt ? dropAt : undefined;
        },
      };
    case 'drop-flap':
      // The link gets worse: later sessions drop after their first configuration line, so the restore cannot finish.
      return {
        get dropAfterCommands() {
          reads += 1;
          return reads <= dropAt ? dropAt : COMMANDS_BEFORE_CONFIG + 1;
        },
      };
    case 'stall-once':
      return {
        get slowMs() {
          reads += 1;
          return reads === stallAt ? 2 * TIMEOUT_MS : 0;
        },
      };
    case 'stall-stuck':
      // Hangs from that line on: nothing can restore or even read it afterwards.
      return {
        get slowMs() {
          reads += 1;
          return reads >= stallAt ? 3 * TIMEOUT_MS : 0;
        },
      };
  }
}

type Outcome = { readonly kind: FleetError['kind']; readonly message: RegExp };

/** The error each fault must produce; null: the push must succeed. */
const EXPECTED_ERROR: Readonly<Record<FaultKind, Outcome | null>> = {
  'refuse-login': { kind: 'auth', message: /authentication/ },
  unreachable: { kind: 'unreachable', message: /cannot connect/ },
  'slow-fail': { kind: 'timeout', message: new RegExp(`within ${TIMEOUT_MS} ms`) },
  'slow-ok': null,
  drop: { kind: 'session-closed', message: /closed/ },
  'drop-once': { kind: 'session-closed', message: /closed/ },
  'drop-flap': { kind: 'session-closed', message: /closed/ },
  'drop-at-save': { kind: 'session-closed', message: /saving it failed/ },
  'stall-once': { kind: 'timeout', message: new RegExp(`within ${TIMEOUT_MS} ms`) },
  'stall-stuck': { kind: 'timeout', message: new RegExp(`within ${TIMEOUT_MS} ms`) },
};

/**
 * The end states each fault may leave; undefined: the push never reached the device's configuration.
 * A restore needs a new session, which a loaded machine may not open within the timeout; the report
 * must then say `partial` or `unknown` (checkDevice holds it to the device's real state).
 */
const EXPECTED_END_STATES: Readonly<Record<FaultKind, readonly PushData['endState'][] | undefined>> = {
  'refuse-login': undefined,
  unreachable: undefined,
  'slow-fail': undefined,
  'slow-ok': ['desired'],
  // Restore plans are shorter than what they undo, so even a session that drops at the same count restores.
  drop: ['original', 'partial', 'unknown'],
  'drop-once': ['original', 'partial', 'unknown'],
  'drop-flap': ['partial', 'unknown'],
  // A verified push is not rolled back because `write memory` failed.
  'drop-at-save': ['desired'],
  'stall-once': ['original', 'partial', 'unknown'],
  'stall-stuck': ['unknown'],
};

type Scenario = {
  readonly lab: Lab;
  readonly dir: string;
  readonly inventory: string;
  readonly knownHosts: string;
  /** Fault of each faulty device, by name. */
  readonly faults: ReadonlyMap<string, FaultKind>;
  /** Running call-home configuration of each device before the push. */
  readonly original: ReadonlyMap<string, CallHomeConfig>;
};

/** Starts a lab of `devices` where every tenth device is faulty, the kinds taken in turn. */
async function startScenario(devices: number, planLength: number): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-push-faults-'));
  const faults = new Map<string, FaultKind>();
  const injected: Record<string, DeviceFaults> = {};
  for (let i = 10, n = 0; i <= devices; i += 10, n++) {
    const kind = FAULT_KINDS[n % FAULT_KINDS.length] ?? 'drop';
    // A line from the 6th to the one before the last, so that several lines are on each side.
    const line = 6 + ((n * 7) % (planLength - 6));
    faults.set(`r${i}`, kind);
    injected[`r${i}`] = faultsFor(kind, line, planLength);
  }
  const lab = await startLab({ devices, stateDir: join(dir, 'state'), faults: injected });
  const inventory = join(dir, 'inventory.yaml');
  const knownHosts = join(dir, 'known_hosts');
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
  const original = new Map(lab.devices.map((d) => [d.name, d.device.running().callHome]));
  return { lab, dir, inventory, knownHosts, faults, original };
}

async function stopScenario(s: Scenario | undefined): Promise<void> {
  if (!s) return;
  await s.lab.close();
  rmSync(s.dir, { recursive: true, force: true });
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/**
 * Checks one device's reported outcome against its real end state; returns the end state the report
 * claims (`unreached` when the push never got to read the device).
 */
function checkDevice(s: Scenario, desired: DesiredConfig, result: FleetResult): string {
  const handle = s.lab.device(result.host);
  const running = handle.device.running().callHome;
  const startup = handle.device.startup();
  const original = s.original.get(result.host);
  if (!original) throw new Error(`no original configuration of ${result.host}`);
  const data = result.data as Partial<PushData>;
  const where = `${result.host} (${s.faults.get(result.host) ?? 'healthy'}): ${result.error?.message ?? 'ok'}`;
  const leftover = planRestore(running, original).changes;

  if (result.ok) {
    expect(data.endState, where).toBe('desired');
    expect(verifyConfig(running, desired), where).toEqual([]);
    expect(data.saved, where).toBe(true);
    expect(startup && verifyConfig(startup.callHome, desired), where).toEqual([]);
    return 'desired';
  }
  const claimed = data.endState ?? 'unreached';
  switch (claimed) {
    case 'unreached':
    case 'original':
      // Never touched, or rolled back: exactly the configuration it had.
      expect(leftover, where).toEqual([]);
      expect(result.changed, where).toBe(false);
      expect(data.partial ?? false, where).toBe(false);
      break;
    case 'partial':
      // Reported as partly configured, with exactly the settings that differ.
      expect(leftover.length, where).toBeGreaterThan(0);
      expect(data.leftover, where).toEqual(plain(leftover));
      expect(data.partial, where).toBe(true);
      expect(result.changed, where).toBe(true);
      expect(result.error?.message, where).toContain('LEFT PARTLY CONFIGURED');
      break;
    case 'unknown':
      // Could not be read back: the report must say it may be partly configured.
      expect(data.partial, where).toBe(true);
      expect(result.error?.message, where).toContain('MAY BE LEFT PARTLY CONFIGURED');
      break;
    case 'desired':
      // Applied and verified, only saving failed.
      expect(verifyConfig(running, desired), where).toEqual([]);
      expect(data.saved, where).toBe(false);
      expect(result.changed, where).toBe(true);
      expect(result.error?.message, where).toContain('the startup configuration may not hold it');
      break;
  }
  if (claimed !== 'desired') expect(startup, `${where}: a failed push must not save`).toBeNull();
  return claimed;
}

/** Checks every result and the fault each faulty device carries; returns the count of each end state. */
function checkRun(s: Scenario, desired: DesiredConfig, results: readonly FleetResult[], hosts: readonly string[]): Record<string, number> {
  expect(results.map((r) => r.host)).toEqual(hosts);
  const counts: Record<string, number> = {};
  for (const result of results) {
    const claimed = checkDevice(s, desired, result);
    counts[claimed] = (counts[claimed] ?? 0) + 1;
    const fault = s.faults.get(result.host);
    const where = `${result.host} (${fault ?? 'healthy'}): ${result.error?.message ?? 'ok'}`;
    const expected = fault ? EXPECTED_ERROR[fault] : null;
    if (!fault || !expected) {
      expect(result.ok, where).toBe(true);
      continue;
    }
    expect(result.error?.kind, where).toBe(expected.kind);
    expect(result.error?.message, where).toMatch(expected.message);
    const endState = (result.data as Partial<PushData>).endState;
    const allowed = EXPECTED_END_STATES[fault];
    if (allowed) expect(allowed, where).toContain(endState);
    else expect(endState, where).toBeUndefined();
  }
  return counts;
}

const DEVICES = scaled(100, 1000);
const settings = SettingsSchema.parse({ timeout: 30, connectTimeout: 10 });
let desired: DesiredConfig;
let planLength = 0;

beforeAll(async () => {
  desired = await loadDesiredConfig(DESIRED_FILE);
  // Every lab device starts from the same factory call-home settings, so one plan tells the length.
  const probeDir = mkdtempSync(join(tmpdir(), 'callhome-push-probe-'));
  const probe = await startLab({ devices: 1, stateDir: probeDir });
  planLength = planPush(probe.device('r1').device.running().callHome, desired, { prune: false }).commands.length;
  await probe.close();
  rmSync(probeDir, { recursive: true, force: true });
  expect(planLength).toBeGreaterThan(12);
});

type PushDoc = { readonly results: FleetResult[]; readonly summary: { total: number; ok: number; failed: number; changed: number } };
type PushRun = (s: Scenario, flags: readonly string[]) => Promise<{ readonly doc: PushDoc; readonly exitCode: number }>;

/** The flags of the push, as `callhome push` takes them. */
const pushFlags = (s: Scenario): string[] => ['--inventory', s.inventory, '--known-hosts', s.knownHosts, '--config', DESIRED_FILE, '--save', '--timeout', String(TIMEOUT_S), '--concurrency', '50', '--json'];

/** runFleetPush in this process. */
const inProcess: PushRun = async (s) => {
  const stdout = new Capture();
  const report = await runFleetPush(
    { inventory: s.inventory, knownHosts: s.knownHosts, json: true, config: DESIRED_FILE, save: true, timeout: TIMEOUT_S, concurrency: 50 },
    { stdout, stderr: new Capture(), settings, env: {} },
  );
  return { doc: JSON.parse(stdout.text) as PushDoc, exitCode: report.exitCode };
};

/** The real executable in a child process (its settings in the scenario's directory: timeout 30 s, connect timeout 10 s, as `settings`). */
const viaBinary: PushRun = (s, flags) =>
  new Promise((resolve, reject) => {
    const env = { ...process.env, CALLHOME_CONFIG_DIR: join(s.dir, 'config') };
    execFile(process.execPath, ['bin/callhome.js', 'push', ...flags], { env, cwd: REPO, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? Number(error.code ?? 1) : 0;
      try {
        resolve({ doc: JSON.parse(stdout) as PushDoc, exitCode });
      } catch {
        reject(new Error(`callhome push exited ${exitCode} without a JSON document: ${stderr}`));
      }
    });
  });

/**
 * Runs the scenario with `push` and checks every device and the totals; `select` limits the push to
 * some devices (`--limit`), the others must stay as they were.
 */
async function pushAndCheck(devices: number, push: PushRun, label: string, select?: (name: string, faulty: boolean) => boolean): Promise<Scenario> {
  const scenario = await startScenario(devices, planLength);
  try {
    const names = scenario.lab.devices.map((d) => d.name);
    const hosts = select ? names.filter((n) => select(n, scenario.faults.has(n))) : names;
    const started = performance.now();
    const { doc, exitCode } = await push(scenario, [...pushFlags(scenario), ...(select ? ['--limit', hosts.join(',')] : [])]);
    const seconds = (performance.now() - started) / 1000;
    const counts = checkRun(scenario, desired, doc.results, hosts);
    console.info(`push-faults ${label} (${faultScale()}): ${hosts.length} devices in ${seconds.toFixed(1)} s; summary ${JSON.stringify(doc.summary)}; end states ${JSON.stringify(counts)}`);
    for (const name of names.filter((n) => !hosts.includes(n))) {
      expect(scenario.lab.device(name).device.running().callHome, `${name} was not selected`).toBe(scenario.original.get(name));
    }
    const failing = hosts.filter((h) => {
      const kind = scenario.faults.get(h);
      return kind !== undefined && EXPECTED_ERROR[kind] !== null;
    }).length;
    expect(scenario.faults.size).toBe(devices / 10);
    expect(doc.summary).toMatchObject({ total: hosts.length, ok: hosts.length - failing, failed: failing });
    expect(exitCode).toBe(2);
    // The run exercised every way a failed push can end.
    expect(counts['original']).toBeGreaterThan(0);
    expect((counts['partial'] ?? 0) + (counts['unknown'] ?? 0)).toBeGreaterThanOrEqual(2);
    expect(counts['unknown']).toBeGreaterThan(0);
    expect(counts['unreached']).toBeGreaterThan(0);
    return scenario;
  } catch (error) {
    await stopScenario(scenario);
    throw error;
  }
}

describe(`push to ${DEVICES} devices with 10 % faulty`, () => {
  const scenarios: Scenario[] = [];
  afterAll(async () => {
    for (const s of scenarios) await stopScenario(s);
  });

  it('reports each device as it really ends, and every partly configured device as partly configured', { timeout: faultScale() === 'full' ? 600_000 : 90_000 }, async () => {
    scenarios.push(await pushAndCheck(DEVICES, inProcess, 'runFleetPush'));
  });

  // A fresh lab once more, through the real executable (yargs, settings, stdout discipline, exit
  // code), limited to every faulty device and ten healthy ones to keep it cheap at either size.
  it('holds through the real `callhome push --json --limit`', { timeout: faultScale() === 'full' ? 600_000 : 90_000 }, async () => {
    scenarios.push(await pushAndCheck(DEVICES, viaBinary, 'bin', (name, faulty) => faulty || Number(name.slice(1)) <= 10));
  });
});
