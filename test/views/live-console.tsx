/** A console rendered with ink-testing-library on a live back end, as the view tests use it. */
import { render } from 'ink-testing-library';
import { createIntents } from '../../src/console/adapters/intents.js';
import { connectLive, type LiveConnection } from '../../src/console/adapters/live.js';
import type { ConsoleApi } from '../../src/console/ports.js';
import { createConsoleStore, type ConsoleStore } from '../../src/console/store.js';
import { ConsoleApp } from '../../views/ConsoleApp.js';
import { TOKEN } from '../backend/helpers.js';
import { frameHas } from './wait.js';

export type LiveConsole = {
  readonly store: ConsoleStore;
  readonly live: LiveConnection;
  readonly ui: ReturnType<typeof render>;
  /** Types `keys` into the console and lets Ink handle them. */
  press(keys: string): Promise<void>;
  /** The last frame drawn ('' before the first). */
  frame(): string;
  /** Resolves once the last frame contains `text` (or matches it). */
  has(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Stops the console: unmounts, closes the stream, disposes the store. */
  close(): void;
};

/** Renders the console on the back end at `url`, streaming from seq 0, and resolves once it is live. */
export async function renderLiveConsole(url: string, api: ConsoleApi, token = TOKEN): Promise<LiveConsole> {
  const store = createConsoleStore({ batchMs: 10 });
  const live = connectLive(store, { url, token, api, since: 0, initialBackoffMs: 100, maxBackoffMs: 300 });
  const ui = render(<ConsoleApp store={store} intents={createIntents(store, { api })} />);
  await frameHas(ui.lastFrame, 'live');
  return {
    store,
    live,
    ui,
    async press(keys) {
      ui.stdin.write(keys);
      await new Promise((r) => setImmediate(r));
    },
    frame: () => ui.lastFrame() ?? '',
    has: (text, timeoutMs) => frameHas(ui.lastFrame, text, timeoutMs),
    close() {
      ui.unmount();
      live.close();
      store.dispose();
    },
  };
}
