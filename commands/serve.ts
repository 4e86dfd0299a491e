import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome serve`: Run the Smart Call Home back end. */
export const serveCommand: CommandModule = {
  command: 'serve',
  describe: 'Run the Smart Call Home back end',
  handler: notYet('serve'),
};
