/** Device tasks that run one show command and parse it with the fleet parsers. */
import { DeviceError } from '../ios/driver/errors.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { DeviceTask } from './runner.js';

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
