/**
 * Runs planned commands through the lab's real IOS CLI interpreter (src/lab/ios-cli, via the lab
 * team's in-memory harness) and reads the result back with our running-config parser, so plan
 * tests check real command syntax and semantics, not a copy of them.
 */
import type { CallHomeConfig } from '../../../src/domain/callhome.js';
import { parseRunningConfigCallHome } from '../../../src/ios/parsers/running-config-call-home.js';
import { Harness, IDENTITY } from '../../lab/ios-cli/harness.js';

export const SERIAL = IDENTITY.serial;

/** A lab device holding `start`, in privileged EXEC. */
export async function labDevice(start?: CallHomeConfig): Promise<Harness> {
  const h = new Harness();
  if (start) h.device.setRunning({ ...h.device.running(), callHome: start });
  await h.enable();
  return h;
}

/** Enters configuration mode, runs the commands (each must be accepted silently), ends. */
export async function applyCommands(h: Harness, commands: readonly string[]): Promise<void> {
  await h.ok('configure terminal');
  for (const command of commands) {
    const out = await h.out(command);
    if (out !== '') throw new Error(`the lab refused "${command}" in ${h.prompt()}:\n${out}`);
  }
  await h.ok('end');
}

/** The device's Call Home configuration, read back through `show running-config | section call-home`. */
export async function readBack(h: Harness): Promise<CallHomeConfig> {
  const text = await h.out('show running-config | section call-home');
  const parsed = parseRunningConfigCallHome(text, { serial: SERIAL, allowEmpty: true });
  if (!parsed.ok) throw new Error(`cannot parse the lab's running-config: ${JSON.stringify(parsed.error)}\n${text}`);
  return parsed.value;
}
