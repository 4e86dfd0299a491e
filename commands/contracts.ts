import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome contracts`: Import or list contracts for entitlement. */
export const contractsCommand: CommandModule = {
  command: 'contracts',
  describe: 'Import or list contracts for entitlement',
  handler: notYet('contracts'),
};
