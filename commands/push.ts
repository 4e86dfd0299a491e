import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome push`: Push the desired Call Home configuration to a fleet. */
export const pushCommand: CommandModule = {
  command: 'push',
  describe: 'Push the desired Call Home configuration to a fleet',
  handler: notYet('push'),
};
