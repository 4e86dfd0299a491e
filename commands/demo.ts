import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome demo`: Lab fleet + back end + console in one command. */
export const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'Lab fleet + back end + console in one command',
  handler: notYet('demo'),
};
