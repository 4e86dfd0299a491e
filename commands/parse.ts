import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome parse`: Parse saved show output. */
export const parseCommand: CommandModule = {
  command: 'parse',
  describe: 'Parse saved show output',
  handler: notYet('parse'),
};
