import type { CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { REQUEST_KINDS, requestCommandLine, type AnalysisRequest, type RequestKind } from '../src/fleet/exec-requests.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import type { ExecData } from '../src/domain/fleet.js';
import { execTask } from '../src/fleet/show-task.js';
import { commandLineView } from '../src/output/fleet-views.js';

/** Sends a `call-home request …` from every selected device. */
export function runFleetRequest(opts: FleetFlags & { readonly request: AnalysisRequest }, deps: FleetDeps = {}): Promise<FleetRunReport<ExecData>> {
  const line = requestCommandLine(opts.request);
  return runFleetCommand(opts, execTask(line), deps, commandLineView(line));
}

type RequestArgs = FleetFlags & { readonly kind: RequestKind; readonly command?: string | undefined; readonly profile?: string | undefined; readonly ccoid?: string | undefined };

/** `callhome request <kind> ["show …"] [--profile P] [--ccoid ID]`. */
export const requestCommand: CommandModule<object, RequestArgs> = {
  command: 'request <kind> [command]',
  describe: 'Ask Cisco for an analysis or report (call-home request) from every device',
  builder: (y) =>
    withFleetOptions(y)
      .positional('kind', { choices: REQUEST_KINDS, demandOption: true })
      .positional('command', { type: 'string', describe: 'output-analysis: the show command' })
      .option('profile', { type: 'string', describe: 'Profile (default CiscoTAC-1)' })
      .option('ccoid', { type: 'string', describe: 'Send the reply to this registered user' }),
  handler: async (argv) => {
    process.exitCode = (await runFleetRequest({ ...argv, request: { kind: argv.kind, command: argv.command, profile: argv.profile, ccoid: argv.ccoid } })).exitCode;
  },
};
