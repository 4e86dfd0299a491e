/**
 * Push for one device, in one session: read `show version` and the call-home section (one write),
 * plan, apply in configuration mode (the lines typed ahead in as few writes as the terminal's input
 * window allows, or line by line; no line is written after the first `%` error), read back and
 * verify, optionally `write memory`. Any failure after configuration
 * mode was entered restores the previous call-home configuration (on a new session if the old one
 * dropped or timed out) and then reads the device back, so the result states what the device
 * really holds: its original configuration, or exactly which settings were left changed, or that
 * it could not be read at all.
 */
import type { CallHomeConfig } from '../domain/callhome.js';
import type { PushData, PushEndState } from '../domain/fleet.js';
import { CliError, DeviceError } from '../ios/driver/errors.js';
import type { IosSession } from '../ios/driver/session.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { PushPlan } from './plan.js';
import type { DeviceTask, DeviceTaskContext } from './runner.js';

export type { PushData, PushEndState } from '../domain/fleet.js';

/** The show command push reads the current configuration with. */
export const RUNNING_CALL_HOME = 'show running-config | section call-home';

/** The planning functions push needs (src/fleet/plan.ts and the running-config parser). */
export type PushPlanner<Desired> = {
  /** `serial` lets CiscoTAC-1's serial-derived defaults be recognised. */
  readonly parseRunning: (output: string, serial: string) => Result<CallHomeConfig, ParseError>;
  readonly planPush: (current: CallHomeConfig, desired: Desired, options: { prune: boolean }) => PushPlan;
  readonly planRestore: (current: CallHomeConfig, previous: CallHomeConfig) => PushPlan;
  readonly verifyConfig: (current: CallHomeConfig, desired: Desired) => readonly unknown[];
};

export type PushOptions = { readonly dryRun: boolean; readonly save: boolean; readonly prune: boolean };

function parseCallHome<D>(session: IosSession, planner: PushPlanner<D>, serial: string, output: string): CallHomeConfig {
  const parsed = planner.parseRunning(output, serial);
  if (!parsed.ok) throw new DeviceError('parse', `${session.hostname}: ${describeParseError(parsed.error)}`);
  return parsed.value;
}

async function readCallHome<D>(session: IosSession, planner: PushPlanner<D>, serial: string): Promise<CallHomeConfig> {
  return parseCallHome(session, planner, serial, await session.send(RUNNING_CALL_HOME));
}

/** The first read of a session: the train (`show version`, kept raw on the session) and the call-home section, in one write. */
async function readFirst<D>(session: IosSession, planner: PushPlanner<D>, serial: string): Promise<CallHomeConfig> {
  if (session.versionText !== null) return readCallHome(session, planner, serial);
  const [version, running] = await session.runPipelined([SHOW_VERSION, RUNNING_CALL_HOME]);
  session.versionText = version ?? '';
  return parseCallHome(session, planner, serial, running ?? '');
}

/** Read once per session for the train. */
const SHOW_VERSION = 'show version';

/** A message without the `host: ` its driver error starts with, for use inside another message about that host. */
function withoutHost(message: string, host: string): string {
  return message.startsWith(`${host}: `) ? message.slice(host.length + 2) : message;
}

function describeMismatch(mismatch: unknown): string {
  if (typeof mismatch === 'object' && mismatch !== null && 'path' in mismatch) {
    const m = mismatch as { path: unknown; expected?: unknown; actual?: unknown };
    return `${String(m.path)} is ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`;
  }
  return typeof mismatch === 'string' ? mismatch : JSON.stringify(mismatch);
}

function describeMismatches(mismatches: readonly unknown[], what: string): string {
  const shown = mismatches.slice(0, 3).map(describeMismatch);
  return `${mismatches.length} setting(s) ${what}: ${shown.join('; ')}${mismatches.length > 3 ? '; …' : ''}`;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The open session of one device, replaced by a new one once it dropped or timed out. */
class LiveSession {
  constructor(
    private current: IosSession,
    private readonly context: DeviceTaskContext,
  ) {}

  async get(): Promise<IosSession> {
    if (!this.current.isOpen) this.current = await this.context.reopen();
    return this.current;
  }
}

/** Sessions tried for the read-back after a failure. */
const READ_BACK_ATTEMPTS = 2;

type AfterFailure = Pick<PushData, 'restore' | 'endState' | 'partial' | 'leftover'>;

/** Restores `previous` after a failed apply, then reads the device back to say what it holds. */
async function restoreAndReadBack<D>(live: LiveSession, planner: PushPlanner<D>, previous: CallHomeConfig, serial: string, host: string): Promise<AfterFailure> {
  let commands: readonly string[] = [];
  let restore: NonNullable<PushData['restore']>;
  try {
    const session = await live.get();
    const plan = planner.planRestore(await readCallHome(session, planner, serial), previous);
    commands = plan.commands;
    if (plan.changed) await session.configure(plan.commands);
    restore = { ok: true, commands, error: null };
  } catch (error) {
    restore = { ok: false, commands, error: withoutHost(messageOf(error), host) };
  }
  // A restore that reported success is confirmed, and one that failed may still have landed.
  for (let attempt = 1; ; attempt++) {
    try {
      const leftover = planner.planRestore(await readCallHome(await live.get(), planner, serial), previous).changes;
      if (leftover.length === 0) return { restore, endState: 'original', partial: false };
      return { restore, endState: 'partial', partial: true, leftover };
    } catch {
      // A session that dropped during the read gets one fresh session more.
      if (attempt >= READ_BACK_ATTEMPTS) return { restore, endState: 'unknown', partial: true };
    }
  }
}

function describeAfterFailure(after: AfterFailure): string {
  const restore = after.restore;
  const restored = restore?.ok ? 'restored' : `the restore failed (${restore?.error ?? 'unknown'})`;
  switch (after.endState) {
    case 'original':
      return restore?.ok ? 'the previous call-home configuration is restored' : `${restored}, yet the device holds its previous call-home configuration`;
    case 'partial':
      return `${restored}; the device is LEFT PARTLY CONFIGURED: ${describeMismatches(after.leftover ?? [], 'differ from before the push')}`;
    case 'unknown':
      return `${restored}, and the device could not be read back: it MAY BE LEFT PARTLY CONFIGURED`;
    case 'desired':
      return 'the device holds the desired configuration';
  }
}

/** Where the change stood when it failed, for the message. */
function describeStep(failure: DeviceError, acknowledged: number, total: number): string {
  if (failure instanceof CliError && failure.position) {
    const after = failure.position.sentAfter ?? 0;
    // The message names the refused line already; typed-ahead lines after it ran on the device too.
    return after > 0 ? ` (the ${after} line${after === 1 ? '' : 's'} typed ahead after it reached the device too)` : '';
  }
  return acknowledged < total ? ` (after ${acknowledged} of ${total} commands were acknowledged)` : '';
}

/** The device task of `callhome push`. */
export function pushTask<D>(desired: D, planner: PushPlanner<D>, options: PushOptions): DeviceTask<PushData> {
  return async (session, host, context) => {
    const serial = typeof host.vars['serial'] === 'string' ? host.vars['serial'] : '';
    // A failure here reaches the runner as a result without data: nothing was sent in configuration mode.
    const previous = await readFirst(session, planner, serial);
    const plan = planner.planPush(previous, desired, { prune: options.prune });
    const base = { dryRun: options.dryRun, changes: plan.changes, saved: false, ...(plan.diff ? { diff: plan.diff.map((d) => `${d.op} ${d.text}`) } : {}) };
    if (options.dryRun || !plan.changed) {
      const endState: PushEndState = plan.changed ? 'original' : 'desired';
      return { changed: plan.changed, commands: plan.commands, data: { ...base, endState, partial: false } satisfies PushData };
    }
    const live = new LiveSession(session, context);
    const applied: string[] = [];
    let failure: DeviceError;
    let mismatches: readonly unknown[] | undefined;
    try {
      // Pipelined, the read-back goes out in the same write as the change.
      const readBack = await session.configure(plan.commands, (command) => applied.push(command), [RUNNING_CALL_HOME]);
      const after = readBack?.[0] !== undefined ? parseCallHome(session, planner, serial, readBack[0]) : await readCallHome(session, planner, serial);
      mismatches = planner.verifyConfig(after, desired);
      if (mismatches.length === 0) {
        const data: PushData = { ...base, endState: 'desired', partial: false };
        if (!options.save) return { changed: true, commands: plan.commands, data };
        try {
          await session.send('write memory');
        } catch (error) {
          if (!(error instanceof DeviceError)) throw error;
          // The running configuration is verified; rolling it back because NVRAM was not written would undo a good push.
          const message = `${error.message}; the desired configuration is applied and verified but saving it failed, so the startup configuration may not hold it`;
          return { changed: true, commands: plan.commands, data, error: new DeviceError(error.kind, message) };
        }
        return { changed: true, commands: plan.commands, data: { ...data, saved: true } };
      }
      failure = new DeviceError('verify', `${session.hostname}: ${describeMismatches(mismatches, 'differ after the push')}`);
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      failure = error;
    }
    const after = await restoreAndReadBack(live, planner, previous, serial, host.name);
    const step = describeStep(failure, applied.length, plan.commands.length);
    return {
      changed: after.endState !== 'original',
      commands: applied,
      data: { ...base, ...after, ...(mismatches && mismatches.length > 0 ? { mismatches } : {}) } satisfies PushData,
      error: new DeviceError(failure.kind, `${failure.message}${step}; ${describeAfterFailure(after)}`),
    };
  };
}
