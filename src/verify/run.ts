/** `callhome verify` as a function: loads the desired config, opens the stream watcher, runs the fleet. */
import { pushPlanner } from '../../commands/push.js';
import { AbortError } from '../errors.js';
import { loadDesiredConfig } from '../fleet/desired.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../fleet/fleet-command.js';
import type { FleetResult } from '../fleet/runner.js';
import { resolveBackendConnection, type BackendConnection } from '../settings.js';
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
    // The runner reports SSH failures without running the task; give them the verify shape.
    const report = await runFleetCommand({ ...flags, timeout: Math.max(flags.timeout ?? 30, 30) }, task, deps, { describe: describeVerify });
    return report;
  } finally {
    watcher.close();
  }
}
