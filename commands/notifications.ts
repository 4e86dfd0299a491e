import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome notifications`: List notifications the back end sent. */
export const notificationsCommand: CommandModule = {
  command: 'notifications',
  describe: 'List notifications the back end sent',
  handler: notYet('notifications'),
};
