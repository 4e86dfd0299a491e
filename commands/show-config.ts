import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome show-config`: Read the Call Home running configuration across a fleet. */
export const showConfigCommand: CommandModule = {
  command: 'show-config',
  describe: 'Read the Call Home running configuration across a fleet',
  handler: notYet('show-config'),
};
