/** Option groups shared by several subcommands, so every command spells them the same way. */
import type { Argv } from 'yargs';
import { parseShard } from '../fleet/shard.js';
import { OUTPUT_MODES } from '../output/fleet-output.js';
import { AbortError, UsageError } from '../errors.js';
import { checkBackendUrl } from '../settings.js';

/** What a numeric flag accepts (docs/cli.md), for the one check every numeric flag goes through. */
export type NumberRule = {
  /** Whole numbers only. */
  readonly whole?: boolean;
  /** The least value accepted (with `above`: values must be greater). */
  readonly min: number;
  readonly above?: boolean;
  readonly max?: number;
  /** What the number counts: "a positive number of seconds". */
  readonly unit?: string;
  /** What the value is, when a name says more than the range: "is not a page size". */
  readonly noun?: string;
  /** Said after the range in the hint: "such as the last seq printed". */
  readonly hint?: string;
  /** A value to suggest: "Give e.g. --concurrency 50." */
  readonly example?: number;
};

/** Ports to listen on: 0 picks a free one. */
export const PORT: NumberRule = { whole: true, min: 0, max: 65535, example: 8080 };
/** A count of at least one (connections, MiB, days…). */
export const COUNT: NumberRule = { whole: true, min: 1, example: 10 };
/** A duration in seconds, fractions allowed. */
export const SECONDS: NumberRule = { min: 0, above: true, unit: 'seconds', example: 30 };

/** "a whole number from 1 to 10", "a positive number of seconds", "a whole number of 0 or more". */
function allowedText(r: NumberRule): string {
  const kind = r.whole === true ? 'whole number' : 'number';
  const of = r.unit === undefined ? '' : ` of ${r.unit}`;
  if (r.max !== undefined) return `a ${kind}${of} from ${r.min} to ${r.max}`;
  if (r.min === 0 && r.above === true) return `a positive ${kind}${of}`;
  if (r.min === 1 && r.whole === true && r.above !== true) return `a positive whole number${of}`;
  return `a ${kind}${of}${of ? ',' : ' of'} ${r.above === true ? `more than ${r.min}` : `${r.min} or more`}`;
}

/**
 * The one check of every numeric flag: `value` as typed (a string) or as yargs read it (a number), against
 * `rule`. A value it refuses is a UsageError naming the flag, what was given and what is accepted.
 */
export function numberFlag(flag: string, value: unknown, rule: NumberRule): number {
  if (Array.isArray(value)) throw new UsageError(`${flag} was given ${value.length} times.`, `Give it once${rule.example === undefined ? '' : `, e.g. ${flag} ${rule.example}`}.`);
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  const inRange = (rule.above === true ? n > rule.min : n >= rule.min) && (rule.max === undefined || n <= rule.max);
  if (Number.isFinite(n) && (rule.whole !== true || Number.isInteger(n)) && inRange) return n;
  const given = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const allowed = allowedText(rule);
  if (rule.noun !== undefined) throw new UsageError(`${flag} ${given} is not ${rule.noun}.`, `Give ${allowed}${rule.hint === undefined ? '' : `, ${rule.hint}`}.`);
  throw new UsageError(`${flag} ${given} is not ${allowed}.`, rule.example === undefined ? undefined : `Give e.g. ${flag} ${rule.example}.`);
}

/**
 * A numeric flag for `.option(name, …)`: checked by numberFlag as yargs reads it. No yargs `type`, so a
 * word reaches the check as typed instead of as NaN.
 */
export function numberOption(flag: `--${string}`, rule: NumberRule, describe: string) {
  return {
    requiresArg: true,
    describe,
    coerce: (value: unknown): number => {
      try {
        return numberFlag(flag, value, rule);
      } catch (e) {
        // yargs keeps only the message of a coerce error: carry the hint in it.
        throw e instanceof AbortError && e.tryMessage !== undefined ? new UsageError(`${e.message}\n${e.tryMessage}`) : e;
      }
    },
  } as const;
}

/** `--json` / `--ndjson` (docs/cli.md, Common). */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document on stdout' })
    .option('ndjson', { type: 'boolean', default: false, describe: 'Print one JSON object per line as results arrive' })
    // Not .conflicts(): yargs counts the `false` defaults as given and refuses every run.
    .check((argv) => {
      if (argv.json && argv.ndjson) throw new UsageError('Give either --json or --ndjson, not both.');
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
    .option('concurrency', numberOption('--concurrency', { ...COUNT, example: 50 }, 'Devices at once (default 50 or settings)'))
    .option('known-hosts', { type: 'string', describe: 'OpenSSH known_hosts file to verify host keys against' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'Record keys of hosts not yet known (changed keys are always refused)' })
    .option('timeout', numberOption('--timeout', SECONDS, 'Per-command read timeout in seconds'))
    .option('connect-timeout', numberOption('--connect-timeout', { ...SECONDS, example: 5 }, 'Seconds for one connection attempt: TCP, SSH handshake, login (default 10 or settings)'))
    .option('connect-attempts', numberOption('--connect-attempts', { whole: true, min: 1, max: 10, example: 3 }, 'Connection attempts per device, refused or timed-out connections only (default 3 or settings)'))
    .option('log-dir', { type: 'string', describe: 'Keep each device session transcript here (secrets masked)' })
    .option('line-by-line', { type: 'boolean', default: false, describe: 'Send one line per round trip instead of typing lines ahead (for devices that drop typed-ahead input; chosen automatically when a device shows it)' })
    .option('output', { alias: 'o', choices: OUTPUT_MODES, describe: 'Human output: failures (terminal default), table (every device), plain (default when piped); json, ndjson' })
    .option('shard', { type: 'string', describe: 'i/n: run only the i-th of n shards of the selected hosts (merge the outcomes with merge-results)' })
    .option('retry-file', { type: 'string', describe: 'Write the failed hosts here, for --limit @FILE (default: callhome.retry in --log-dir)' })
    .check((argv) => {
      const problem = fleetFlagProblem(argv);
      if (problem !== null) throw new UsageError(problem);
      return true;
    });
}

/** What is wrong with the fleet flags' text values, or null (the numeric ones are checked as read: numberOption). */
export function fleetFlagProblem(flags: { readonly limit?: unknown; readonly shard?: unknown }): string | null {
  const { limit, shard } = flags;
  if (shard !== undefined) {
    const parsed = parseShard(String(shard));
    if (typeof parsed === 'string') return parsed;
  }
  if (limit !== undefined && (typeof limit !== 'string' || limit.trim() === '')) return '--limit needs a host or group pattern, e.g. --limit core or --limit @retry.txt.';
  return null;
}

/**
 * The page size (a whole number from 1 to `max`) from `--max`, or from the deprecated `--limit` with a warning;
 * `fallback` when neither is given. String flags, checked here so that callers of the run functions get the
 * same refusal as the command line.
 */
export function pageSizeFrom(
  opts: { readonly max?: string | number | undefined; readonly limit?: string | number | undefined },
  fallback: number,
  max: number,
  warn: (text: string) => void,
): number {
  const pageSize: NumberRule = { whole: true, min: 1, max, noun: 'a page size' };
  if (opts.max !== undefined) return numberFlag('--max', opts.max, pageSize);
  if (opts.limit !== undefined) {
    warn('Warning: --limit is deprecated here and will be removed in the next release; use --max (--limit names hosts in the fleet commands).\n');
    return numberFlag('--limit', opts.limit, pageSize);
  }
  return fallback;
}
