import type { Argv, CommandModule } from 'yargs';
import { withFleetOptions } from '../src/cli/options.js';
import { AbortError } from '../src/errors.js';
import { sendCommandLine, type SendRequest } from '../src/fleet/exec-requests.js';
import { runFleetCommand, type FleetDeps, type FleetFlags, type FleetRunReport } from '../src/cli/fleet-command.js';
import type { ExecData } from '../src/domain/fleet.js';
import { execTask } from '../src/fleet/show-task.js';
import { commandLineView } from '../src/output/fleet-views.js';

/** Triggers a Call Home send on every selected device. */
export function runFleetSend(opts: FleetFlags & { readonly request: SendRequest }, deps: FleetDeps = {}): Promise<FleetRunReport<ExecData>> {
  // Built once, so a refused request stops the command before any device is touched.
  const line = sendCommandLine(opts.request);
  return runFleetCommand(opts, execTask(line), deps, commandLineView(line));
}

type SendArgs = FleetFlags & {
  readonly kind: string;
  readonly target?: string | undefined;
  readonly profile?: string | undefined;
  readonly message?: string | undefined;
  readonly slot?: string | undefined;
  readonly email?: string | undefined;
  readonly msgFormat?: 'long-text' | 'xml' | undefined;
  readonly http?: boolean | undefined;
  readonly destinationEmail?: string | undefined;
  readonly sr?: string | undefined;
};

function toRequest(argv: SendArgs): SendRequest {
  switch (argv.kind) {
    case 'test':
      if (!argv.profile) throw new AbortError('`send test` needs --profile NAME.');
      return { kind: 'test', profile: argv.profile, message: argv.message };
    case 'alert-group': {
      const group = argv.target;
      if (group !== 'configuration' && group !== 'inventory' && group !== 'crash' && group !== 'diagnostic') {
        throw new AbortError('`send alert-group` takes configuration, inventory, crash or diagnostic.');
      }
      return { kind: 'alert-group', group, profile: argv.profile, slot: argv.slot };
    }
    case 'cli':
      return {
        kind: 'cli',
        commands: (argv.target ?? '').split(';').map((c) => c.trim()).filter((c) => c !== ''),
        email: argv.email,
        msgFormat: argv.msgFormat,
        http: argv.http,
        destinationEmail: argv.destinationEmail,
        srNumber: argv.sr,
      };
    default:
      throw new AbortError(`Unknown send kind "${argv.kind}"; use test, alert-group or cli.`);
  }
}

/** `callhome send test|alert-group <group>|cli "<cmds>"`. */
export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send <kind> [target]',
  describe: 'Send a Call Home test, alert-group or command-output message from every device',
  builder: (y: Argv) =>
    withFleetOptions(y)
      .positional('kind', { choices: ['test', 'alert-group', 'cli'] as const, demandOption: true })
      .positional('target', { type: 'string', describe: 'alert-group: the group; cli: "cmd1;cmd2"' })
      .option('profile', { type: 'string', describe: 'Destination profile' })
      .option('message', { type: 'string', describe: 'test: the message text' })
      .option('slot', { type: 'string', describe: 'alert-group diagnostic: the slot' })
      .option('email', { type: 'string', describe: 'cli: send the output to this address' })
      .option('msg-format', { choices: ['long-text', 'xml'] as const, describe: 'cli --email: message format' })
      .option('http', { type: 'boolean', describe: 'cli: send by HTTP to the CiscoTAC-1 URL' })
      .option('destination-email', { type: 'string', describe: 'cli --http: forward to this address' })
      .option('sr', { type: 'string', describe: 'cli: TAC service request number' }),
  handler: async (argv) => {
    process.exitCode = (await runFleetSend({ ...argv, request: toRequest(argv) })).exitCode;
  },
};
