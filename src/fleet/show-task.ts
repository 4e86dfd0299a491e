/** Device tasks that run one command: verbatim (exec, send, request) or a show command parsed by the fleet parsers. */
import type { ExecData } from '../domain/fleet.js';
import { DeviceError } from '../ios/driver/errors.js';
import { describeParseError, type ParseError } from '../ios/parsers/text.js';
import type { Result } from '../util/result.js';
import type { DeviceTask } from './runner.js';

/** Runs `command` and returns its output verbatim as `data.output`. */
export function execTask(command: string): DeviceTask<ExecData> {
  return async (session) => ({ commands: [command], data: { output: await session.send(command) } });
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
