import type { CommandModule } from 'yargs';
import { AbortError } from '../src/errors.js';
import { assertNever } from '../src/util/assert-never.js';
import { getSetting, listSettings, setSetting, unsetSetting } from '../src/fleet/settings-editor.js';

export type ConfigOptions = { readonly action: 'get' | 'set' | 'unset' | 'list'; readonly key?: string | undefined; readonly value?: string | undefined; readonly json?: boolean | undefined };

/** Runs one `callhome config` action and returns what to print. */
export function runConfig(opts: ConfigOptions): string {
  const needKey = (): string => {
    if (!opts.key) throw new AbortError(`\`callhome config ${opts.action}\` needs a KEY.`, 'Run `callhome config list` to see the keys.');
    return opts.key;
  };
  switch (opts.action) {
    case 'list': {
      const all = listSettings();
      return opts.json ? JSON.stringify(all) : Object.entries(all).map(([k, v]) => `${k} = ${String(v ?? '')}`).join('\n');
    }
    case 'get': {
      const key = needKey();
      const value = getSetting(key);
      return opts.json ? JSON.stringify({ [key]: value ?? null }) : String(value ?? '');
    }
    case 'set': {
      const key = needKey();
      if (opts.value === undefined) throw new AbortError(`\`callhome config set ${key}\` needs a VALUE.`);
      const value = setSetting(key, opts.value);
      return opts.json ? JSON.stringify({ [key]: value }) : `${key} = ${String(value)}`;
    }
    case 'unset': {
      const key = needKey();
      unsetSetting(key);
      return opts.json ? JSON.stringify({ [key]: null }) : `${key} unset`;
    }
    default:
      return assertNever(opts.action, 'config action');
  }
}

/** `callhome config get|set|unset|list`: defaults such as concurrency, timeouts, known_hosts, back-end URL. */
export const configCommand: CommandModule<object, ConfigOptions> = {
  command: 'config <action> [key] [value]',
  describe: 'Read and change callhome defaults (never secrets)',
  builder: (y) =>
    y
      .positional('action', { choices: ['get', 'set', 'unset', 'list'] as const, demandOption: true })
      .positional('key', { type: 'string', describe: 'Setting name' })
      .positional('value', { type: 'string', describe: 'New value (set)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  handler: (argv) => {
    process.stdout.write(`${runConfig(argv)}\n`);
  },
};
