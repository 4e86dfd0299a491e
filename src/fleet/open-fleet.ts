/**
 * The one set-up of a fleet run, for every caller (the fleet commands, verify, the console, the demo):
 * the inventory and the hosts selected from it, credentials, known hosts and the runner's options.
 */
import type { FleetEvent } from '../domain/fleet.js';
import type { Settings } from '../settings.js';
import { fleetCredentialContext } from './credentials.js';
import { loadInventory, type Inventory, type InventoryHost } from './inventory.js';
import { selectHosts } from './limit.js';
import { runFleet, type DeviceTask, type FleetRunOptions } from './runner.js';
import { selectShard, type Shard } from './shard.js';

export type OpenFleetOptions = {
  readonly inventoryFile: string;
  /** Ansible-style host patterns; none selects every host. */
  readonly limit?: string | undefined;
  /** Only this shard of the selected hosts (`--shard i/n`). */
  readonly shard?: Shard | undefined;
  /** The defaults (concurrency, timeouts, known_hosts) the options below override. */
  readonly settings: Pick<Settings, 'concurrency' | 'timeout' | 'connectTimeout' | 'connectAttempts' | 'knownHosts'>;
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly knownHostsFile?: string | undefined;
  readonly acceptNewHostKeys?: boolean | undefined;
  /** OpenSSH client config; default `$CALLHOME_SSH_CONFIG` or ~/.ssh/config; null reads none. */
  readonly sshConfigPath?: string | null | undefined;
  /** Asks for a missing password; default a no-echo prompt on a terminal. */
  readonly askPassword?: ((question: string) => Promise<string>) | undefined;
  readonly concurrency?: number | undefined;
  readonly commandTimeoutMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  /** Connection attempts per device (connection failures only). */
  readonly attempts?: number | undefined;
  readonly logDir?: string | undefined;
  /** One line per round trip instead of typing lines ahead (`--line-by-line`). */
  readonly lineByLine?: boolean | undefined;
};

/** An opened fleet: what was selected, and a runner bound to its credentials and options. */
export type Fleet = {
  readonly inventory: Inventory;
  /** The hosts the limit (and the shard) selected, in inventory order. */
  readonly hosts: readonly InventoryHost[];
  readonly runOptions: FleetRunOptions;
  /** Inventory hosts by name (unknown names are skipped). */
  pick(names: readonly string[]): InventoryHost[];
  /** Runs `task` on `hosts` (default: the selected hosts). */
  run<D>(task: DeviceTask<D>, hosts?: readonly InventoryHost[]): AsyncIterable<FleetEvent<D>>;
};

/** Loads the inventory, selects the hosts and prepares credentials, known hosts and the runner. */
export function openFleet(options: OpenFleetOptions): Fleet {
  const inventory = loadInventory(options.inventoryFile);
  const hosts = selectShard(selectHosts(inventory, options.limit), options.shard);
  const env = options.env ?? process.env;
  const { settings } = options;
  const runOptions: FleetRunOptions = {
    context: fleetCredentialContext({
      inventory,
      knownHostsFile: options.knownHostsFile,
      settings,
      acceptNewHostKeys: options.acceptNewHostKeys ?? false,
      env,
      sshConfigPath: options.sshConfigPath,
      askPassword: options.askPassword,
    }),
    concurrency: options.concurrency ?? settings.concurrency,
    commandTimeoutMs: options.commandTimeoutMs ?? settings.timeout * 1000,
    connectTimeoutMs: options.connectTimeoutMs ?? settings.connectTimeout * 1000,
    logDir: options.logDir,
    lineByLine: options.lineByLine,
    attempts: options.attempts ?? settings.connectAttempts,
  };
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  return {
    inventory,
    hosts,
    runOptions,
    pick: (names) => names.flatMap((n) => byName.get(n) ?? []),
    run: (task, selected = hosts) => runFleet(selected, task, runOptions),
  };
}
