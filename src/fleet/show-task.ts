/** Device tasks that run one show command and parse it with the fleet parsers. */
import { DeviceError } from '../ios/driver/errors.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { DeviceTask, FleetResult } from './runner.js';

/** Runs `command` and returns its output verbatim as `data.output`. */
export function execTask(command: string): DeviceTask {
  return async (session) => ({ commands: [command], data: { output: await session.send(command) } });
}

/** Runs a show command and parses it; a parse failure fails the device with kind `parse`. */
export function showTask<T>(command: string, parse: (output: string) => Result<T, ParseError>, shape: (value: T) => unknown = (v) => v): DeviceTask {
  return async (session) => {
    const output = await session.send(command);
    const parsed = parse(output);
    if (!parsed.ok) return { commands: [command], error: new DeviceError('parse', `${session.hostname || 'device'}: ${describeParseError(parsed.error)}`) };
    return { commands: [command], data: shape(parsed.value) };
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
export function unparsedWarning(results: readonly Pick<FleetResult, 'data'>[]): string | undefined {
  const counts = results.map((r) => unparsedCount(r.data)).filter((n) => n > 0);
  if (counts.length === 0) return undefined;
  const lines = counts.reduce((a, b) => a + b, 0);
  return `warning: ${counts.length} device(s) printed ${lines} line(s) callhome did not understand; they are listed under "unparsed" in --json output.\n`;
}
