import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome events`: Stream back-end events. */
export const eventsCommand: CommandModule = {
  command: 'events',
  describe: 'Stream back-end events',
  handler: notYet('events'),
};
