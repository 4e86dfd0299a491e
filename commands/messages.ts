import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome messages`: List messages stored by the back end. */
export const messagesCommand: CommandModule = {
  command: 'messages',
  describe: 'List messages stored by the back end',
  handler: notYet('messages'),
};
