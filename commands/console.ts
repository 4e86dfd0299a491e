import type { CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { openConsoleRuntime } from '../src/console/adapters/runtime.js';
import { runConsoleUi } from '../views/tui.js';
import { AbortError } from '../src/errors.js';
import { tokenMissing } from '../src/events/token-problems.js';
import { loadDesiredConfig } from '../src/fleet/desired.js';
import { loadSettings, resolveBackendConnection, type Settings } from '../src/settings.js';

export type ConsoleOptions = {
  readonly inventory?: string | undefined;
  readonly config?: string | undefined;
  readonly backend?: string | undefined;
  readonly token?: string | undefined;
  readonly knownHosts?: string | undefined;
  readonly acceptNewHostKeys?: boolean | undefined;
};

export type ConsoleDeps = { readonly stdout?: { readonly isTTY?: boolean }; readonly settings?: Settings; readonly env?: NodeJS.ProcessEnv };

/** Handler of `callhome console`: refuses without a terminal, otherwise runs until `q`. */
export async function runConsole(opts: ConsoleOptions, deps: ConsoleDeps = {}): Promise<void> {
  if ((deps.stdout ?? process.stdout).isTTY !== true) {
    throw new AbortError(
      'The console needs a terminal (stdout is not a TTY).',
      'For scripts use the twins: callhome messages/devices/registrations/cases --json, callhome events --ndjson, callhome stats/mail-status/push/verify --json.',
    );
  }
  const settings = deps.settings ?? loadSettings();
  const connection = resolveBackendConnection(opts, settings, deps.env ?? process.env);
  const desired = opts.config !== undefined ? await loadDesiredConfig(opts.config) : undefined;
  const runtime = openConsoleRuntime({
    settings,
    inventoryFile: opts.inventory,
    desired,
    knownHostsFile: opts.knownHosts,
    acceptNewHostKeys: opts.acceptNewHostKeys,
    backend: connection.token ? { url: connection.url, token: connection.token } : undefined,
  });
  if (!connection.token) {
    // The console still runs the fleet screens; the status line says why the back-end screens stay empty.
    const missing = tokenMissing(connection.url);
    runtime.store.dispatch({ type: 'ui/notice', notice: { level: 'error', text: `${missing.message} ${missing.tryMessage ?? ''}`, at: Date.now() } });
  }
  try {
    await runConsoleUi(runtime);
  } finally {
    runtime.close();
  }
}

/** `callhome console [--inventory F] [--config DESIRED.yaml] [--backend URL --token T]`. */
export const consoleCommand: CommandModule<object, ConsoleOptions> = {
  command: 'console',
  describe: 'Open the operations console',
  builder: (y) =>
    withBackendOptions(y)
      .option('inventory', { alias: 'i', type: 'string', describe: 'Inventory file (fleet screen, push, statistics, mail status)' })
      .option('config', { alias: 'c', type: 'string', describe: 'Desired configuration YAML (drift, push, verify)' })
      .option('known-hosts', { type: 'string', describe: 'OpenSSH known_hosts file' })
      .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'Record keys of hosts not yet known' }),
  handler: async (argv) => {
    await runConsole(argv);
  },
};
