/**
 * The demo's console runtime: the same store, live link and fleet port as `callhome console`, with
 * each host compared against the configuration the demo pushed to it (the two halves differ), and
 * the fleet screen's data read before the first frame is drawn.
 */
import { openConsoleRuntime, type ConsoleRuntime } from '../console/adapters/runtime.js';
import type { ScreenName } from '../console/types.js';
import type { Settings } from '../settings.js';
import type { Demo } from './demo.js';

export type DemoConsoleOptions = {
  /** Screen shown first (default: messages, the liveliest). */
  readonly screen?: ScreenName;
  /** Longest wait for the fleet's first read; the console opens anyway after it. */
  readonly fleetReadTimeoutMs?: number;
};

/** Opens the demo's console runtime once every host's profiles and drift are known (or the wait ran out). */
export async function openDemoConsole(demo: Demo, settings: Settings, options: DemoConsoleOptions = {}): Promise<ConsoleRuntime> {
  const runtime = openConsoleRuntime({
    settings,
    inventoryFile: demo.inventoryFile,
    knownHostsFile: demo.knownHostsFile,
    desired: demo.desiredFor,
    backend: { url: demo.backend.url, token: demo.token },
    since: 0,
    screen: 'fleet',
  });
  await readFleet(runtime, options.fleetReadTimeoutMs ?? 30_000);
  runtime.store.dispatch({ type: 'ui/screen', screen: options.screen ?? 'messages' });
  runtime.store.flush();
  return runtime;
}

/** True when every host has a finished profiles read and, when that read succeeded, its drift. */
function fleetKnown(runtime: ConsoleRuntime): boolean {
  return runtime.store.getState().fleet.every((h) => {
    const read = h.results.profiles;
    return h.running === null && read !== undefined && (!read.ok || h.drift !== null);
  });
}

/** Does what `r` does on the fleet screen, and waits for it. */
async function readFleet(runtime: ConsoleRuntime, timeoutMs: number): Promise<void> {
  // Quiet: the runtime already started this read when it opened on the fleet screen.
  runtime.intents.refresh(true);
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      clearInterval(poll);
      clearTimeout(limit);
      resolve();
    };
    // The store publishes in batches; polling its newest state is simpler than following them.
    const poll = setInterval(() => {
      if (fleetKnown(runtime)) finish();
    }, 50);
    const limit = setTimeout(finish, timeoutMs);
  });
}
