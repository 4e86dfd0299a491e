import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome exec`: Run a raw command on a fleet. */
export const execCommand: CommandModule = {
  command: 'exec',
  describe: 'Run a raw command on a fleet',
  handler: notYet('exec'),
};
