import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome request`: Trigger call-home request on a fleet. */
export const requestCommand: CommandModule = {
  command: 'request',
  describe: 'Trigger call-home request on a fleet',
  handler: notYet('request'),
};
