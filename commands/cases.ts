import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { numberOption, withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import type { CaseSummary } from '../src/events/protocol.js';
import { formatTime } from '../src/console/time-style.js';
import { terminalSafe, terminalSafeLines } from '../src/util/terminal-text.js';
import { AbortError } from '../src/errors.js';

export type CasesOptions = {
  backend?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  json: boolean;
  /** `close`, `update`, or the case number to show (`cases NUMBER`). */
  action?: string | undefined;
  number?: string | undefined;
  note?: string | undefined;
  status?: 'resolved' | 'open' | undefined;
  priority?: number | undefined;
};

/** Lists cases, shows one with its history and attached output, or closes / updates one (S55). */
export async function runCases(opts: CasesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  if (opts.action === 'close' || opts.action === 'update') return changeCase({ ...opts, action: opts.action }, deps);
  // `cases NUMBER`: the first positional is the number.
  if (opts.action !== undefined) {
    if (opts.number !== undefined) throw new AbortError(`Unknown cases action "${opts.action}".`, 'Use callhome cases [NUMBER], callhome cases close NUMBER --note TEXT or callhome cases update NUMBER --note TEXT.');
    return runCases({ ...opts, action: undefined, number: opts.action }, deps);
  }
  const client = clientFor(opts, deps);
  if (opts.number) {
    const c = await client.case(opts.number);
    if (opts.json) return printJson(deps, c);
    const style = timeStyleFor(deps);
    // Device text is escaped for the terminal; --json keeps it as it came.
    deps.stdout(terminalSafeLines(`Case ${c.number} (${c.status}, P${c.priority}) ${c.title}\nDevice: ${c.hostname} ${c.serial}\nRecommendation: ${c.recommendation}\n`));
    for (const h of c.history) deps.stdout(`  ${formatTime(h.at, style)}  ${terminalSafe(h.note)}\n`);
    deps.stdout(`Attachments: ${terminalSafe(c.attachments.map((a) => a.name).join(', ')) || 'none'}\n`);
    return;
  }
  const { cases } = await client.cases();
  if (opts.json) return printJson(deps, { cases });
  const style = timeStyleFor(deps);
  deps.stdout(
    textTable<CaseSummary>(
      [
        { header: 'Number', cell: (c) => c.number },
        { header: 'Status', cell: (c) => c.status },
        { header: 'Priority', cell: (c) => `P${c.priority}` },
        { header: 'Hostname', cell: (c) => c.hostname },
        { header: 'Title', cell: (c) => c.title },
        { header: 'Updated', cell: (c) => formatTime(c.updatedAt, style) },
      ],
      cases,
      'No cases.',
    ),
  );
}

/** `cases close|update NUMBER`: the operator's side of the SR lifecycle; the back end mails the change (N12). */
async function changeCase(opts: CasesOptions & { action: 'close' | 'update' }, deps: OutputDeps): Promise<void> {
  if (!opts.number) throw new AbortError(`callhome cases ${opts.action} needs the case number.`, `Give it: callhome cases ${opts.action} NUMBER --note TEXT (callhome cases lists them).`);
  const note = opts.note?.trim() ?? '';
  if (note === '') throw new AbortError(`callhome cases ${opts.action} needs --note.`, 'Say why, e.g. --note "fan tray replaced"; the note goes into the case history and the mail.');
  if (opts.action === 'close' && (opts.status !== undefined || opts.priority !== undefined)) throw new AbortError('--status and --priority go with cases update, not close.', 'Close with only --note.');
  const client = clientFor(opts, deps);
  const c = opts.action === 'close' ? await client.closeCase(opts.number, note) : await client.updateCase(opts.number, { note, status: opts.status, priority: opts.priority });
  if (opts.json) return printJson(deps, c);
  deps.stdout(`Case ${c.number} is ${c.status} (P${c.priority}).\n`);
}

/** `callhome cases`: List service requests (cases) opened by the back end, show, close or update one. */
export const casesCommand: CommandModule<object, CasesOptions> = {
  command: 'cases [action] [number]',
  describe: 'List service requests (cases), show one, or close / update one',
  builder: (y: Argv) =>
    withBackendOptions(withOutputOptions(y))
      .positional('action', { type: 'string', describe: 'close or update (or a case number to show)' })
      .positional('number', { type: 'string', describe: 'Case (SR) number' })
      .option('note', { type: 'string', describe: 'What changed or why it is closed (required for close and update)' })
      .option('status', { choices: ['resolved', 'open'] as const, describe: 'update: mark the case resolved, or open again' })
      .option('priority', numberOption('--priority', { whole: true, min: 1, max: 4, example: 2 }, 'update: new priority 1-4')) as unknown as Argv<CasesOptions>,
  handler: (argv: ArgumentsCamelCase<CasesOptions>) => runCases(argv),
};
