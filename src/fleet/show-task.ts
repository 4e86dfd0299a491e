/** Device tasks that run one command: verbatim (exec, send, request) or a show command parsed by the fleet parsers. */
import type { ExecData } from '../domain/fleet.js';
import { DeviceError } from '../ios/driver/errors.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { FleetResult } from '../domain/fleet.js';
import type { DeviceTask } from './runner.js';

// An IOS error reply starts with `%` (`% Invalid input …`, `% Profile x does not exist`, `%Error opening …`);
// a logged syslog message (`%LINK-3-UPDOWN: …`, as `show logging` prints it) is not one.
const ERROR_REPLY = /^\s*%(?![A-Z0-9_]+(?:-[A-Z0-9_]+)*-\d-[A-Z0-9_]+:)/;

/** The `%` error lines of a device's reply, in order. */
export function deviceErrorLines(output: string): string[] {
  return output.split('\n').filter((line) => ERROR_REPLY.test(line)).map((line) => line.trim());
}

/**
 * Runs `command` and returns its output verbatim as `data.output`. Any `%` error reply fails the device
 * with kind `device-error` and the device's own words; the output is kept.
 */
export function execTask(command: string): DeviceTask<ExecData> {
  return async (session, host) => {
    const output = await session.send(command, { allowErrors: true });
    const refusal = deviceErrorLines(output);
    if (refusal.length === 0) return { commands: [command], data: { output } };
    return { commands: [command], data: { output }, error: new DeviceError('device-error', `${host.name}: the device refused "${command}": ${refusal.join(' ')}`) };
  };
}

/** Runs a show command and parses it; a parse failure fails the device with kind `parse`. */
export function showTask<T>(command: string, parse: (output: string) => Result<T, ParseError>): DeviceTask<T>;
export function showTask<T, D>(command: string, parse: (output: string) => Result<T, ParseError>, shape: (value: T) => D): DeviceTask<D>;
export function showTask<T, D>(command: string, parse: (output: string) => Result<T, ParseError>, shape?: (value: T) => D): DeviceTask<T | D> {
  return async (session) => {
    const output = await session.send(command);
    const parsed = parse(output);
    if (!parsed.ok) return { commands: [command], error: new DeviceError('parse', `${session.hostname || 'device'}: ${describeParseError(parsed.error)}`) };
    return { commands: [command], data: shape ? shape(parsed.value) : parsed.value };
  };
}

/** Lines a parsed result did not understand (`unparsed` of the show parsers), counted per device. */
function unparsedCount(data: unknown): number {
  if (typeof data !== 'object' || data === null || !('unparsed' in data)) return 0;
  const list = (data as { unparsed?: unknown }).unparsed;
  return Array.isArray(list) ? list.length : 0;
}

/**
 * The one warning of a run whose devices printed lines the parsers did not read (they are in
 * each device's `data.unparsed` with --json), or undefined when every line was read.
 */
export function unparsedWarning(results: readonly Pick<FleetResult<unknown>, 'data'>[]): string | undefined {
  const counts = results.map((r) => unparsedCount(r.data)).filter((n) => n > 0);
  if (counts.length === 0) return undefined;
  const lines = counts.reduce((a, b) => a + b, 0);
  return `warning: ${counts.length} device(s) printed ${lines} line(s) callhome did not understand; they are listed under "unparsed" in --json output.\n`;
}
