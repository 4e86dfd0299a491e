import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome send`: Trigger Call Home sends on a fleet. */
export const sendCommand: CommandModule = {
  command: 'send',
  describe: 'Trigger Call Home sends on a fleet',
  handler: notYet('send'),
};
