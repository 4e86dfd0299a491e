import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { pageSizeFrom } from '../src/client/query-flags.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';

export type NotificationsOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  /** How many, newest first. */
  max?: string | number | undefined;
  /** Deprecated spelling of --max (kept for one release). */
  limit?: string | number | undefined;
};

/** Lists recorded notifications, newest first. */
export async function runNotifications(opts: NotificationsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const max = pageSizeFrom(opts, 200, 1000, deps.stderr ?? ((t) => process.stderr.write(t)));
  const { notifications } = await clientFor(opts, deps).notifications(max);
  if (opts.json) return printJson(deps, { notifications });
  const style = timeStyleFor(deps);
  deps.stdout(
    textTable(
      [
        { header: 'Id', cell: (n: (typeof notifications)[number]) => n.id },
        { header: 'Sent', cell: (n) => formatTime(n.sentAt, style) },
        { header: 'Kind', cell: (n) => n.kind },
        { header: 'To', cell: (n) => n.to.join(', ') },
        { header: 'Subject', cell: (n) => n.subject },
        { header: 'Delivered', cell: (n) => (n.delivered ? 'yes' : n.error ? `no: ${n.error}` : 'recorded') },
      ],
      notifications,
      'No notifications.',
    ),
  );
}

/** `callhome notifications`: List notifications the back end sent. */
export const notificationsCommand: CommandModule<object, NotificationsOptions> = {
  command: 'notifications',
  describe: 'List notifications the back end sent',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .option('max', { type: 'string', describe: 'How many, newest first: 1-1000 (default 200)' })
      .option('limit', { type: 'string', deprecated: 'use --max', describe: 'Old spelling of --max (removed in the next release)' }) as unknown as Argv<NotificationsOptions>,
  handler: (argv: ArgumentsCamelCase<NotificationsOptions>) => runNotifications(argv),
};
