/** Renders the Ink console on the terminal; Ink and React load only here, only for a TTY. */
import type { ConsoleRuntime } from '../src/console/adapters/runtime.js';

export type ConsoleUiOptions = {
  /** Lines shown above the status line for the whole session (the demo's back end, token file and paths). */
  readonly banner?: readonly string[];
};

/** Renders the console and resolves when the user quits. */
export async function runConsoleUi(runtime: ConsoleRuntime, options: ConsoleUiOptions = {}): Promise<void> {
  // React's development build is several times slower; the console is not a React dev session.
  process.env['NODE_ENV'] ??= 'production';
  const [{ render }, { createElement }, { ConsoleApp }] = await Promise.all([import('ink'), import('react'), import('./ConsoleApp.js')]);
  const app = render(createElement(ConsoleApp, { store: runtime.store, intents: runtime.intents, banner: options.banner }), { exitOnCtrlC: true });
  await app.waitUntilExit();
}
