/**
 * `show running-config | section call-home` or a whole `show running-config` → CallHomeConfig
 * (ios-call-home.md §2.7). What is not written keeps its default; CiscoTAC-1 keeps its
 * defaults (§2.5) where its block is absent or partial. Sub-mode lines are recognised by
 * indentation deeper than their parent, whatever the width; line order does not matter.
 */
import { trainOfVersion, type CallHomeConfig, type Train } from '../../domain/callhome.js';
import { assertNever } from '../../util/assert-never.js';
import { err, ok, type Result } from '../../util/result.js';
import { CallHomeConfigBuilder, configWords, type ConfigContext } from '../config/index.js';
import { parseError, unparsed, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show running-config';

/** Options of the running-config parser. */
export type RunningConfigOptions = {
  /** Serial of the device; CiscoTAC-1's default periodic times derive from it (§2.5). */
  readonly serial?: string;
  /** Treat empty output as a factory-default configuration (a section filter prints nothing then). */
  readonly allowEmpty?: boolean;
  /**
   * The device's software train (from `show version`); what an absent line means depends on it.
   * Without it the text decides: a `version 16.x`/`17.x` line or an IOS XE-only line means IOS XE.
   */
  readonly train?: Train;
};

// Lines only IOS XE writes in the call-home section.
const XE_ONLY = /^\s*(?:! If contact email address in call-home|http secure server-identity-check|no http secure server-identity-check|http resolve-hostname|mail-server \S+ priority \d+ secure|diagnostic-signature|no service call-home)/m;

/** The train the text was written by, when the options do not say. */
export function runningConfigTrain(output: string): Train {
  const version = /^version (\S+)/m.exec(output);
  if (version) return trainOfVersion(version[1] ?? '');
  return XE_ONLY.test(output) ? 'xe' : 'classic';
}

// `% Invalid input detected at '^' marker.`
const IOS_ERROR = /^%\s*(?:Invalid input|Incomplete command|Ambiguous command|Unknown command)/i;
// `R1#show running-config | section call-home` (echo) or `R1#` (trailing prompt)
const PROMPT = /^[\w.\-/:()]{1,80}[#>] ?(?:sh(?:ow)?\b.*)?$/;

/** `show running-config` read for Call Home: the configuration, the train it was read as, and the lines not understood. */
export type RunningConfigCallHome = { readonly config: CallHomeConfig; readonly train: Train; readonly unparsed?: readonly Unparsed[] };

/** Parses the Call Home part of a running configuration (whole, or `| section call-home`). */
export function parseRunningConfig(output: string, options: RunningConfigOptions = {}): Result<RunningConfigCallHome, ParseError> {
  const train = options.train ?? runningConfigTrain(output);
  const builder = new CallHomeConfigBuilder(options.serial ?? '', undefined, train);
  const stack: { indent: number; context: ConfigContext }[] = [];
  const skipped: Unparsed[] = [];
  let sawLine = false;
  const raw = output.split('\n');
  for (let i = 0; i < raw.length; i += 1) {
    const text = (raw[i] ?? '').replace(/\r/g, '').trimEnd();
    const trimmed = text.trimStart();
    if (trimmed === '') continue;
    const line = { no: i + 1, text, trimmed };
    if (IOS_ERROR.test(trimmed)) return err(parseError(COMMAND, line, 'the device rejected the command'));
    if (PROMPT.test(trimmed)) continue;
    sawLine = true;
    const indent = text.length - trimmed.length;
    if (trimmed.startsWith('!')) {
      if (indent === 0) stack.length = 0;
      continue;
    }
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    // A child line of a section that is not Call Home (`interface …`, `line vty …`).
    if (!parent && indent > 0) continue;
    const context: ConfigContext = parent?.context ?? { kind: 'global' };
    const outcome = builder.apply(context, configWords(trimmed));
    switch (outcome.kind) {
      case 'enter':
        stack.push({ indent, context: outcome.context });
        break;
      case 'error':
        skipped.push(unparsed(line));
        break;
      case 'ignored':
        // Outside call-home a line is someone else's configuration; inside, a command we do not know.
        if (context.kind !== 'global') skipped.push(unparsed(line));
        break;
      case 'applied':
        break;
      default:
        assertNever(outcome, 'configuration outcome');
    }
  }
  if (!sawLine && !options.allowEmpty) return err(parseError(COMMAND, undefined, 'the output is empty'));
  return ok(withUnparsed({ config: builder.result(), train }, skipped));
}

/** The Call Home configuration of a running configuration (what push and verify compare). */
export function parseRunningConfigCallHome(output: string, options: RunningConfigOptions = {}): Result<CallHomeConfig, ParseError> {
  const parsed = parseRunningConfig(output, options);
  return parsed.ok ? ok(parsed.value.config) : parsed;
}
