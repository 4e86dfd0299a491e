import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome console`: Open the operations console. */
export const consoleCommand: CommandModule = {
  command: 'console',
  describe: 'Open the operations console',
  handler: notYet('console'),
};
