import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { numberFlag, withBackendOptions } from '../src/cli/options.js';
import type { StreamState } from '../src/events/client.js';
import { EVENT_TYPES, formatEventLine } from '../src/events/format.js';
import { tailEvents } from '../src/events/tail.js';
import { tokenMissing } from '../src/events/token-problems.js';
import { terminalSafe } from '../src/util/terminal-text.js';
import { resolveBackendConnection, type BackendConnection } from '../src/settings.js';

export type EventsOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  ndjson: boolean;
  /** An event seq (a whole number); a string as typed on the command line. */
  since?: number | string | undefined;
  follow: boolean;
  type?: string[] | undefined;
};

/** Where `callhome events` writes and how it connects; tests pass their own. */
export type EventsDeps = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly connection?: BackendConnection;
  /** Ends a following stream (the command wires SIGINT/SIGTERM to it). */
  readonly signal?: AbortSignal;
};

/** Prints back-end events, one per line: NDJSON with `seq` and `type`, or a readable line. */
export async function runEvents(opts: EventsOptions, deps: EventsDeps): Promise<void> {
  const since = opts.since === undefined ? undefined : numberFlag('--since', opts.since, { whole: true, min: 0, noun: 'an event seq', hint: 'such as the last seq printed (0 replays every stored event)' });
  const { url, token } = deps.connection ?? resolveBackendConnection(opts);
  if (!token) throw tokenMissing(url);
  const types = new Set<string>(opts.type ?? []);
  const { delivered } = await tailEvents({
    url,
    token,
    since,
    follow: opts.follow,
    ...(deps.signal ? { signal: deps.signal } : {}),
    onEvent: (event) => {
      if (types.size > 0 && !types.has(event.type)) return;
      // Readable lines escape control characters from devices; --ndjson keeps the data as it came.
      deps.stdout(opts.ndjson ? `${JSON.stringify(event)}\n` : `${terminalSafe(formatEventLine(event))}\n`);
    },
    onWarning: (message) => deps.stderr(`Warning: ${message}\n`),
    onState: (state) => {
      const line = describeState(state);
      if (line) deps.stderr(`${line}\n`);
    },
  });
  if (!opts.ndjson && !opts.follow && delivered === 0) deps.stderr('No stored events after that seq.\n');
}

/** Only a disconnect is worth a line on stderr; the rest is routine. */
function describeState(state: StreamState): string | undefined {
  return state.type === 'backing-off' ? `Disconnected (${state.reason}); reconnecting in ${(state.retryInMs / 1000).toFixed(1)} s` : undefined;
}

/** `callhome events`: Stream back-end events. */
export const eventsCommand: CommandModule<object, EventsOptions> = {
  command: 'events',
  describe: 'Stream back-end events',
  builder: (y: Argv) =>
    withBackendOptions(y)
      .option('ndjson', { type: 'boolean', default: false, describe: 'Print one JSON event per line (each with seq and type)' })
      .option('since', { type: 'string', describe: 'Start after this event seq (default: live only; 0 with --no-follow)' })
      .option('follow', { type: 'boolean', default: true, describe: 'Keep streaming live events; --no-follow stops at the newest stored event' })
      .option('type', { type: 'string', array: true, choices: EVENT_TYPES, describe: 'Only these event types' })
      .example('$0 events --ndjson --since 0 --no-follow', 'Print every stored event as NDJSON and exit')
      .example('$0 events --type message.received', 'Follow received messages') as unknown as Argv<EventsOptions>,
  handler: async (argv: ArgumentsCamelCase<EventsOptions>) => {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runEvents(argv, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        signal: stop.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
