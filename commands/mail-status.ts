import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome mail-status`: Read show call-home mail-server status across a fleet. */
export const mailStatusCommand: CommandModule = {
  command: 'mail-status',
  describe: 'Read show call-home mail-server status across a fleet',
  handler: notYet('mail-status'),
};
