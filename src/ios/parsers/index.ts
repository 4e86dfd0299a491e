/**
 * The show-command parsers, one pure function per command, and the lookup `callhome parse`
 * and the fleet commands use to pick one from a typed (possibly abbreviated) command.
 */
import { ok, type Result } from '../../util/result.js';
import { DIAGNOSTIC_SIGNATURE_VIEW_NAMES } from '../layout/xe-commands.js';
import { parseRunningConfig, type RunningConfigOptions } from './running-config-call-home.js';
import { parseShowCallHomeDiagnosticSignature, parseShowCallHomeDiagnosticSignatureView } from './show-call-home-diagnostic-signature.js';
import { parseShowCallHomeEvents } from './show-call-home-events.js';
import { parseShowCallHomeSmartLicensing, parseShowCallHomeSmartLicensingStatistics } from './show-call-home-smart-licensing.js';
import { parseShowCallHomeVersion } from './show-call-home-version.js';
import { parseShowVersion } from './show-version.js';
import { parseShowCallHome, parseShowCallHomeDetail } from './show-call-home.js';
import { parseShowCallHomeAlertGroup } from './show-call-home-alert-group.js';
import { parseShowCallHomeMailServerStatus } from './show-call-home-mail-server-status.js';
import { parseShowCallHomeProfile } from './show-call-home-profile.js';
import { parseShowCallHomeStatistics } from './show-call-home-statistics.js';
import type { ParseError } from './text.js';

export { parseRunningConfig, parseRunningConfigCallHome, runningConfigTrain, type RunningConfigCallHome, type RunningConfigOptions } from './running-config-call-home.js';
export { parseShowCallHomeDiagnosticSignature, parseShowCallHomeDiagnosticSignatureView } from './show-call-home-diagnostic-signature.js';
export { parseShowCallHomeEvents, type CallHomeEvent, type ShowCallHomeEvents } from './show-call-home-events.js';
export { parseShowCallHomeSmartLicensing, parseShowCallHomeSmartLicensingStatistics } from './show-call-home-smart-licensing.js';
export { parseShowCallHomeVersion, type ShowCallHomeVersion } from './show-call-home-version.js';
export { detectTrain, parseShowVersion, type ShowVersion } from './show-version.js';
export type { Unparsed } from './text.js';
export { parseShowCallHome, parseShowCallHomeDetail, type CallHomeSettings, type ShowCallHome, type ShowCallHomeDetail } from './show-call-home.js';
export { parseShowCallHomeAlertGroup, type ShowCallHomeAlertGroup } from './show-call-home-alert-group.js';
export { parseShowCallHomeMailServerStatus, type MailServerProbe, type ShowCallHomeMailServerStatus } from './show-call-home-mail-server-status.js';
export { parseShowCallHomeProfile, type ShowCallHomeProfile } from './show-call-home-profile.js';
export { parseShowCallHomeStatistics, type ShowCallHomeStatistics } from './show-call-home-statistics.js';
export type { AlertGroupState } from './alert-group-table.js';
export { describeParseError, type ParseError } from './text.js';

/** A parser picked for a command; its data is JSON-ready. */
export type ShowParser = {
  /** The canonical command, e.g. `show call-home statistics`. */
  readonly command: string;
  readonly parse: (output: string) => Result<unknown, ParseError>;
};

type Entry = { readonly words: readonly string[]; readonly parse: (output: string) => Result<unknown, ParseError> };

/** `show running-config` for `callhome parse`: the Call Home configuration, plus `unparsed` when lines were not understood. */
export function parseRunningConfigOutput(output: string, options: RunningConfigOptions = {}): Result<unknown, ParseError> {
  const parsed = parseRunningConfig(output, options);
  if (!parsed.ok) return parsed;
  const { config, unparsed } = parsed.value;
  return ok(unparsed ? { ...config, unparsed } : config);
}

const ENTRIES: readonly Entry[] = [
  { words: ['show', 'call-home'], parse: parseShowCallHome },
  { words: ['show', 'call-home', 'detail'], parse: parseShowCallHomeDetail },
  { words: ['show', 'call-home', 'alert-group'], parse: parseShowCallHomeAlertGroup },
  { words: ['show', 'call-home', 'mail-server', 'status'], parse: parseShowCallHomeMailServerStatus },
  { words: ['show', 'call-home', 'statistics'], parse: parseShowCallHomeStatistics },
  { words: ['show', 'call-home', 'version'], parse: parseShowCallHomeVersion },
  { words: ['show', 'call-home', 'events'], parse: parseShowCallHomeEvents },
  { words: ['show', 'call-home', 'smart-licensing'], parse: parseShowCallHomeSmartLicensing },
  { words: ['show', 'call-home', 'smart-licensing', 'statistics'], parse: parseShowCallHomeSmartLicensingStatistics },
  { words: ['show', 'call-home', 'diagnostic-signature'], parse: parseShowCallHomeDiagnosticSignature },
  ...DIAGNOSTIC_SIGNATURE_VIEW_NAMES.map((v) => ({
    words: ['show', 'call-home', 'diagnostic-signature', v],
    parse: (o: string) => parseShowCallHomeDiagnosticSignatureView(v, o),
  })),
  { words: ['show', 'running-config'], parse: (o) => parseRunningConfigOutput(o) },
  { words: ['show', 'version'], parse: parseShowVersion },
];

/** True when every typed word is a prefix of the command's word at the same place (IOS abbreviation). */
function matches(typed: readonly string[], words: readonly string[]): boolean {
  return typed.length === words.length && typed.every((t, i) => t.length > 0 && (words[i] ?? '').startsWith(t));
}

/**
 * Finds the parser for a show command as an engineer types it: exact names, IOS abbreviations
 * (`sh call stat`), `show call-home profile all|NAME`, and `show running-config | section call-home`.
 * Undefined when no parser (or more than one) fits.
 */
export function findShowParser(command: string): ShowParser | undefined {
  const beforePipe = command.split('|')[0] ?? '';
  const typed = beforePipe.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  // `show call-home profile all` / `show call-home profile NAME` (the name is not abbreviated)
  if (typed.length === 4 && matches(typed.slice(0, 3), ['show', 'call-home', 'profile'])) {
    return { command: `show call-home profile ${typed[3] ?? ''}`, parse: parseShowCallHomeProfile };
  }
  // `show call-home diagnostic-signature DS-ID [VIEW]` (the DS ID is a number)
  if ((typed.length === 4 || typed.length === 5) && /^\d+$/.test(typed[3] ?? '') && matches(typed.slice(0, 3), ['show', 'call-home', 'diagnostic-signature'])) {
    const view = typed[4] === undefined ? undefined : DIAGNOSTIC_SIGNATURE_VIEW_NAMES.filter((v) => v.startsWith(typed[4] ?? ''));
    if (view === undefined) return { command: `show call-home diagnostic-signature ${typed[3] ?? ''}`, parse: parseShowCallHomeDiagnosticSignature };
    const only = view.length === 1 ? view[0] : undefined;
    return only ? { command: `show call-home diagnostic-signature ${typed[3] ?? ''} ${only}`, parse: (o) => parseShowCallHomeDiagnosticSignatureView(only, o) } : undefined;
  }
  const found = ENTRIES.filter((e) => matches(typed, e.words));
  const only = found.length === 1 ? found[0] : undefined;
  return only ? { command: only.words.join(' '), parse: only.parse } : undefined;
}

/** The commands `findShowParser` knows, for help and error messages. */
export const PARSEABLE_COMMANDS: readonly string[] = [
  ...ENTRIES.map((e) => e.words.join(' ')),
  'show call-home profile all|NAME',
  'show call-home diagnostic-signature DS-ID [VIEW]',
];
