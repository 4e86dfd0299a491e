import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome profiles`: Read Call Home profiles across a fleet. */
export const profilesCommand: CommandModule = {
  command: 'profiles',
  describe: 'Read Call Home profiles across a fleet',
  handler: notYet('profiles'),
};
