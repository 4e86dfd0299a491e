/** Option groups shared by several subcommands, so every command spells them the same way. */
import type { Argv } from 'yargs';
import { parseShard } from '../fleet/shard.js';
import { OUTPUT_MODES } from '../output/fleet-output.js';
import { checkBackendUrl } from '../settings.js';

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
    .option('backend', { type: 'string', describe: 'Back-end URL, http:// or https:// (default: $CALLHOME_BACKEND or settings)' })
    .option('token', { type: 'string', describe: 'API token (visible in ps: prefer --token-file or $CALLHOME_TOKEN)' })
    .option('token-file', { type: 'string', describe: 'File whose first line is the API token (default: $CALLHOME_TOKEN)' })
    .conflicts('token', 'token-file')
    .check((argv) => {
      if (typeof argv.backend === 'string') checkBackendUrl(argv.backend, '--backend');
      return true;
    });
}

/** `--backend` alone, for commands that bring their own credentials (`login`, `logout`). */
export function withBackendUrlOption<T>(y: Argv<T>) {
  return y.option('backend', { type: 'string', describe: 'Back-end URL, http:// or https:// (default: $CALLHOME_BACKEND or settings)' }).check((argv) => {
    if (typeof argv.backend === 'string') checkBackendUrl(argv.backend, '--backend');
    return true;
  });
}

/** The Device report's six search criteria (S69) as typed on the command line, by API name. */
export const DEVICE_SEARCH_FLAGS = {
  company: '--company',
  hostname: '--hostname',
  serial: '--serial',
  model: '--model',
  cardModel: '--card-model',
  cardSerial: '--card-serial',
} as const;

/** The search flags' values, by API name (`devices`, `reports device`). */
export type DeviceSearchFlags = { readonly [K in keyof typeof DEVICE_SEARCH_FLAGS]?: string | undefined };

/** The six Device-report criteria (S69), one wording for `callhome devices` and `callhome reports`. */
export function withDeviceSearchOptions<T>(y: Argv<T>) {
  return y
    .option('company', { type: 'string', describe: 'Devices of this company (the whole name, any case)' })
    .option('hostname', { type: 'string', describe: 'Part of the host name, any case' })
    .option('serial', { type: 'string', describe: 'Part of the chassis serial number, any case' })
    .option('model', { type: 'string', describe: 'Part of the chassis model (PID), any case' })
    .option('card-model', { type: 'string', describe: 'Part of a card model (any module, sub-module, power supply or fan), any case' })
    .option('card-serial', { type: 'string', describe: 'Part of a card serial number, any case' });
}

/** The fleet options every SSH command takes. */
export function withFleetOptions<T>(y: Argv<T>) {
  return withOutputOptions(y)
    .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'Inventory file (callhome YAML, Ansible YAML or INI)' })
    .option('limit', { alias: 'l', type: 'string', describe: 'Host and group patterns, as Ansible --limit (any case; @FILE reads one per line)' })
    .option('concurrency', { type: 'number', describe: 'Devices at once (default 50 or settings)' })
    .option('known-hosts', { type: 'string', describe: 'OpenSSH known_hosts file to verify host keys against' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'Record keys of hosts not yet known (changed keys are always refused)' })
    .option('timeout', { type: 'number', describe: 'Per-command read timeout in seconds' })
    .option('connect-timeout', { type: 'number', describe: 'Seconds for one connection attempt: TCP, SSH handshake, login (default 10 or settings)' })
    .option('connect-attempts', { type: 'number', describe: 'Connection attempts per device, refused or timed-out connections only (default 3 or settings)' })
    .option('log-dir', { type: 'string', describe: 'Keep each device session transcript here (secrets masked)' })
    .option('line-by-line', { type: 'boolean', default: false, describe: 'Send one line per round trip instead of typing lines ahead (for devices that drop typed-ahead input; chosen automatically when a device shows it)' })
    .option('output', { alias: 'o', choices: OUTPUT_MODES, describe: 'Human output: failures (terminal default), table (every device), plain (default when piped); json, ndjson' })
    .option('shard', { type: 'string', describe: 'i/n: run only the i-th of n shards of the selected hosts (merge the outcomes with merge-results)' })
    .option('retry-file', { type: 'string', describe: 'Write the failed hosts here, for --limit @FILE (default: callhome.retry in --log-dir)' })
    .check((argv) => {
      const problem = fleetFlagProblem(argv);
      if (problem !== null) throw new Error(problem);
      return true;
    });
}

/** What is wrong with the fleet flags' values, or null (yargs reads a non-number as NaN). */
export function fleetFlagProblem(flags: {
  readonly concurrency?: unknown;
  readonly timeout?: unknown;
  readonly connectTimeout?: unknown;
  readonly connectAttempts?: unknown;
  readonly limit?: unknown;
  readonly shard?: unknown;
}): string | null {
  const { concurrency, timeout, connectTimeout, connectAttempts, limit, shard } = flags;
  if (shard !== undefined) {
    const parsed = parseShard(String(shard));
    if (typeof parsed === 'string') return parsed;
  }
  if (concurrency !== undefined && (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1)) {
    return `--concurrency ${String(concurrency)} is not a positive whole number. Give e.g. --concurrency 50.`;
  }
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) {
    return `--timeout ${String(timeout)} is not a positive number of seconds. Give e.g. --timeout 30.`;
  }
  if (connectTimeout !== undefined && (typeof connectTimeout !== 'number' || !(connectTimeout > 0) || !Number.isFinite(connectTimeout))) {
    return `--connect-timeout ${String(connectTimeout)} is not a positive number of seconds. Give e.g. --connect-timeout 5.`;
  }
  if (connectAttempts !== undefined && (typeof connectAttempts !== 'number' || !Number.isInteger(connectAttempts) || connectAttempts < 1 || connectAttempts > 10)) {
    return `--connect-attempts ${String(connectAttempts)} is not a whole number from 1 to 10.`;
  }
  if (limit !== undefined && (typeof limit !== 'string' || limit.trim() === '')) return '--limit needs a host or group pattern, e.g. --limit core or --limit @retry.txt.';
  return null;
}
