import type { CommandModule } from 'yargs';
import { openDemoConsole } from '../src/demo/console.js';
import { demoAccessLines, demoExampleLines, startDemo, type Demo } from '../src/demo/demo.js';
import { runConsoleUi } from '../views/tui.js';
import { eventLine } from '../src/demo/event-line.js';
import { COUNT, numberOption } from '../src/cli/options.js';
import { AbortError } from '../src/errors.js';
import { loadSettings } from '../src/settings.js';

export type DemoCommandOptions = { readonly devices: number; readonly headless?: boolean | undefined; readonly json?: boolean | undefined; readonly gateway?: boolean | undefined };

export type DemoDeps = {
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Resolves when the demo should stop (default: SIGINT or SIGTERM). */
  readonly until?: (demo: Demo) => Promise<void>;
};

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Handler of `callhome demo`. */
export async function runDemo(opts: DemoCommandOptions, deps: DemoDeps = {}): Promise<void> {
  const stdout = deps.stdout ?? process.stdout;
  const headless = opts.headless === true || opts.json === true;
  if (!headless && stdout.isTTY !== true) throw new AbortError('The demo console needs a terminal.', 'Run `callhome demo --headless` (or --json) to print progress and events as lines.');
  const print = (line: string, json: Record<string, unknown>): void => {
    stdout.write(opts.json === true ? `${JSON.stringify(json)}\n` : `${line}\n`);
  };
  // Progress goes to the terminal until the console owns it (the demo takes a few seconds to start),
  // then to the console's status line: a line written under Ink would tear its frame.
  let progress = headless ? (line: string): void => print(line, { event: 'progress', message: line }) : (line: string): void => void stdout.write(`${line}\n`);
  const demo = await startDemo({ devices: opts.devices, onProgress: (line) => progress(line), gateway: opts.gateway === true });
  // The token file, never the token: see demoAccessLines.
  const access = {
    url: demo.backend.url,
    tokenFile: demo.tokenFile,
    envFile: demo.envFile,
    inventory: demo.inventoryFile,
    knownHosts: demo.knownHostsFile,
    // Where each demo user's password and env file are (never the password): how to log in as each.
    ...(demo.gateway ? { gateway: { id: demo.gateway.id, name: demo.gateway.name, url: demo.gateway.url, queueDir: demo.gateway.queueDir } } : {}),
    users: demo.accounts.map((a) => ({ user: a.user, company: a.company, role: a.role, passwordFile: a.passwordFile, envFile: a.envFile })),
  };
  const printAccess = (heading: string, event: 'ready' | 'stopped'): void => {
    if (opts.json === true) stdout.write(`${JSON.stringify({ event, ...access })}\n`);
    else stdout.write(`${[heading, ...demoAccessLines(demo).map((l) => `  ${l}`), ...(event === 'ready' ? demoExampleLines().map((l) => `    ${l}`) : [])].join('\n')}\n`);
  };
  try {
    if (headless) {
      const unsubscribe = demo.backend.eventLog.subscribe((e) => print(eventLine(e), { event: 'backend', ...e }));
      for (const e of await demo.backend.eventLog.since(0, 10_000)) print(eventLine(e), { event: 'backend', ...e });
      printAccess('ready (Ctrl-C stops):', 'ready');
      await (deps.until ?? untilSignal)(demo);
      unsubscribe();
    } else {
      stdout.write('console: reading the fleet before the first frame\n');
      const runtime = await openDemoConsole(demo, loadSettings());
      progress = (line) => runtime.store.dispatch({ type: 'ui/notice', notice: { level: 'info', text: line, at: Date.now() } });
      try {
        await runConsoleUi(runtime, { banner: demoAccessLines(demo) });
      } finally {
        progress = () => undefined;
        runtime.close();
      }
    }
    printAccess('callhome demo stopped; its temporary files are removed. It ran with:', 'stopped');
  } finally {
    await demo.close();
  }
}

/** `callhome demo [--devices 20] [--headless] [--json]`. */
export const demoCommand: CommandModule<object, DemoCommandOptions> = {
  command: 'demo',
  describe: 'Start a lab fleet and a back end, point them at each other and open the console',
  builder: (y) =>
    y
      .option('devices', { ...numberOption('--devices', { ...COUNT, max: 500, example: 20 }, 'Lab devices to start'), default: 20 })
      .option('headless', { type: 'boolean', default: false, describe: 'Print progress and events as lines instead of the console' })
      .option('json', { type: 'boolean', default: false, describe: 'Like --headless, one JSON object per line' })
      .option('gateway', { type: 'boolean', default: false, describe: 'Put a Transport Gateway between the HTTP half of the lab and the back end' }),
  handler: async (argv) => {
    await runDemo(argv);
  },
};
