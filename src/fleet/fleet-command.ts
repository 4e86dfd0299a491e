/**
 * What every fleet subcommand does around its device task: load settings and the inventory, apply
 * --limit, set up host keys and credentials, run the fleet and print the results.
 */
import { fleetCredentialContext } from './credentials.js';
import { AbortError, type ExitCode } from '../errors.js';
import { outputMode, printFleetRun, type FleetOutputOptions } from '../output/fleet-output.js';
import { loadSettings, type Settings } from '../settings.js';
import { loadInventory } from './inventory.js';
import { selectHosts } from './limit.js';
import { runFleet, type DeviceTask, type FleetResult, type FleetSummary } from './runner.js';
import { unparsedWarning } from './show-task.js';

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

export type FleetRunReport = { readonly results: readonly FleetResult[]; readonly summary: FleetSummary; readonly exitCode: ExitCode };

/** Human rendering hooks of one command. */
export type FleetRendering = Pick<FleetOutputOptions, 'describe' | 'aggregate'>;

/** Runs `task` over the selected hosts and prints the results as the flags say. */
export async function runFleetCommand(flags: FleetFlags, task: DeviceTask, deps: FleetDeps = {}, rendering: FleetRendering = {}): Promise<FleetRunReport> {
  const settings = deps.settings ?? loadSettings();
  const env = deps.env ?? process.env;
  if (flags.concurrency !== undefined && (!Number.isInteger(flags.concurrency) || flags.concurrency < 1)) {
    throw new AbortError(`--concurrency ${flags.concurrency} is not a positive whole number.`, 'Give e.g. --concurrency 50.');
  }
  if (flags.timeout !== undefined && !(flags.timeout > 0)) {
    throw new AbortError(`--timeout ${flags.timeout} is not a positive number of seconds.`, 'Give e.g. --timeout 30.');
  }
  const inventory = loadInventory(flags.inventory);
  const hosts = selectHosts(inventory, flags.limit);
  const stdout = deps.stdout ?? process.stdout;
  const events = runFleet(hosts, task, {
    context: fleetCredentialContext({ inventory, knownHostsFile: flags.knownHosts, settings, acceptNewHostKeys: flags.acceptNewHostKeys ?? false, env, sshConfigPath: deps.sshConfigPath }),
    concurrency: flags.concurrency ?? settings.concurrency,
    commandTimeoutMs: (flags.timeout ?? settings.timeout) * 1000,
    connectTimeoutMs: Math.min(flags.timeout ?? settings.connectTimeout, settings.connectTimeout) * 1000,
    logDir: flags.logDir,
  });
  const stderr = deps.stderr ?? process.stderr;
  const report = await printFleetRun(events, {
    mode: outputMode(flags, stdout),
    total: hosts.length,
    stdout,
    stderr,
    ...rendering,
  });
  // Once per run: what the parsers could not read is kept, not lost (issue 12).
  const warning = unparsedWarning(report.results);
  if (warning) stderr.write(warning);
  return report;
}
