import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome verify`: Closed-loop check: configured, sent, received. */
export const verifyCommand: CommandModule = {
  command: 'verify',
  describe: 'Closed-loop check: configured, sent, received',
  handler: notYet('verify'),
};
