import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { pageSizeFrom, withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import type { ApiClient, MessageQuery } from '../src/client/api-client.js';
import { walkPages } from '../src/client/paging.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import { parseMessageType, parseSeverityFlag, parseTimeFlag } from '../src/client/query-flags.js';
import { messageColumns } from '../src/console/columns.js';
import { MESSAGE_KINDS } from '../src/domain/callhome.js';
import type { MessageSummary } from '../src/events/protocol.js';

/** The flags: the query's filters as typed (strings, checked in runMessages), the page size as --max. */
export type MessagesOptions = Omit<MessageQuery, 'severity' | 'limit'> & {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  severity?: string | undefined;
  /** Messages per page. */
  max?: string | number | undefined;
  /** Deprecated spelling of --max (kept for one release). */
  limit?: string | number | undefined;
  /** search (issue 14): every page, following `next` until there is none. */
  all?: boolean | undefined;
};

type MessagesPage = Awaited<ReturnType<ApiClient['messages']>>;

/** Lists stored messages, newest first (`{"messages": [...], "next": cursor}` with --json). */
export async function runMessages(opts: MessagesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  // Every flag is checked before the back end is asked: a bad one is a usage error that says what is accepted.
  const query = {
    device: opts.device,
    type: opts.type === undefined ? undefined : parseMessageType(opts.type),
    severity: opts.severity === undefined ? undefined : parseSeverityFlag(opts.severity),
    since: opts.since === undefined ? undefined : parseTimeFlag(opts.since, '--since'),
    until: opts.until === undefined ? undefined : parseTimeFlag(opts.until, '--until'),
    q: opts.q,
    company: opts.company,
    hostname: opts.hostname,
    serial: opts.serial,
    cursor: opts.cursor,
    limit: pageSizeFrom(opts, 100, 1000, deps.stderr ?? ((t) => process.stderr.write(t))),
  };
  const client = clientFor(opts, deps);
  const page = opts.all ? await everyPage((cursor) => client.messages({ ...query, cursor }), query.cursor) : await client.messages(query);
  if (opts.json) return printJson(deps, page);
  const ctx = { timeStyle: timeStyleFor(deps), now: Date.now() };
  // The messages screen's columns, with the id (what `callhome messages --json` and the API call it) and the serial.
  const columns = messageColumns(ctx.timeStyle, { serial: true }).map((c) => ({ header: c.header, cell: (m: MessageSummary) => c.cell(m, ctx) }));
  deps.stdout(textTable<MessageSummary>([{ header: 'Id', cell: (m) => m.id }, ...columns], page.messages, 'No messages match.'));
  // search (issue 14): a page whose search stopped before it was full says so; older messages may still match.
  if (page.searched?.complete === false) deps.stdout(`Partial: searched back to messages received ${page.searched.through}; older ones may match (one page checks a bounded number of messages).\n`);
  if (page.next) deps.stdout(`More: --cursor ${page.next} (or --all for every page)\n`);
}

/** search (issue 14): every page of a query as one, walked until `next` is null (short and empty pages included). */
async function everyPage(read: (cursor: string | undefined) => Promise<MessagesPage>, cursor: string | undefined): Promise<MessagesPage> {
  const messages: MessageSummary[] = [];
  for await (const page of walkPages(read, cursor)) messages.push(...page.messages);
  return { messages, next: null, searched: { complete: true } };
}

/** `callhome messages`: List messages received by the back end. */
export const messagesCommand: CommandModule<object, MessagesOptions> = {
  command: 'messages',
  describe: 'List messages received by the back end',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .option('device', { type: 'string', describe: 'One device: its serial number (exact) or its whole host name (any case: r1 finds R1); for a part of a name use --hostname' })
      .option('type', { type: 'string', describe: `Message type: ${MESSAGE_KINDS.join(', ')}` })
      .option('severity', { type: 'string', describe: 'Minimum severity, 0-9 or a keyword (major = 5 and above)' })
      .option('since', { type: 'string', describe: 'Received at or after: ISO 8601 date or time, or an age (30m, 2h, 7d)' })
      .option('until', { type: 'string', describe: 'Received before: ISO 8601 date or time, or an age (30m, 2h, 7d)' })
      .option('q', { type: 'string', describe: 'Text in the description, event name or hostname' })
      .option('company', { type: 'string', describe: "Devices of this company (their contract's company)" })
      .option('hostname', { type: 'string', describe: "Part of the device's host name" })
      .option('serial', { type: 'string', describe: "Part of the device's serial number" })
      .option('cursor', { type: 'string', describe: 'Continue from a previous page' })
      .option('all', { type: 'boolean', describe: 'Every page, one after another (from --cursor when given)' })
      .option('max', { type: 'string', describe: 'Messages per page, 1-1000 (default 100)' })
      .option('limit', { type: 'string', deprecated: 'use --max', describe: 'Old spelling of --max (removed in the next release)' }) as unknown as Argv<MessagesOptions>,
  handler: (argv: ArgumentsCamelCase<MessagesOptions>) => runMessages(argv),
};
