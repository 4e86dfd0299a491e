import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome stats`: Read show call-home statistics across a fleet. */
export const statsCommand: CommandModule = {
  command: 'stats',
  describe: 'Read show call-home statistics across a fleet',
  handler: notYet('stats'),
};
