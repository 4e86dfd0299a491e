import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome reports`: Back-end reports (device, history, network, registration). */
export const reportsCommand: CommandModule = {
  command: 'reports',
  describe: 'Back-end reports (device, history, network, registration)',
  handler: notYet('reports'),
};
