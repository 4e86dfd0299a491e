/**
 * `callhome verify` as a fleet service. The closed loop for one device: configuration matches (or is pushed with --fix) → `call-home test`
 * with a nonce → the back end receives exactly that message. When it does not arrive, the device's
 * own failed counters tell a delivery failure from a back end that never got it.
 */
import { randomBytes } from 'node:crypto';
import type { FleetEvent, FleetResult, VerifyData } from '../domain/fleet.js';
import type { DesiredConfig } from './desired.js';
import { pushTask, type PushPlanner } from './push.js';
import type { DeviceTask } from './runner.js';
import { DeviceError } from '../ios/driver/errors.js';
import type { IosSession } from '../ios/driver/session.js';
import { parseShowCallHomeStatistics } from '../ios/parsers/show-call-home-statistics.js';
import { watchDeliveries, type DeliveryWatcher } from './delivery-watcher.js';
import type { Fleet } from './open-fleet.js';
import { pushPlanner } from './push-planner.js';
import { execTask } from './show-task.js';

/** How often the device's counters are read while waiting. */
const POLL_MS = 1000;

export type { VerifyData } from '../domain/fleet.js';

export type VerifyTaskOptions = {
  readonly desired: DesiredConfig;
  readonly planner: PushPlanner<DesiredConfig>;
  readonly fix: boolean;
  readonly watcher: DeliveryWatcher;
  /** How long to wait for the back end to receive the test. */
  readonly timeoutMs: number;
  /** Called with each device's data as soon as it is known (console screen). */
  readonly onData?: ((host: string, data: VerifyData) => void) | undefined;
};

/** The HTTP profile the test goes to: the first active desired profile with an HTTP destination. */
export function verifyProfile(desired: DesiredConfig): string | null {
  for (const [name, p] of Object.entries(desired.profiles ?? {})) {
    if (p.active !== false && (p.transport ?? []).includes('http') && (p.http ?? []).length > 0) return name;
  }
  for (const [name, p] of Object.entries(desired.profiles ?? {})) if (p.active !== false) return name;
  return null;
}

const STATISTICS = 'show call-home statistics';

async function failedTests(session: IosSession): Promise<number | null> {
  const parsed = parseShowCallHomeStatistics(await session.send(STATISTICS));
  if (!parsed.ok) return null;
  return parsed.value.sections.failed.test?.total ?? 0;
}

/** The device's serial from inventory vars, when the inventory has one. */
function inventorySerial(vars: Readonly<Record<string, unknown>>): string | null {
  const s = vars['serial'];
  return typeof s === 'string' && s !== '' ? s : null;
}

/** Builds the verify task. SSH failures never reach it: the runner reports them (brokenAt 'ssh'). */
export function verifyTask(options: VerifyTaskOptions): DeviceTask<VerifyData> {
  const profile = verifyProfile(options.desired);
  return async (session, host, context) => {
    const nonce = `verify-${host.name}-${randomBytes(4).toString('hex')}`;
    const commands: string[] = [];
    const finish = (d: Omit<VerifyData, 'nonce'>, why: string | null) => {
      const data: VerifyData = { ...d, nonce };
      options.onData?.(host.name, data);
      return why === null ? { commands, data, changed } : { commands, data, changed, error: new DeviceError('verify', why) };
    };
    let changed = false;
    const empty = { configured: false, sent: false, received: false, latencyMs: null, messageId: null } as const;

    // 1. Configuration (the counters of step 2 are read in the same write as the configuration).
    session.prefetch([STATISTICS]);
    const push = await pushTask(options.desired, options.planner, { dryRun: !options.fix, save: false, prune: false })(session, host, context);
    commands.push(...(push.commands ?? []));
    if (push.error !== undefined) return finish({ ...empty, brokenAt: 'config' }, `configuration: ${push.error.message}`);
    if (push.changed === true && !options.fix) {
      return finish({ ...empty, brokenAt: 'config' }, `configuration differs from the desired one (${push.commands?.length ?? 0} commands to push; run with --fix)`);
    }
    changed = push.changed === true;
    if (profile === null) return finish({ ...empty, configured: true, brokenAt: 'config' }, 'the desired configuration has no active profile to send the test to');

    // 2. Trigger.
    const failedBefore = await failedTests(session);
    const serial = inventorySerial(host.vars);
    const started = Date.now();
    const test = `call-home test "${nonce}" profile ${profile}`;
    commands.push(test);
    // Any `%` reply (`% Profile x does not exist`, …) means no test left the device.
    const reply = await execTask(test)(session, host, context);
    if (reply.error !== undefined) return finish({ ...empty, configured: true, brokenAt: 'config' }, `the device refused the test: ${reply.error.message}`);

    // 3. Receipt. Between short waits, the device's failed counter tells a delivery failure early.
    const match = (m: { description: string; serial: string }): boolean => m.description.includes(nonce) && (serial === null || m.serial === serial);
    const deadline = started + options.timeoutMs;
    let failedAfter = failedBefore;
    for (;;) {
      const left = deadline - Date.now();
      const arrival = await options.watcher.waitFor(match, Math.max(0, Math.min(POLL_MS, left)));
      if (arrival !== null) {
        return finish({ configured: true, sent: true, received: true, latencyMs: arrival.at - started, brokenAt: null, messageId: arrival.message.messageId }, null);
      }
      failedAfter = await failedTests(session);
      const deliveryFailed = failedBefore !== null && failedAfter !== null && failedAfter > failedBefore;
      if (deliveryFailed) {
        return finish(
          { configured: true, sent: false, received: false, latencyMs: null, brokenAt: 'delivery', messageId: null },
          `the device could not deliver the test (failed test counter ${failedBefore} → ${failedAfter} in show call-home statistics)`,
        );
      }
      if (Date.now() >= deadline) break;
    }
    return finish(
      { configured: true, sent: true, received: false, latencyMs: null, brokenAt: 'backend', messageId: null },
      `the back end did not receive "${nonce}" within ${options.timeoutMs / 1000} s`,
    );
  };
}


/** The data of a device the runner failed before the task ran (SSH). */
const SSH_BROKEN: VerifyData = { configured: false, sent: false, received: false, latencyMs: null, brokenAt: 'ssh', messageId: null, nonce: '' };

export type VerifyRunOptions = {
  readonly desired: DesiredConfig;
  readonly fix: boolean;
  /** The back end whose event stream must see each test. */
  readonly connection: { readonly url: string; readonly token: string };
  /** How long to wait for each test to arrive. */
  readonly timeoutMs: number;
  readonly onData?: ((host: string, data: VerifyData) => void) | undefined;
};

/**
 * Runs the closed loop over the fleet's selected hosts. The back end's stream is open before any
 * device is triggered; devices SSH could not reach get data `{brokenAt: 'ssh'}`.
 */
export async function* runVerify(fleet: Fleet, options: VerifyRunOptions): AsyncIterable<FleetEvent<VerifyData>> {
  const watcher = watchDeliveries(options.connection.url, options.connection.token);
  const withData = (r: FleetResult<VerifyData>): FleetResult<VerifyData> => {
    if (r.data !== null) return r;
    options.onData?.(r.host, SSH_BROKEN);
    return { ...r, data: SSH_BROKEN };
  };
  try {
    await watcher.ready(10_000);
    const task = verifyTask({ desired: options.desired, planner: pushPlanner, fix: options.fix, watcher, timeoutMs: options.timeoutMs, onData: options.onData });
    for await (const e of fleet.run(task)) {
      if (e.type === 'device-failed') yield { ...e, result: withData(e.result) };
      else if (e.type === 'run-finished') yield { ...e, results: e.results.map(withData) };
      else yield e;
    }
  } finally {
    watcher.close();
  }
}
