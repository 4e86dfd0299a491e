import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions, withOutputOptions } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import type { CaseSummary } from '../src/events/protocol.js';
import { formatTime } from '../src/console/time-style.js';
import { terminalSafe, terminalSafeLines } from '../src/util/terminal-text.js';

export type CasesOptions = { backend?: string | undefined; token?: string | undefined; tokenFile?: string | undefined; json: boolean; number?: string | undefined };

/** Lists cases, or shows one with its history and attached output. */
export async function runCases(opts: CasesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
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

/** `callhome cases`: List service requests (cases) opened by the back end. */
export const casesCommand: CommandModule<object, CasesOptions> = {
  command: 'cases [number]',
  describe: 'List service requests (cases) opened by the back end, or show one',
  builder: (y: Argv) => withBackendOptions(withOutputOptions(y)).positional('number', { type: 'string', describe: 'Case (SR) number to show' }) as unknown as Argv<CasesOptions>,
  handler: (argv: ArgumentsCamelCase<CasesOptions>) => runCases(argv),
};
