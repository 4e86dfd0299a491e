import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome dashboard`: Wall dashboard for a NOC screen. */
export const dashboardCommand: CommandModule = {
  command: 'dashboard',
  describe: 'Wall dashboard for a NOC screen',
  handler: notYet('dashboard'),
};
