/**
 * What every fleet subcommand does around its service: read the flags into openFleet's options,
 * run, and hand the events to the one printer with the command's view.
 */
import type { FleetEvent } from '../domain/fleet.js';
import { AbortError } from '../errors.js';
import { openFleet, type Fleet } from '../fleet/open-fleet.js';
import type { DeviceTask } from '../fleet/runner.js';
import { outputMode, printFleetRun, type FleetRunReport, type FleetView } from '../output/fleet-output.js';
import { loadSettings, type Settings } from '../settings.js';
import { fleetFlagProblem } from './options.js';

export type { FleetRunReport } from '../output/fleet-output.js';

/** The flags of withFleetOptions (src/cli/options.ts). */
export type FleetFlags = {
  readonly inventory: string;
  readonly limit?: string | undefined;
  readonly concurrency?: number | undefined;
  readonly knownHosts?: string | undefined;
  readonly acceptNewHostKeys?: boolean | undefined;
  readonly timeout?: number | undefined;
  readonly logDir?: string | undefined;
  readonly json?: boolean | undefined;
  readonly ndjson?: boolean | undefined;
};

/** Injected I/O, so tests call handlers directly. */
export type FleetDeps = {
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  readonly settings?: Settings;
  /** Path of the OpenSSH client config; default ~/.ssh/config. */
  readonly sshConfigPath?: string;
};

/** Refuses flag values no run can use, before anything is opened. */
function checkFlags(flags: FleetFlags): void {
  const problem = fleetFlagProblem(flags);
  if (problem !== null) throw new AbortError(problem);
}

/**
 * Opens the fleet the flags describe. `timeouts: 'command'` reads --timeout as the per-command timeout
 * (it also caps the connect timeout); verify passes its own.
 */
export function openFleetFromFlags(flags: FleetFlags, deps: FleetDeps, timeouts?: { readonly commandTimeoutMs: number; readonly connectTimeoutMs: number }): Fleet {
  checkFlags(flags);
  const settings = deps.settings ?? loadSettings();
  return openFleet({
    inventoryFile: flags.inventory,
    limit: flags.limit,
    settings,
    env: deps.env ?? process.env,
    knownHostsFile: flags.knownHosts,
    acceptNewHostKeys: flags.acceptNewHostKeys,
    sshConfigPath: deps.sshConfigPath,
    concurrency: flags.concurrency,
    commandTimeoutMs: timeouts?.commandTimeoutMs ?? (flags.timeout ?? settings.timeout) * 1000,
    connectTimeoutMs: timeouts?.connectTimeoutMs ?? Math.min(flags.timeout ?? settings.connectTimeout, settings.connectTimeout) * 1000,
    logDir: flags.logDir,
  });
}

/** Prints a run's events as the flags say. */
export function printRun<D>(fleet: Fleet, events: AsyncIterable<FleetEvent<D>>, flags: FleetFlags, deps: FleetDeps, view: FleetView<D>): Promise<FleetRunReport<D>> {
  const stdout = deps.stdout ?? process.stdout;
  return printFleetRun(events, { mode: outputMode(flags, stdout), total: fleet.hosts.length, stdout, stderr: deps.stderr ?? process.stderr, view });
}

/** Runs `task` over the selected hosts and prints the results as the flags say. */
export async function runFleetCommand<D>(flags: FleetFlags, task: DeviceTask<D>, deps: FleetDeps, view: FleetView<D>): Promise<FleetRunReport<D>> {
  const fleet = openFleetFromFlags(flags, deps);
  return printRun(fleet, fleet.run(task), flags, deps, view);
}
