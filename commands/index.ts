import type { CommandModule } from 'yargs';
import { labCommand } from './lab.js';
import { serveCommand } from './serve.js';
import { devicesCommand } from './devices.js';
import { messagesCommand } from './messages.js';
import { registrationsCommand } from './registrations.js';
import { registrationCommand } from './registration.js';
import { casesCommand } from './cases.js';
import { notificationsCommand } from './notifications.js';
import { reportsCommand } from './reports.js';
import { contractsCommand } from './contracts.js';
import { eventsCommand } from './events.js';
import { pushCommand } from './push.js';
import { sendCommand } from './send.js';
import { requestCommand } from './request.js';
import { execCommand } from './exec.js';
import { statsCommand } from './stats.js';
import { mailStatusCommand } from './mail-status.js';
import { profilesCommand } from './profiles.js';
import { showConfigCommand } from './show-config.js';
import { configCommand } from './config.js';
import { parseCommand } from './parse.js';
import { consoleCommand } from './console.js';
import { verifyCommand } from './verify.js';
import { dashboardCommand } from './dashboard.js';
import { demoCommand } from './demo.js';

/** Every subcommand, in the order `callhome --help` lists them. */
// Each module has its own argv type; yargs only needs them as a list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: ReadonlyArray<CommandModule<any, any>> = [
  labCommand,
  serveCommand,
  devicesCommand,
  messagesCommand,
  registrationsCommand,
  registrationCommand,
  casesCommand,
  notificationsCommand,
  reportsCommand,
  contractsCommand,
  eventsCommand,
  pushCommand,
  sendCommand,
  requestCommand,
  execCommand,
  statsCommand,
  mailStatusCommand,
  profilesCommand,
  showConfigCommand,
  configCommand,
  parseCommand,
  consoleCommand,
  verifyCommand,
  dashboardCommand,
  demoCommand,
];
