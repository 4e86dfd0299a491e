import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome registrations`: List device registrations. */
export const registrationsCommand: CommandModule = {
  command: 'registrations',
  describe: 'List device registrations',
  handler: notYet('registrations'),
};
