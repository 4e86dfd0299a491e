/**
 * Push for one device: read the call-home section, plan, apply in configuration mode (stopping on
 * the first `%` error), read back and verify, optionally save. Any failure after the first change
 * restores the previous call-home configuration, on a new session if the old one dropped, and the
 * result reports both the failure and the restore.
 */
import type { CallHomeConfig } from '../domain/callhome.js';
import { CliError, DeviceError } from '../ios/driver/errors.js';
import type { IosSession } from '../ios/driver/session.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { DeviceTask, DeviceTaskContext } from './runner.js';

/** The show command push reads the current configuration with. */
export const RUNNING_CALL_HOME = 'show running-config | section call-home';

/** A plan as the parsers engineer's planPush / planRestore return it. */
export type PushPlan = {
  readonly changes: readonly unknown[];
  readonly commands: readonly string[];
  readonly changed: boolean;
  /** The dry-run diff (`+`/`-`/context lines), when the planner gives one. */
  readonly diff?: readonly { readonly op: '+' | '-' | ' '; readonly text: string }[];
};

/** The planning functions push needs (src/fleet/plan.ts and the running-config parser). */
export type PushPlanner<Desired> = {
  /** `serial` lets CiscoTAC-1's serial-derived defaults be recognised. */
  readonly parseRunning: (output: string, serial: string) => Result<CallHomeConfig, ParseError>;
  readonly planPush: (current: CallHomeConfig, desired: Desired, options: { prune: boolean }) => PushPlan;
  readonly planRestore: (current: CallHomeConfig, previous: CallHomeConfig) => PushPlan;
  readonly verifyConfig: (current: CallHomeConfig, desired: Desired) => readonly unknown[];
};

export type PushOptions = { readonly dryRun: boolean; readonly save: boolean; readonly prune: boolean };

/** `data` of a push result. */
export type PushData = {
  readonly dryRun: boolean;
  readonly changes: readonly unknown[];
  readonly diff?: readonly string[];
  readonly saved: boolean;
  /** Present when a failure triggered a restore. */
  readonly restore?: { readonly ok: boolean; readonly commands: readonly string[]; readonly error: string | null };
  readonly mismatches?: readonly unknown[];
};

async function readCallHome<D>(session: IosSession, planner: PushPlanner<D>, serial: string): Promise<CallHomeConfig> {
  const output = await session.send(RUNNING_CALL_HOME);
  const parsed = planner.parseRunning(output, serial);
  if (!parsed.ok) throw new DeviceError('parse', `${session.hostname}: ${describeParseError(parsed.error)}`);
  return parsed.value;
}

function describeMismatch(mismatch: unknown): string {
  if (typeof mismatch === 'object' && mismatch !== null && 'path' in mismatch) {
    const m = mismatch as { path: unknown; expected?: unknown; actual?: unknown };
    return `${String(m.path)} is ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`;
  }
  return typeof mismatch === 'string' ? mismatch : JSON.stringify(mismatch);
}

function describeMismatches(mismatches: readonly unknown[]): string {
  const shown = mismatches.slice(0, 3).map(describeMismatch);
  return `${mismatches.length} setting(s) differ after the push: ${shown.join('; ')}${mismatches.length > 3 ? '; …' : ''}`;
}

async function restore<D>(
  session: IosSession,
  context: DeviceTaskContext,
  planner: PushPlanner<D>,
  previous: CallHomeConfig,
  serial: string,
): Promise<NonNullable<PushData['restore']>> {
  let commands: readonly string[] = [];
  try {
    const live = session.isOpen ? session : await context.reopen();
    const plan = planner.planRestore(await readCallHome(live, planner, serial), previous);
    commands = plan.commands;
    if (plan.changed) await live.configure(plan.commands);
    return { ok: true, commands, error: null };
  } catch (error) {
    return { ok: false, commands, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The device task of `callhome push`. */
export function pushTask<D>(desired: D, planner: PushPlanner<D>, options: PushOptions): DeviceTask {
  return async (session, host, context) => {
    const serial = typeof host.vars['serial'] === 'string' ? host.vars['serial'] : '';
    const previous = await readCallHome(session, planner, serial);
    const plan = planner.planPush(previous, desired, { prune: options.prune });
    const base: PushData = { dryRun: options.dryRun, changes: plan.changes, saved: false, ...(plan.diff ? { diff: plan.diff.map((d) => `${d.op} ${d.text}`) } : {}) };
    if (options.dryRun || !plan.changed) {
      return { changed: plan.changed, commands: plan.commands, data: base };
    }
    const applied: string[] = [];
    let failure: DeviceError;
    let mismatches: readonly unknown[] | undefined;
    try {
      await session.configure(plan.commands, (command) => applied.push(command));
      const after = await readCallHome(session, planner, serial);
      mismatches = planner.verifyConfig(after, desired);
      if (mismatches.length === 0) {
        let saved = false;
        if (options.save) {
          await session.send('write memory');
          saved = true;
        }
        return { changed: true, commands: plan.commands, data: { ...base, saved } };
      }
      failure = new DeviceError('verify', `${session.hostname}: ${describeMismatches(mismatches)}`);
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      failure = error;
    }
    const restored = await restore(session, context, planner, previous, serial);
    const step = failure instanceof CliError ? ` (after ${applied.length} of ${plan.commands.length} commands)` : '';
    const outcome = restored.ok ? 'the previous call-home configuration is restored' : `the restore FAILED too: ${restored.error ?? 'unknown'}`;
    return {
      changed: applied.length > 0 && !restored.ok,
      commands: applied,
      data: { ...base, restore: restored, ...(mismatches && mismatches.length > 0 ? { mismatches } : {}) },
      error: new DeviceError(failure.kind, `${failure.message}${step}; ${outcome}`),
    };
  };
}
