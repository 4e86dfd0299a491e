/** Option groups shared by several subcommands, so every command spells them the same way. */
import type { Argv } from 'yargs';

/** `--json` / `--ndjson` (docs/cli.md, Common). */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document on stdout' })
    .option('ndjson', { type: 'boolean', default: false, describe: 'Print one JSON object per line as results arrive' })
    // Not .conflicts(): yargs counts the `false` defaults as given and refuses every run.
    .check((argv) => {
      if (argv.json && argv.ndjson) throw new Error('Give either --json or --ndjson, not both.');
      return true;
    });
}

/** `--backend` / `--token` for commands that talk to the back end. */
export function withBackendOptions<T>(y: Argv<T>) {
  return y
    .option('backend', { type: 'string', describe: 'Back-end URL (default: $CALLHOME_BACKEND or settings)' })
    .option('token', { type: 'string', describe: 'API token (default: $CALLHOME_TOKEN)' });
}

/** The fleet options every SSH command takes. */
export function withFleetOptions<T>(y: Argv<T>) {
  return withOutputOptions(y)
    .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'Inventory file (callhome YAML, Ansible YAML or INI)' })
    .option('limit', { alias: 'l', type: 'string', describe: 'Host and group patterns, as Ansible --limit' })
    .option('concurrency', { type: 'number', describe: 'Devices at once (default 50 or settings)' })
    .option('known-hosts', { type: 'string', describe: 'OpenSSH known_hosts file to verify host keys against' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'Record keys of hosts not yet known (changed keys are always refused)' })
    .option('timeout', { type: 'number', describe: 'Per-command read timeout in seconds' })
    .option('log-dir', { type: 'string', describe: 'Keep each device session transcript here (secrets masked)' });
}
