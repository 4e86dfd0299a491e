import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome config`: Get or set callhome settings. */
export const configCommand: CommandModule = {
  command: 'config',
  describe: 'Get or set callhome settings',
  handler: notYet('config'),
};
