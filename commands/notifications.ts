import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, type OutputDeps } from '../src/client/output.js';

export type NotificationsOptions = { backend?: string | undefined; token?: string | undefined; json: boolean; limit: number };

/** Lists recorded notifications, newest first. */
export async function runNotifications(opts: NotificationsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const { notifications } = await clientFor(opts, deps).notifications(opts.limit);
  if (opts.json) return printJson(deps, { notifications });
  deps.stdout(
    textTable(
      [
        { header: 'Id', cell: (n: (typeof notifications)[number]) => n.id },
        { header: 'Sent', cell: (n) => n.sentAt },
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
  builder: (y: Argv) => withBackendOptions(withOutputOptions(y)).option('limit', { type: 'number', default: 200, describe: 'How many, newest first' }) as unknown as Argv<NotificationsOptions>,
  handler: (argv: ArgumentsCamelCase<NotificationsOptions>) => runNotifications(argv),
};
