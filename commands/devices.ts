import type { CommandModule } from 'yargs';
import { notYet } from '../src/cli/not-yet.js';

/** `callhome devices`: List devices known to the back end. */
export const devicesCommand: CommandModule = {
  command: 'devices',
  describe: 'List devices known to the back end',
  handler: notYet('devices'),
};
