/**
 * Runs one task per device with bounded concurrency. Every device ends as a result value; one failing
 * device never stops the others. Progress is an async stream of FleetEvents.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { AbortError } from '../errors.js';
import { DeviceError } from '../ios/driver/errors.js';
import { IosSession } from '../ios/driver/session.js';
import { Transcript } from '../ios/driver/transcript.js';
import { AsyncQueue } from './async-queue.js';
import { resolveDevice, type CredentialContext } from './credentials.js';
import type { InventoryHost } from './inventory.js';
import { safeFileName } from '../util/safe-file-name.js';
import { summarize, type FleetError, type FleetEvent, type FleetResult, type FleetSummary } from '../domain/fleet.js';

/** What a task reports; `error` marks the device failed while keeping what it did (e.g. a restore). */
export type DeviceTaskOutcome<D> = {
  readonly changed?: boolean;
  readonly commands?: readonly string[];
  readonly data?: D;
  readonly error?: DeviceError;
};

/** What a task may ask of the runner besides its session. */
export type DeviceTaskContext = {
  /** Opens a fresh session to the same device (after the first one dropped); closed by the runner. */
  reopen(): Promise<IosSession>;
};

/** The work for one device, given its open session. */
export type DeviceTask<D> = (session: IosSession, host: InventoryHost, context: DeviceTaskContext) => Promise<DeviceTaskOutcome<D>>;

export type FleetRunOptions = {
  readonly context: CredentialContext;
  /** Devices at once; default 50. */
  readonly concurrency?: number;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Keep each device's transcript here as `<host>.log`, secrets masked. */
  readonly logDir?: string | undefined;
  /** Connection attempts (connection failures only). */
  readonly attempts?: number;
  /** One line per round trip (`--line-by-line`) instead of typing lines ahead. */
  readonly lineByLine?: boolean | undefined;
};

function toFleetError(error: unknown): FleetError {
  if (error instanceof DeviceError) return { kind: error.kind, message: error.message };
  // Credentials that cannot be resolved (an unset password-env, an unreadable key) fail that device only.
  if (error instanceof AbortError) return { kind: 'auth', message: error.tryMessage ? `${error.message} ${error.tryMessage}` : error.message };
  return { kind: 'cli', message: `unexpected failure: ${error instanceof Error ? error.message : String(error)}` };
}

async function runOne<D>(host: InventoryHost, task: DeviceTask<D>, options: FleetRunOptions): Promise<FleetResult<D>> {
  const started = performance.now();
  // Host names come from the inventory file; as file names they must not climb out of --log-dir.
  const transcript = new Transcript(options.logDir ? join(options.logDir, `${safeFileName(host.name)}.log`) : undefined);
  const sessions: IosSession[] = [];
  try {
    const { target, enableSecret } = await resolveDevice(host, options.context);
    const open = async () => {
      const session = await IosSession.open(target, {
        connectTimeoutMs: options.connectTimeoutMs,
        commandTimeoutMs: options.commandTimeoutMs,
        enableSecret,
        transcript,
        lineByLine: options.lineByLine,
        // One round trip less per device; a refused secret still fails the device as kind auth.
        secretWithFirstCommands: true,
        ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
      });
      sessions.push(session);
      return session;
    };
    const outcome = await task(await open(), host, {
      reopen: () => {
        transcript.note('opening a new session');
        return open();
      },
    });
    const error = outcome.error ? toFleetError(outcome.error) : null;
    return {
      host: host.name,
      ok: error === null,
      changed: outcome.changed ?? false,
      commands: outcome.commands ?? [],
      data: outcome.data ?? null,
      error,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    return { host: host.name, ok: false, changed: false, commands: [], data: null, error: toFleetError(error), durationMs: performance.now() - started };
  } finally {
    for (const session of sessions) session.close();
    try {
      transcript.flush();
    } catch {
      // A transcript that cannot be written must not change the device's result.
    }
  }
}

/** Runs `task` on every host; iterate the returned stream for progress. The last event is `run-finished`. */
export function runFleet<D>(hosts: readonly InventoryHost[], task: DeviceTask<D>, options: FleetRunOptions): AsyncIterable<FleetEvent<D>> {
  const events = new AsyncQueue<FleetEvent<D>>();
  const limit = pLimit(Math.max(1, options.concurrency ?? 50));
  const results: FleetResult<D>[] = [];
  void Promise.all(
    hosts.map((host) =>
      limit(async () => {
        events.push({ type: 'device-started', host: host.name });
        const result = await runOne(host, task, options);
        results.push(result);
        events.push(result.ok ? { type: 'device-succeeded', result } : { type: 'device-failed', result });
      }),
    ),
  ).then(() => {
    const order = new Map(hosts.map((h, i) => [h.name, i]));
    results.sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0));
    events.push({ type: 'run-finished', results, summary: summarize(results) });
    events.end();
  });
  return events;
}

/** Runs to the end and returns the results in inventory order. */
export async function collectFleet<D>(stream: AsyncIterable<FleetEvent<D>>): Promise<{ results: readonly FleetResult<D>[]; summary: FleetSummary }> {
  for await (const event of stream) if (event.type === 'run-finished') return { results: event.results, summary: event.summary };
  return { results: [], summary: summarize([]) };
}
