/**
 * Results of a fleet run, shared by the fleet services, the printers, the console and merge-results.
 * `D` is the data one command returns per device (docs/cli.md, Fleet results).
 */

/**
 * Error kinds of a fleet result (docs/cli.md, Fleet results). `session-closed`: the device or the
 * network ended an established session (unlike `unreachable`, which never got one); `device-error`:
 * the device answered a command with an IOS `%` error reply.
 */
export const DEVICE_ERROR_KINDS = ['auth', 'hostkey', 'timeout', 'unreachable', 'session-closed', 'cli', 'device-error', 'verify', 'parse'] as const;
export type DeviceErrorKind = (typeof DEVICE_ERROR_KINDS)[number];

/** `error` of a fleet result. */
export type FleetError = { readonly kind: DeviceErrorKind; readonly message: string };

/** One device's result plus its duration. `data` is null when the device failed before its task produced any. */
export type FleetResult<D = unknown> = {
  readonly host: string;
  readonly ok: boolean;
  readonly changed: boolean;
  readonly commands: readonly string[];
  readonly data: D | null;
  readonly error: FleetError | null;
  /** Wall time of this device, milliseconds (not part of the JSON contract; output drops it). */
  readonly durationMs: number;
};

export type FleetSummary = { readonly total: number; readonly ok: number; readonly failed: number; readonly changed: number };

/** Progress of a run. */
export type FleetEvent<D = unknown> =
  | { readonly type: 'device-started'; readonly host: string }
  | { readonly type: 'device-succeeded'; readonly result: FleetResult<D> }
  | { readonly type: 'device-failed'; readonly result: FleetResult<D> }
  | { readonly type: 'run-finished'; readonly results: readonly FleetResult<D>[]; readonly summary: FleetSummary };

/** The JSON shape of one result (docs/cli.md): no duration, `data` `{}` when there is none. */
export type ContractResult = {
  readonly host: string;
  readonly ok: boolean;
  readonly changed: boolean;
  readonly commands: readonly string[];
  readonly data: unknown;
  readonly error: FleetError | null;
};

/** Totals of a list of results. */
export function summarize(results: readonly Pick<FleetResult, 'ok' | 'changed'>[]): FleetSummary {
  const ok = results.filter((r) => r.ok).length;
  return { total: results.length, ok, failed: results.length - ok, changed: results.filter((r) => r.changed).length };
}

/** The contract shape of one result. */
export function toContractResult(result: FleetResult): ContractResult {
  return { host: result.host, ok: result.ok, changed: result.changed, commands: result.commands, data: result.data ?? {}, error: result.error };
}

/**
 * What the device holds when its push ended, as last read from it:
 * - `desired`: the desired configuration, verified;
 * - `original`: the call-home configuration it had before the push (never changed, or restored);
 * - `partial`: some settings differ from before the push (listed in `leftover`) — partly configured;
 * - `unknown`: configuration commands were sent but the device could not be read back afterwards,
 *   so it may be partly configured.
 */
export type PushEndState = 'desired' | 'original' | 'partial' | 'unknown';

/** `data` of a push result. */
export type PushData = {
  readonly dryRun: boolean;
  readonly changes: readonly unknown[];
  readonly diff?: readonly string[];
  readonly saved: boolean;
  /** Present when a failure triggered a restore. */
  readonly restore?: { readonly ok: boolean; readonly commands: readonly string[]; readonly error: string | null };
  readonly mismatches?: readonly unknown[];
  /** What the device holds now (see PushEndState); dry runs and devices not changed say `original`. */
  readonly endState: PushEndState;
  /** True when the device may hold part of the push: endState `partial` or `unknown`. */
  readonly partial: boolean;
  /** endState `partial`: each setting that still differs from before the push (`expected` = before, `actual` = now). */
  readonly leftover?: readonly unknown[];
};

/** Where the verify loop broke: SSH, the configuration, the device's delivery, or the back end never got it. */
export type VerifyBrokenAt = null | 'ssh' | 'config' | 'delivery' | 'backend';

/** `verify` data per device, plus the matched message id. */
export type VerifyData = {
  readonly configured: boolean;
  readonly sent: boolean;
  readonly received: boolean;
  readonly latencyMs: number | null;
  readonly brokenAt: VerifyBrokenAt;
  readonly messageId: string | null;
  readonly nonce: string;
};

/** `data` of exec, send and request: what the device printed. */
export type ExecData = { readonly output: string };
