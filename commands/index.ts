/**
 * The subcommand registry. Each module is loaded only when its command runs, so `callhome lab`
 * does not pay for Ink, SQLite or the SMTP stack; `callhome --help` loads them all.
 */
import type { CommandModule } from 'yargs';

// Each module has its own argv type; yargs only needs them as a list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandModule = CommandModule<any, any>;

/** Loaders of every subcommand, in the order `callhome --help` lists them. */
export const commandLoaders: Readonly<Record<string, () => Promise<AnyCommandModule>>> = {
  'lab': async () => (await import('./lab.js')).labCommand,
  'serve': async () => (await import('./serve.js')).serveCommand,
  'devices': async () => (await import('./devices.js')).devicesCommand,
  'messages': async () => (await import('./messages.js')).messagesCommand,
  'registrations': async () => (await import('./registrations.js')).registrationsCommand,
  'registration': async () => (await import('./registration.js')).registrationCommand,
  'cases': async () => (await import('./cases.js')).casesCommand,
  'notifications': async () => (await import('./notifications.js')).notificationsCommand,
  'reports': async () => (await import('./reports.js')).reportsCommand,
  'contracts': async () => (await import('./contracts.js')).contractsCommand,
  'events': async () => (await import('./events.js')).eventsCommand,
  'push': async () => (await import('./push.js')).pushCommand,
  'send': async () => (await import('./send.js')).sendCommand,
  'request': async () => (await import('./request.js')).requestCommand,
  'exec': async () => (await import('./exec.js')).execCommand,
  'stats': async () => (await import('./stats.js')).statsCommand,
  'mail-status': async () => (await import('./mail-status.js')).mailStatusCommand,
  'profiles': async () => (await import('./profiles.js')).profilesCommand,
  'show-config': async () => (await import('./show-config.js')).showConfigCommand,
  'merge-results': async () => (await import('./merge-results.js')).mergeResultsCommand,
  'config': async () => (await import('./config.js')).configCommand,
  'parse': async () => (await import('./parse.js')).parseCommand,
  'console': async () => (await import('./console.js')).consoleCommand,
  'verify': async () => (await import('./verify.js')).verifyCommand,
  'dashboard': async () => (await import('./dashboard.js')).dashboardCommand,
  'demo': async () => (await import('./demo.js')).demoCommand,
  'gateway': async () => (await import('./gateway.js')).gatewayCommand,
  // accounts-cli (issue 15): the people of the service.
  'login': async () => (await import('./login.js')).loginCommand,
  'logout': async () => (await import('./logout.js')).logoutCommand,
  'whoami': async () => (await import('./whoami.js')).whoamiCommand,
  'users': async () => (await import('./users.js')).usersCommand,
  'companies': async () => (await import('./companies.js')).companiesCommand,
  'tokens': async () => (await import('./tokens.js')).tokensCommand,
  'preferences': async () => (await import('./preferences.js')).preferencesCommand,
  'audit': async () => (await import('./audit.js')).auditCommand,
};

/** Loads every subcommand module (for help and completion). */
export async function loadAllCommands(): Promise<AnyCommandModule[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}

/** Loads only the module of the command named on the command line, or all of them when none is recognised. */
export async function loadCommandsFor(args: readonly string[]): Promise<AnyCommandModule[]> {
  const first = args.find((arg) => !arg.startsWith('-'));
  const load = first === undefined ? undefined : commandLoaders[first];
  return load ? [await load()] : loadAllCommands();
}
