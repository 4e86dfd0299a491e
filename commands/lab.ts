import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome lab`: Start a lab of simulated IOS devices with Call Home. */
export const labCommand: CommandModule = {
  command: 'lab',
  describe: 'Start a lab of simulated IOS devices with Call Home',
  handler: notYet('lab'),
};
