/**
 * The console's fleet port over SSH: the same inventory, credentials, host-key checks and runner as
 * the fleet subcommands, reporting each device's result as it finishes.
 */
import { pushPlanner } from '../../fleet/push-planner.js';
import { CISCO_TAC_PROFILE } from '../../domain/callhome.js';
import { DeviceError } from '../../ios/driver/errors.js';
import type { DesiredConfig } from '../../fleet/desired.js';
import type { FleetResult } from '../../domain/fleet.js';
import { openFleet } from '../../fleet/open-fleet.js';
import { pushTask } from '../../fleet/push.js';
import type { DeviceTask } from '../../fleet/runner.js';
import { execTask, showTask } from '../../fleet/show-task.js';
import { parseShowCallHomeMailServerStatus } from '../../ios/parsers/show-call-home-mail-server-status.js';
import { parseShowCallHomeDetail } from '../../ios/parsers/show-call-home.js';
import { parseShowCallHomeStatistics } from '../../ios/parsers/show-call-home-statistics.js';
import type { Settings } from '../../settings.js';
import { verifyProfile, verifyTask } from '../../fleet/verify.js';
import { watchDeliveries } from '../../fleet/delivery-watcher.js';
import type { FleetPort } from '../ports.js';
import type { FleetHostResult } from '../types.js';

export type FleetPortOptions = {
  readonly inventoryFile: string;
  readonly settings: Settings;
  /** One desired configuration for every host, or one per host (the demo configures two halves differently). */
  readonly desired?: DesiredConfig | ((host: string) => DesiredConfig | undefined) | undefined;
  readonly knownHostsFile?: string | undefined;
  readonly acceptNewHostKeys?: boolean | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Needed by verify. */
  readonly backend?: { readonly url: string; readonly token: string } | undefined;
};

export type FleetHostInfo = { name: string; address: string; serial: string | null; hostname: string | null };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Opens the inventory and returns the port plus the hosts for the fleet screen. */
export function openFleetPort(options: FleetPortOptions): { port: FleetPort; hosts: FleetHostInfo[] } {
  const fleet = openFleet({
    inventoryFile: options.inventoryFile,
    settings: options.settings,
    env: options.env,
    knownHostsFile: options.knownHostsFile,
    acceptNewHostKeys: options.acceptNewHostKeys,
    // The console owns the terminal: never prompt for a password in the middle of it.
    askPassword: () => Promise.reject(new Error('no password in the inventory or environment')),
  });
  const { inventory } = fleet;

  async function run<D>(names: readonly string[], task: DeviceTask<D>, onResult: (r: FleetResult<D>) => void): Promise<void> {
    for await (const e of fleet.run(task, fleet.pick(names))) {
      if (e.type === 'device-succeeded' || e.type === 'device-failed') onResult(e.result);
    }
  }

  const tasks = {
    stats: showTask('show call-home statistics', parseShowCallHomeStatistics),
    'mail-status': showTask('show call-home mail-server status', parseShowCallHomeMailServerStatus),
    // `detail` carries the service state as well as the profiles, in one round trip.
    profiles: showTask('show call-home detail', parseShowCallHomeDetail, (d) => ({ profiles: d.profiles, serviceEnabled: d.settings.serviceEnabled ?? null })),
  } as const;
  const desired = options.desired;
  const desiredFor = (host: string): DesiredConfig | undefined => (typeof desired === 'function' ? desired(host) : desired);
  const testProfile = (host: string): string => {
    const d = desiredFor(host);
    return d !== undefined ? (verifyProfile(d) ?? CISCO_TAC_PROFILE) : CISCO_TAC_PROFILE;
  };
  /** The task `make` builds for the host's own desired configuration. */
  const perHost =
    <D>(make: (d: DesiredConfig) => DeviceTask<D>): DeviceTask<D> =>
    (session, host, context) => {
      const d = desiredFor(host.name);
      if (d === undefined) throw new DeviceError('cli', `${host.name} has no desired configuration`);
      return make(d)(session, host, context);
    };

  const port: FleetPort = {
    read: (op, names, onResult) => run(names, tasks[op], onResult),
    send: (names, what, onResult) =>
      run(
        names,
        // The same task as `callhome send`: a `%` reply is a device-error, never ok.
        (session, host, context) => execTask('test' in what ? `call-home test "console test" profile ${testProfile(host.name)}` : `call-home send alert-group ${what.alertGroup}`)(session, host, context),
        onResult,
      ),
    ...(desired !== undefined
      ? {
          async preview(names: readonly string[]) {
            const out: Record<string, readonly string[]> = {};
            await run(names, perHost((d) => pushTask(d, pushPlanner, { dryRun: true, save: false, prune: false })), (r) => {
              if (r.ok) out[r.host] = r.commands;
            });
            return out;
          },
          push: (names: readonly string[], onResult: (r: FleetHostResult) => void) =>
            run(names, perHost((d) => pushTask(d, pushPlanner, { dryRun: false, save: false, prune: false })), onResult),
        }
      : {}),
    ...(desired !== undefined && options.backend !== undefined
      ? {
          async verify(names, onRow) {
            const backend = options.backend;
            if (backend === undefined) return;
            const watcher = watchDeliveries(backend.url, backend.token);
            try {
              await watcher.ready(10_000);
              const task = perHost((d) => verifyTask({ desired: d, planner: pushPlanner, fix: false, watcher, timeoutMs: 20_000, onData: (host, data) => onRow({ host, ...data, detail: null }) }));
              await run(names, task, (r) => {
                if (r.ok || (r.error !== null && r.error.kind === 'verify')) {
                  if (r.error !== null && r.data !== null) onRow({ ...r.data, host: r.host, detail: r.error.message });
                  return;
                }
                onRow({ host: r.host, configured: false, sent: false, received: false, latencyMs: null, brokenAt: 'ssh', messageId: null, detail: r.error?.message ?? 'no session' });
              });
            } finally {
              watcher.close();
            }
          },
        }
      : {}),
  };
  const hosts = inventory.hosts.map((h) => ({ name: h.name, address: `${h.host}:${h.port}`, serial: str(h.vars['serial']), hostname: str(h.vars['hostname']) }));
  return { port, hosts };
}
