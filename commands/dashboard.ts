import type { CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { dashboardModel } from '../src/console/dashboard-model.js';
import { openConsoleRuntime } from '../src/console/adapters/runtime.js';
import { AbortError } from '../src/errors.js';
import { tokenMissing } from '../src/events/token-problems.js';
import { loadSettings, resolveBackendConnection } from '../src/settings.js';

export type DashboardOptions = { readonly backend?: string | undefined; readonly token?: string | undefined; readonly inventory?: string | undefined; readonly knownHosts?: string | undefined };

/** Handler of `callhome dashboard`: the NOC wall, live from the event stream, until q / Ctrl-C. */
export async function runDashboard(opts: DashboardOptions): Promise<void> {
  if (process.stdout.isTTY !== true) throw new AbortError('The dashboard needs a terminal (stdout is not a TTY).', 'Use `callhome events --ndjson` or `callhome reports` for scripts.');
  const settings = loadSettings();
  const { url, token } = resolveBackendConnection(opts, settings);
  if (!token) throw tokenMissing(url);
  const runtime = openConsoleRuntime({ settings, backend: { url, token }, inventoryFile: opts.inventory, knownHostsFile: opts.knownHosts, screen: 'mail' });
  const { createWall } = await import('../views/dashboard/wall.js');
  const wall = createWall();
  const draw = (): void => wall.draw(dashboardModel(runtime.store.getSnapshot(), Date.now()));
  const unsubscribe = runtime.store.subscribe(draw);
  // The minute axis moves even when nothing arrives; mail status is re-read from the devices now and then.
  const tick = setInterval(draw, 5_000);
  const mailTimer = opts.inventory !== undefined ? setInterval(() => runtime.intents.refresh(true), 60_000) : undefined;
  if (opts.inventory !== undefined) runtime.intents.refresh(true);
  draw();
  await new Promise<void>((resolve) => wall.onQuit(resolve));
  clearInterval(tick);
  if (mailTimer !== undefined) clearInterval(mailTimer);
  unsubscribe();
  wall.destroy();
  runtime.close();
}

/** `callhome dashboard [--backend URL --token T] [--inventory F]`. */
export const dashboardCommand: CommandModule<object, DashboardOptions> = {
  command: 'dashboard',
  describe: 'Wall display for a NOC screen (blessed-contrib), live from the back end',
  builder: (y) =>
    withBackendOptions(y)
      .option('inventory', { alias: 'i', type: 'string', describe: 'Inventory, to show each device’s mail-server status' })
      .option('known-hosts', { type: 'string', describe: 'OpenSSH known_hosts file' }),
  handler: async (argv) => {
    await runDashboard(argv);
  },
};
