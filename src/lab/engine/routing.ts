/**
 * Which profiles get a message (ios-call-home.md §4.3, §4.4; C62, C49, C69). Pure functions over
 * the running configuration.
 */
import type { AlertGroup, CallHomeConfig, MessageKind, Profile } from '../../domain/callhome.js';
import { CISCO_TAC_PROFILE } from '../../domain/callhome.js';
import { severityLevel } from '../../domain/severity.js';
import type { Result } from '../../util/result.js';
import { err, ok } from '../../util/result.js';
import { ANONYMOUS_KINDS } from './privacy.js';

/** A routed alert: its group, Call Home severity and, for syslog, the line patterns match against. */
export type RoutedAlert = { readonly group: AlertGroup; readonly severity: number; readonly syslogLine?: string };

const patternCache = new Map<string, RegExp | null>();

/** Compiles an IOS syslog pattern; an invalid one never matches. */
function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (patternCache.size > 1024) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

/** True when the profile may carry this kind of message in its mode (anonymous: crash, inventory, test). */
export function modeAllows(profile: Profile, kind: MessageKind): boolean {
  return profile.mode === 'full' || ANONYMOUS_KINDS.includes(kind);
}

/** True when the profile has somewhere to deliver: an address for an enabled transport. */
export function hasDestination(profile: Profile): boolean {
  return (profile.transportEmail && profile.emailAddresses.length > 0) || (profile.transportHttp && profile.httpUrls.length > 0);
}

/** Subscription and threshold check of one profile for an alert (C62 without the global switches). */
export function subscribed(profile: Profile, alert: RoutedAlert): boolean {
  if (alert.group === 'syslog') {
    if (profile.syslogPatterns.length > 0) {
      const line = alert.syslogLine ?? '';
      return profile.syslogPatterns.some(
        (p) => alert.severity >= severityLevel(p.severity) && (compilePattern(p.pattern)?.test(line) ?? false),
      );
    }
  }
  const sub = profile.subscriptions[alert.group];
  if (!sub) return false;
  return alert.severity >= (sub.severity ? severityLevel(sub.severity) : 0);
}

/** Full-mode messages need a contact e-mail: a device sends nothing until it is set. */
export function contactReady(config: CallHomeConfig, profile: Profile): boolean {
  return profile.mode === 'anonymous' || (config.contactEmail ?? '') !== '';
}

/** Profiles an event-driven alert goes to: service on, group on, profile active and subscribed. */
export function routeAlert(config: CallHomeConfig, alert: RoutedAlert): Profile[] {
  if (!config.serviceEnabled || !config.alertGroupEnabled[alert.group]) return [];
  return config.profiles.filter(
    (p) => p.active && modeAllows(p, alert.group) && contactReady(config, p) && subscribed(p, alert),
  );
}

/** Case-insensitive profile lookup, as IOS names are. */
export function findProfile(config: CallHomeConfig, name: string): Profile | undefined {
  const lower = name.toLowerCase();
  return config.profiles.find((p) => p.name.toLowerCase() === lower);
}

/**
 * Targets of `call-home send alert-group` (§4.4): a named profile whatever its state; otherwise
 * every active profile subscribed to the group (diagnostic: whose threshold the severity meets).
 */
export function manualAlertTargets(
  config: CallHomeConfig,
  group: AlertGroup,
  severity: number,
  profileName?: string,
): Result<Profile[], string> {
  if (profileName !== undefined) {
    const profile = findProfile(config, profileName);
    if (!profile) return err(`% Profile ${profileName} does not exist`);
    if (!modeAllows(profile, group)) return err(`% Profile ${profile.name} is in anonymous mode; it carries only crash, inventory and test messages`);
    return ok([profile]);
  }
  if (!config.alertGroupEnabled[group]) return ok([]);
  return ok(
    config.profiles.filter((p) => {
      if (!p.active || !modeAllows(p, group) || !contactReady(config, p)) return false;
      const sub = p.subscriptions[group];
      if (!sub) return false;
      return group !== 'diagnostic' || severity >= (sub.severity ? severityLevel(sub.severity) : 0);
    }),
  );
}

/** The profile of `call-home request` and `call-home test`: named, or CiscoTAC-1; active or not. */
export function namedOrTac(config: CallHomeConfig, profileName: string | undefined): Result<Profile, string> {
  const name = profileName ?? CISCO_TAC_PROFILE;
  const profile = findProfile(config, name);
  return profile ? ok(profile) : err(`% Profile ${name} does not exist`);
}
