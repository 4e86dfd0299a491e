/** Typed failures of one device session; the fleet runner turns them into per-device results. */

import type { DeviceErrorKind } from '../../domain/fleet.js';

// The kinds are part of the shared model (src/domain imports nothing of ours); the driver raises them.
export { DEVICE_ERROR_KINDS, type DeviceErrorKind } from '../../domain/fleet.js';

/** A failure of one device: its kind decides the `error.kind` of the fleet result. */
export class DeviceError extends Error {
  override readonly name: string = 'DeviceError';
  constructor(
    readonly kind: DeviceErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Where a refused line stands in a change: line `index` of `total`, with `sentAfter` lines typed ahead after it. */
export type LinePosition = { readonly index: number; readonly total: number; readonly sentAfter?: number };

/** A `%` error line printed by IOS in reply to a command. */
export class CliError extends DeviceError {
  override readonly name = 'CliError';
  constructor(
    /** The command as typed. */
    readonly command: string,
    /** The `%` line, e.g. `% Invalid input detected at '^' marker.` */
    readonly errorLine: string,
    /** Everything the device printed in reply (the caret line included). */
    readonly output: string,
    /** The line's place in a multi-line change. */
    readonly position?: LinePosition,
  ) {
    super('cli', position ? `line ${position.index} of ${position.total} ("${command}") was refused: ${errorLine}` : `"${command}" was refused: ${errorLine}`);
  }
}

/** True when a failure happened before any command was sent, so retrying cannot repeat a change. */
export function isRetryableConnectError(error: unknown): boolean {
  return error instanceof DeviceError && (error.kind === 'unreachable' || error.kind === 'timeout') && !(error instanceof CliError);
}
