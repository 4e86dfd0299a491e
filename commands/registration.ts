import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome registration`: Confirm or delete a device registration. */
export const registrationCommand: CommandModule = {
  command: 'registration',
  describe: 'Confirm or delete a device registration',
  handler: notYet('registration'),
};
