import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import { messageColumns } from '../src/console/columns.js';
import type { MessageSummary } from '../src/events/protocol.js';

export type MessagesOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  json: boolean;
  device?: string | undefined;
  type?: string | undefined;
  severity?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

/** Lists stored messages, newest first (`{"messages": [...], "next": cursor}` with --json). */
export async function runMessages(opts: MessagesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const page = await clientFor(opts, deps).messages({ device: opts.device, type: opts.type, severity: opts.severity, since: opts.since, until: opts.until, q: opts.q, cursor: opts.cursor, limit: opts.limit });
  if (opts.json) return printJson(deps, page);
  const ctx = { timeStyle: timeStyleFor(deps), now: Date.now() };
  // The messages screen's columns, with the id (what `callhome messages --json` and the API call it) and the serial.
  const columns = messageColumns(ctx.timeStyle, { serial: true }).map((c) => ({ header: c.header, cell: (m: MessageSummary) => c.cell(m, ctx) }));
  deps.stdout(textTable<MessageSummary>([{ header: 'Id', cell: (m) => m.id }, ...columns], page.messages, 'No messages match.'));
  if (page.next) deps.stdout(`More: --cursor ${page.next}\n`);
}

/** `callhome messages`: List messages received by the back end. */
export const messagesCommand: CommandModule<object, MessagesOptions> = {
  command: 'messages',
  describe: 'List messages received by the back end',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .option('device', { type: 'string', describe: 'Serial number or hostname' })
      .option('type', { type: 'string', describe: 'Message type (inventory, syslog, ...)' })
      .option('severity', { type: 'string', describe: 'Minimum severity, 0-9 or a keyword' })
      .option('since', { type: 'string', describe: 'Received at or after (ISO time)' })
      .option('until', { type: 'string', describe: 'Received before (ISO time)' })
      .option('q', { type: 'string', describe: 'Text in the description, event name or hostname' })
      .option('cursor', { type: 'string', describe: 'Continue from a previous page' })
      .option('limit', { type: 'number', default: 100, describe: 'Messages per page (1-1000)' }) as unknown as Argv<MessagesOptions>,
  handler: (argv: ArgumentsCamelCase<MessagesOptions>) => runMessages(argv),
};
