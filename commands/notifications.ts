import { readFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { pageSizeFrom, withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import { formatTime } from '../src/console/time-style.js';
import { AbortError } from '../src/errors.js';

export type NotificationsOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  /** `list` (default) or `ca-certificate-update`. */
  action?: string | undefined;
  /** ca-certificate-update: the root bundle version the mail names. */
  version?: string | undefined;
  /** ca-certificate-update: one instruction per line (default: the service's §7.3 steps). */
  instructionsFile?: string | undefined;
  /** How many, newest first. */
  max?: string | number | undefined;
  /** Deprecated spelling of --max (kept for one release). */
  limit?: string | number | undefined;
};

/** Lists recorded notifications, newest first. */
export async function runNotifications(opts: NotificationsOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  if (opts.action === 'ca-certificate-update') return runCaCertificateUpdate(opts, deps);
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

/** N25 (SCH administrators): mails the CA certificate update instructions to every registered user with a valid CCO ID. */
async function runCaCertificateUpdate(opts: NotificationsOptions, deps: OutputDeps): Promise<void> {
  const version = opts.version?.trim();
  if (!version) throw new AbortError('Name the root certificate bundle version.', 'Run: callhome notifications ca-certificate-update VERSION [--instructions-file FILE]');
  let instructions: string[] | undefined;
  if (opts.instructionsFile !== undefined) {
    const text = await readFile(opts.instructionsFile, 'utf8').catch((e: unknown) => {
      throw new AbortError(`Cannot read ${opts.instructionsFile ?? ''}: ${e instanceof Error ? e.message : String(e)}`, 'Give a text file with one instruction per line.');
    });
    instructions = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (instructions.length === 0) throw new AbortError(`${opts.instructionsFile} has no instructions.`, 'Give a text file with one instruction per line.');
  }
  const r = await clientFor(opts, deps).caCertificateUpdate(version, instructions);
  if (opts.json) return printJson(deps, r);
  deps.stdout(`CA certificate update ${r.version}: mailed ${r.notified.length} user${r.notified.length === 1 ? '' : 's'}${r.skipped.length > 0 ? `; skipped ${r.skipped.map((s) => `${s.user} (${s.reason})`).join(', ')}` : ''}.\n`);
}

/** `callhome notifications`: List notifications the back end sent; `notifications ca-certificate-update VERSION` sends N25. */
export const notificationsCommand: CommandModule<object, NotificationsOptions> = {
  // The positional is not called `version`: yargs reserves that name (its --version flag) and drops the value.
  command: 'notifications [action] [bundle-version]',
  describe: 'List notifications the back end sent, or send the CA certificate update instructions',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('action', { choices: ['list', 'ca-certificate-update'] as const, default: 'list', describe: 'list, or ca-certificate-update (SCH administrators)' })
      .positional('bundle-version', { type: 'string', describe: 'ca-certificate-update: the root certificate bundle version' })
      .option('instructions-file', { type: 'string', describe: 'ca-certificate-update: one instruction per line (default: the service’s steps)' })
      .option('max', { type: 'string', describe: 'How many, newest first: 1-1000 (default 200)' })
      .option('limit', { type: 'string', deprecated: 'use --max', describe: 'Old spelling of --max (removed in the next release)' }) as unknown as Argv<NotificationsOptions & { bundleVersion?: string }>,
  handler: (argv: ArgumentsCamelCase<NotificationsOptions & { bundleVersion?: string }>) => runNotifications({ ...argv, version: argv.bundleVersion }),
};
