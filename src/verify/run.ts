/** `callhome verify` as a function: loads the desired config, opens the stream watcher, runs the fleet. */
import { fleetCredentialContext } from '../fleet/credentials.js';
import { pushPlanner } from '../fleet/push-planner.js';
import { AbortError } from '../errors.js';
import { loadDesiredConfig } from '../fleet/desired.js';
import type { FleetDeps, FleetFlags, FleetRunReport } from '../fleet/fleet-command.js';
import { loadInventory } from '../fleet/inventory.js';
import { selectHosts } from '../fleet/limit.js';
import { runFleet, type FleetEvent, type FleetResult } from '../fleet/runner.js';
import { outputMode, printFleetRun } from '../output/fleet-output.js';
import { loadSettings, resolveBackendConnection, type BackendConnection } from '../settings.js';
import { verifyProfile, verifyTask, type VerifyData } from './task.js';
import { watchDeliveries } from './watcher.js';

export type VerifyFlags = FleetFlags & {
  readonly config: string;
  readonly fix?: boolean | undefined;
  readonly backend?: string | undefined;
  readonly token?: string | undefined;
};

export type VerifyDeps = FleetDeps & {
  readonly connection?: BackendConnection;
  readonly onData?: (host: string, data: VerifyData) => void;
};

/** One line per device for the table. */
export function describeVerify(result: Pick<FleetResult, 'data' | 'error'>): string {
  const d = result.data as Partial<VerifyData>;
  if (d.configured === undefined) return `broken at ssh: ${result.error?.message ?? 'no session'}`;
  if (d.brokenAt === null) return `configured, sent, received in ${d.latencyMs ?? '?'} ms (${d.messageId ?? ''})`;
  return `broken at ${d.brokenAt ?? '?'}: ${result.error?.message ?? ''}`;
}

/** Devices the runner failed before the task ran (SSH) get the verify data shape too (../shared/CLI.md). */
async function* withSshShape(events: AsyncIterable<FleetEvent>, onData: VerifyDeps['onData']): AsyncIterable<FleetEvent> {
  const shape = (r: FleetResult): FleetResult => {
    if ((r.data as Partial<VerifyData> | null)?.configured !== undefined) return r;
    const data: VerifyData = { configured: false, sent: false, received: false, latencyMs: null, brokenAt: 'ssh', messageId: null, nonce: '' };
    onData?.(r.host, data);
    return { ...r, data };
  };
  for await (const e of events) {
    if (e.type === 'device-failed') yield { ...e, result: shape(e.result) };
    else if (e.type === 'run-finished') yield { ...e, results: e.results.map(shape) };
    else yield e;
  }
}

/** Runs the closed loop over the fleet. Devices SSH could not reach get data {brokenAt:'ssh'}. */
export async function runVerify(flags: VerifyFlags, deps: VerifyDeps = {}): Promise<FleetRunReport> {
  const desired = await loadDesiredConfig(flags.config);
  if (verifyProfile(desired) === null) throw new AbortError(`${flags.config} has no active profile to send the test to.`, 'Add a profile with transport [http] and an http URL pointing at the back end.');
  const { url, token } = deps.connection ?? resolveBackendConnection(flags);
  if (!token) throw new AbortError(`No API token for the back end at ${url}.`, 'Pass --token or set $CALLHOME_TOKEN.');
  const watcher = watchDeliveries(url, token);
  try {
    await watcher.ready(10_000);
    const timeoutMs = (flags.timeout ?? 20) * 1000;
    const task = verifyTask({ desired, planner: pushPlanner, fix: flags.fix ?? false, watcher, timeoutMs, ...(deps.onData ? { onData: deps.onData } : {}) });
    const settings = deps.settings ?? loadSettings();
    const env = deps.env ?? process.env;
    const inventory = loadInventory(flags.inventory);
    const hosts = selectHosts(inventory, flags.limit);
    const commandTimeoutS = Math.max(settings.timeout, 30);
    const events = runFleet(hosts, task, {
      context: fleetCredentialContext({ inventory, knownHostsFile: flags.knownHosts, settings, acceptNewHostKeys: flags.acceptNewHostKeys ?? false, env, sshConfigPath: deps.sshConfigPath }),
      concurrency: flags.concurrency ?? settings.concurrency,
      commandTimeoutMs: commandTimeoutS * 1000,
      connectTimeoutMs: settings.connectTimeout * 1000,
      logDir: flags.logDir,
      lineByLine: flags.lineByLine,
    });
    const stdout = deps.stdout ?? process.stdout;
    return await printFleetRun(withSshShape(events, deps.onData), { mode: outputMode(flags, stdout), total: hosts.length, stdout, stderr: deps.stderr ?? process.stderr, describe: describeVerify });
  } finally {
    watcher.close();
  }
}
