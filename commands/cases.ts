import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome cases`: List service requests (cases). */
export const casesCommand: CommandModule = {
  command: 'cases',
  describe: 'List service requests (cases)',
  handler: notYet('cases'),
};
