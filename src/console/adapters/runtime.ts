/**
 * Assembles a console runtime: store, back-end live link, fleet port and intents. Used by
 * `callhome console`, `callhome demo` and the dashboard, so they all see the same state.
 */
import { createApiClient } from '../../client/api-client.js';
import type { Settings } from '../../settings.js';
import { openFleetPort, type FleetPortOptions } from './fleet-port.js';
import { createIntents, type ConsoleIntents } from './intents.js';
import { connectLive, type LiveConnection } from './live.js';
import { createConsoleStore, type ConsoleStore } from '../store.js';
import type { ScreenName } from '../types.js';
import { initialConsoleState } from '../reducer.js';

export type ConsoleRuntimeOptions = {
  readonly settings: Settings;
  readonly inventoryFile?: string | undefined;
  /** One desired configuration, or one per host. */
  readonly desired?: FleetPortOptions['desired'];
  readonly knownHostsFile?: string | undefined;
  readonly acceptNewHostKeys?: boolean | undefined;
  readonly backend?: { readonly url: string; readonly token: string } | undefined;
  /** Replay the event log from this seq (0 for a fresh back end). */
  readonly since?: number;
  readonly screen?: ScreenName;
};

export type ConsoleRuntime = { readonly store: ConsoleStore; readonly intents: ConsoleIntents; close(): void };

/** Opens a runtime; nothing connects until this is called. */
export function openConsoleRuntime(options: ConsoleRuntimeOptions): ConsoleRuntime {
  const initial = initialConsoleState(options.screen ?? (options.inventoryFile ? 'fleet' : 'messages'), options.settings.timeZone);
  const store = createConsoleStore({ initial: { ...initial, backendUrl: options.backend?.url ?? null } });
  const api = options.backend !== undefined ? createApiClient(options.backend) : undefined;
  let live: LiveConnection | undefined;
  if (options.backend !== undefined && api !== undefined) {
    live = connectLive(store, { url: options.backend.url, token: options.backend.token, api, ...(options.since !== undefined ? { since: options.since } : {}) });
  }
  let fleet: ReturnType<typeof openFleetPort> | undefined;
  if (options.inventoryFile !== undefined) {
    fleet = openFleetPort({
      inventoryFile: options.inventoryFile,
      settings: options.settings,
      desired: options.desired,
      knownHostsFile: options.knownHostsFile,
      acceptNewHostKeys: options.acceptNewHostKeys,
      backend: options.backend,
    });
    store.dispatch({ type: 'fleet/hosts', hosts: fleet.hosts });
  }
  const intents = createIntents(store, { api, fleet: fleet?.port });
  // The fleet screen has data from the first frame: hosts show the read in progress, not "unknown until r".
  if (fleet !== undefined && store.getState().screen === 'fleet') intents.readFleet(true);
  return {
    store,
    intents,
    close() {
      live?.close();
      store.dispose();
    },
  };
}
