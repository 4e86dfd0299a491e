/**
 * What every fleet subcommand does around its service: read the flags into openFleet's options,
 * run, and hand the events to the one printer with the command's view.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FleetEvent } from '../domain/fleet.js';
import { AbortError } from '../errors.js';
import { openFleet, type Fleet } from '../fleet/open-fleet.js';
import type { DeviceTask } from '../fleet/runner.js';
import { parseShard, type Shard } from '../fleet/shard.js';
import { unparsedWarning } from '../fleet/show-task.js';
import { outputMode, printFleetRun, type FleetRunReport, type FleetView, type OutputMode } from '../output/fleet-output.js';
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
  readonly connectTimeout?: number | undefined;
  readonly connectAttempts?: number | undefined;
  readonly logDir?: string | undefined;
  readonly lineByLine?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly ndjson?: boolean | undefined;
  /** Human output: `failures` (default on a terminal), `table`, `plain`; or `json`/`ndjson`. */
  readonly output?: OutputMode | undefined;
  /** `i/n`: run only this shard of the selected hosts. */
  readonly shard?: string | undefined;
  /** Write the failed hosts here (default `<log-dir>/callhome.retry` when --log-dir is given). */
  readonly retryFile?: string | undefined;
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

function shardOf(flags: FleetFlags): Shard | undefined {
  if (flags.shard === undefined) return undefined;
  const shard = parseShard(flags.shard);
  if (typeof shard === 'string') throw new AbortError(shard);
  return shard;
}

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
    shard: shardOf(flags),
    settings,
    env: deps.env ?? process.env,
    knownHostsFile: flags.knownHosts,
    acceptNewHostKeys: flags.acceptNewHostKeys,
    sshConfigPath: deps.sshConfigPath,
    concurrency: flags.concurrency,
    commandTimeoutMs: timeouts?.commandTimeoutMs ?? (flags.timeout ?? settings.timeout) * 1000,
    connectTimeoutMs: timeouts?.connectTimeoutMs ?? (flags.connectTimeout ?? Math.min(flags.timeout ?? settings.connectTimeout, settings.connectTimeout)) * 1000,
    attempts: flags.connectAttempts,
    logDir: flags.logDir,
    lineByLine: flags.lineByLine,
  });
}

/** The retry file of a run: --retry-file, else `callhome.retry` in --log-dir, else none. */
export function retryFileOf(flags: Pick<FleetFlags, 'retryFile' | 'logDir'>): string | undefined {
  return flags.retryFile ?? (flags.logDir !== undefined ? join(flags.logDir, 'callhome.retry') : undefined);
}

/**
 * Writes the failed hosts one per line, for `--limit @FILE`. A run without failures removes the file
 * it would have written, so an old list is never retried by mistake.
 */
export function writeRetryFile(file: string, failed: readonly string[]): void {
  try {
    if (failed.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${failed.join('\n')}\n`);
  } catch (error) {
    throw new AbortError(`Cannot write the retry file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'Give a writable --retry-file.');
  }
}

/** Prints a run's events as the flags say, then writes the retry file. */
export async function printRun<D>(fleet: Fleet, events: AsyncIterable<FleetEvent<D>>, flags: FleetFlags, deps: FleetDeps, view: FleetView<D>): Promise<FleetRunReport<D>> {
  const stdout = deps.stdout ?? process.stdout;
  const retryFile = retryFileOf(flags);
  const report = await printFleetRun(events, {
    mode: outputMode(flags, stdout),
    total: fleet.hosts.length,
    stdout,
    stderr: deps.stderr ?? process.stderr,
    view,
    progress: stdout.isTTY === true,
    retryFile,
  });
  if (retryFile !== undefined) writeRetryFile(retryFile, report.results.filter((r) => !r.ok).map((r) => r.host));
  // Once per run: what the parsers could not read is kept in --json, not lost (issue 12).
  const warning = unparsedWarning(report.results);
  if (warning) (deps.stderr ?? process.stderr).write(warning);
  return report;
}

/** Runs `task` over the selected hosts and prints the results as the flags say. */
export async function runFleetCommand<D>(flags: FleetFlags, task: DeviceTask<D>, deps: FleetDeps, view: FleetView<D>): Promise<FleetRunReport<D>> {
  const fleet = openFleetFromFlags(flags, deps);
  return printRun(fleet, fleet.run(task), flags, deps, view);
}
